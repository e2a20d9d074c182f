"""Time-limit rules: an ordered list; for each limit the first rule that matches and sets it wins.

A rule: {"name": str, "match": {attr: value | [values]}, "<limit>": {"working_days"|"days"|"hours": n}}.
Attributes an order offers for matching: channel, appeal_type, urgency, tier, category (code prefix).
Limits: accept (register and route a petition), sign (签收), handle (reply due after signing),
callback (after the reply), extension_max (the most one extension may add).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

LIMIT_NAMES = ("accept", "sign", "handle", "callback", "extension_max")
UNITS = ("working_days", "days", "hours")
MATCH_KEYS = ("channel", "appeal_type", "urgency", "tier", "category")

PETITION_CHANNELS = ["petition_letter", "petition_visit", "petition_online"]

# Zhoushan defaults: 12345 tiers (2016) and Zhejiang's petition rule, stricter than the national 信访工作条例.
DEFAULT_RULES: list[dict[str, Any]] = [
    {
        "name": "信访（浙江省规定）",
        "match": {"channel": PETITION_CHANNELS},
        "accept": {"working_days": 5},
        "sign": {"working_days": 1},
        "handle": {"days": 30},
        "extension_max": {"days": 30},
        "callback": {"working_days": 5},
    },
    {"name": "特急：危及生命财产", "match": {"urgency": "emergency"}, "sign": {"hours": 1}, "handle": {"hours": 2}},
    {"name": "紧急：水电气等", "match": {"urgency": "urgent"}, "sign": {"hours": 2}, "handle": {"hours": 24}},
    {"name": "咨询类", "match": {"appeal_type": "consult"}, "handle": {"working_days": 3}},
    {"name": "求助类", "match": {"appeal_type": "help"}, "handle": {"working_days": 5}},
    {"name": "投诉举报类", "match": {"appeal_type": ["complaint", "report"]}, "handle": {"working_days": 7}},
    {"name": "复杂事项（分类时限档）", "match": {"tier": "complaint"}, "handle": {"working_days": 7}},
    {
        "name": "默认",
        "match": {},
        "sign": {"working_days": 1},
        "handle": {"working_days": 5},
        "callback": {"working_days": 3},
        "extension_max": {"working_days": 20},
    },
]


@dataclass(frozen=True)
class Limit:
    amount: int
    unit: str  # one of UNITS
    rule_name: str


class RuleError(ValueError):
    pass


def validate_rules(rules: object) -> list[dict[str, Any]]:
    """Raise RuleError with a readable message when a rule set is malformed."""
    if not isinstance(rules, list) or not rules:
        raise RuleError("规则必须是非空列表")
    for index, rule in enumerate(rules):
        if not isinstance(rule, dict):
            raise RuleError(f"第{index + 1}条规则不是对象")
        match = rule.get("match", {})
        if not isinstance(match, dict) or set(match) - set(MATCH_KEYS):
            raise RuleError(f"第{index + 1}条规则的 match 只能包含 {', '.join(MATCH_KEYS)}")
        for key, value in rule.items():
            if key in ("name", "match"):
                continue
            if key not in LIMIT_NAMES:
                raise RuleError(f"第{index + 1}条规则含未知时限 {key}")
            if not isinstance(value, dict) or len(value) != 1:
                raise RuleError(f"第{index + 1}条规则的 {key} 必须只含一个单位")
            ((unit, amount),) = value.items()
            if unit not in UNITS or not isinstance(amount, int) or amount < 0:
                raise RuleError(f"第{index + 1}条规则的 {key} 单位或数值无效")
    has_default = any(not r.get("match") and "handle" in r and "sign" in r for r in rules)
    if not has_default:
        raise RuleError("必须有一条无条件的默认规则，含 sign 与 handle")
    return rules


def _matches(match: Mapping[str, Any], attrs: Mapping[str, str]) -> bool:
    for key, expected in match.items():
        actual = attrs.get(key, "")
        if key == "category":
            options = expected if isinstance(expected, list) else [expected]
            if not any(actual.startswith(str(prefix)) for prefix in options):
                return False
        elif isinstance(expected, list):
            if actual not in expected:
                return False
        elif actual != expected:
            return False
    return True


def resolve_limit(rules: Sequence[Mapping[str, Any]], attrs: Mapping[str, str], limit: str) -> Limit | None:
    for rule in rules:
        if limit in rule and _matches(rule.get("match", {}), attrs):
            ((unit, amount),) = rule[limit].items()
            return Limit(int(amount), unit, str(rule.get("name", "")))
    return None
