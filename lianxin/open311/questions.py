"""Which questions (service definition attributes) a service asks, and checking the answers to them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from lianxin.core.models import Category
from lianxin.open311.models import Datatype, ServiceQuestion
from lianxin.orders.choices import AppealType

APPEAL_TYPE_CODE = "appeal_type"


@dataclass(frozen=True)
class Question:
    code: str
    description: str
    datatype: str
    required: bool = False
    variable: bool = True
    datatype_description: str = ""
    values: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    sort_key: int = 100

    @property
    def is_list(self) -> bool:
        return self.datatype in (Datatype.SINGLE, Datatype.MULTI)


# The built-in set every service asks while an administrator has defined no question for all services.
# One of each datatype the spec names; none is required, so clients that ignore attributes still work.
DEFAULT_QUESTIONS: tuple[Question, ...] = (
    Question(
        "privacy_notice",
        "请勿在描述中填写身份证号、银行卡号等敏感信息；诉求内容将公开显示（联系方式不公开）。",
        Datatype.STRING,
        variable=False,
        sort_key=1,
    ),
    Question(
        APPEAL_TYPE_CODE,
        "诉求类型",
        Datatype.SINGLE,
        datatype_description="不选则由系统根据描述识别，受理时由人工确认",
        values=tuple((str(c.value), str(c.label)) for c in AppealType),
        sort_key=2,
    ),
    Question(
        "occurred_at",
        "问题发生时间",
        Datatype.DATETIME,
        datatype_description="如 2025-05-20T08:30:00+08:00",
        sort_key=3,
    ),
    Question("affected_people", "大约影响人数", Datatype.NUMBER, datatype_description="数字", sort_key=4),
    Question("landmark", "附近标志性建筑或门牌", Datatype.STRING, sort_key=5),
    Question("details", "补充说明", Datatype.TEXT, datatype_description="最多 2000 字", sort_key=6),
    Question(
        "reply_channels",
        "希望的答复方式（可多选）",
        Datatype.MULTI,
        values=(("phone", "电话"), ("sms", "短信"), ("none", "无需答复")),
        sort_key=7,
    ),
)


def _from_row(row: ServiceQuestion) -> Question:
    values = tuple((str(v.get("key", "")), str(v.get("name", ""))) for v in row.values or [] if isinstance(v, dict))
    return Question(
        code=row.code,
        description=row.description,
        datatype=row.datatype,
        required=row.required,
        variable=row.variable,
        datatype_description=row.datatype_description,
        values=values,
        sort_key=row.order,
    )


def questions_for(category: Category) -> list[Question]:
    """The questions of one service: for all services (or the defaults), then its ancestors', then its own."""
    ancestors: list[int] = []
    node: Category | None = category
    while node is not None:
        ancestors.append(node.pk)
        node = node.parent
    rows = list(ServiceQuestion.objects.filter(is_active=True, category__isnull=True))
    general = [_from_row(r) for r in rows] if rows else list(DEFAULT_QUESTIONS)
    specific = [_from_row(r) for r in ServiceQuestion.objects.filter(is_active=True, category_id__in=ancestors)]
    by_code = {q.code: q for q in general}
    by_code.update({q.code: q for q in specific})  # the more specific question wins
    return sorted(by_code.values(), key=lambda q: (q.sort_key, q.code))


class AnswerError(ValueError):
    pass


_W3C = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")


def parse_w3c(value: str) -> dt.datetime | None:
    """A W3C date-time with a timezone (Z or ±hh:mm), or None."""
    text = value.strip()
    if not _W3C.match(text):
        return None
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def check_answers(questions: list[Question], raw: dict[str, list[str]]) -> tuple[dict[str, Any], list[str]]:
    """Validate attribute[...] values against the definition; returns (clean answers, error messages)."""
    errors: list[str] = []
    clean: dict[str, Any] = {}
    known = {q.code: q for q in questions if q.variable}
    for code in raw:
        if code not in known:
            errors.append(f"attribute[{code}] is not an attribute of this service")
    for q in known.values():
        given = [v.strip() for v in raw.get(q.code, []) if v.strip()]
        if not given:
            if q.required:
                errors.append(f"attribute[{q.code}] is required ({q.description})")
            continue
        try:
            clean[q.code] = _check_one(q, given)
        except AnswerError as exc:
            errors.append(f"attribute[{q.code}]: {exc}")
    return clean, errors


def _check_one(q: Question, given: list[str]) -> Any:
    if q.datatype != Datatype.MULTI and len(given) > 1:
        raise AnswerError("only one value is allowed")
    value = given[0]
    if q.datatype == Datatype.NUMBER:
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise AnswerError("must be a number") from None
        if not number.is_finite():
            raise AnswerError("must be a number")
        return int(number) if number == number.to_integral_value() else float(number)
    if q.datatype == Datatype.DATETIME:
        moment = parse_w3c(value)
        if moment is None:
            raise AnswerError("must be a W3C date-time with a timezone, e.g. 2025-05-20T08:30:00+08:00")
        return moment.isoformat()
    if q.datatype == Datatype.STRING:
        if len(value) > 200 or "\n" in value:
            raise AnswerError("must be one line of at most 200 characters")
        return value
    if q.datatype == Datatype.TEXT:
        if len(value) > 2000:
            raise AnswerError("must be at most 2000 characters")
        return value
    keys = {k for k, _ in q.values}
    bad = [v for v in given if v not in keys]
    if bad:
        raise AnswerError(f"unknown value {bad[0]!r}; use one of the keys {', '.join(sorted(keys))}")
    return list(dict.fromkeys(given)) if q.datatype == Datatype.MULTI else value
