"""What analysis needs to know about the city: categories with their unit rules, and unit names.

Read from the database and kept per process for a minute; the database stays the source of truth.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from lianxin.core.models import Category, Organisation

TTL_SECONDS = 60.0


@dataclass(frozen=True)
class CategoryInfo:
    code: str
    name: str
    level: int
    parent: str
    unit_rule: str  # a unit code, "@town", "@district", or "" (inherit from the parent)
    keywords: tuple[str, ...]


@dataclass
class Reference:
    categories: dict[str, CategoryInfo] = field(default_factory=dict)
    unit_names: dict[str, str] = field(default_factory=dict)
    town_district: dict[str, str] = field(default_factory=dict)
    # what citizens call a department or utility (民政, 市场监管, 交警, 供电) -> its code
    unit_terms: dict[str, str] = field(default_factory=dict)
    loaded_at: float = 0.0
    _request_re: re.Pattern[str] | None = field(default=None, repr=False)
    _keyword_index: list[tuple[str, tuple[tuple[str, float], ...]]] | None = field(default=None, repr=False)

    def unit_rule(self, category_code: str) -> str:
        """The nearest rule up the tree: a department/utility code, '@town' or '@district'."""
        code = category_code
        while code:
            info = self.categories.get(code)
            if info is None:
                return ""
            if info.unit_rule:
                return info.unit_rule
            code = info.parent
        return ""

    def resolve_unit(self, rule: str, town: str | None, district: str | None) -> str | None:
        if rule == "@town":
            return town or district
        if rule == "@district":
            return district or (self.town_district.get(town) if town else None)
        return rule or None

    def requested_unit(self, text: str) -> tuple[str, int, int] | None:
        """The department or utility the appellant asks to act (请求民政部门依法处理, 请卫健部门核查,
        希望交警优化…), with the span of its name; the last such request wins."""
        if self._request_re is None:
            terms = sorted(self.unit_terms, key=len, reverse=True)
            if not terms:
                return None
            self._request_re = re.compile(
                r"(?:请求|恳请|提请|请|希望|要求|建议|麻烦|由)(?:市|县|区|镇|乡|相关|有关)?(?:的)?"
                rf"(?P<u>{'|'.join(map(re.escape, terms))})(?:部门|局|公司|所|委|队|大队)?(?:的同志|的人)?"
                r"(?:尽快|依法|晚上|马上|赶紧|派人)?(?:来|过来|上门|到现场)?"
                r"(?:查处|查|处理|核查|检查|指导|排查|管|解决|处置|督促|整治|看看|协调|介入|说明|优化|调查|监管|检测|抢修|维修|疏通)"
            )
        found = None
        for m in self._request_re.finditer(text):
            found = (self.unit_terms[m.group("u")], m.start("u"), m.end("u"))
        return found

    def keyword_scores(self, text: str) -> dict[str, float]:
        """Leaf categories scored by keyword hits: the rule that fills in where a model is thin.

        A leaf's own keyword counts 1, a parent's 0.5; a parent's one-character hints (电, 水, 烟)
        hide in unrelated words (电话, 水果, 香烟) and do not count.
        """
        if self._keyword_index is None:
            self._keyword_index = self._build_keyword_index()
        scores: dict[str, float] = {}
        for code, weighted in self._keyword_index:
            hits = sum(w for k, w in weighted if k in text)
            if hits:
                scores[code] = hits
        return scores

    def _build_keyword_index(self) -> list[tuple[str, tuple[tuple[str, float], ...]]]:
        index = []
        for info in self.categories.values():
            if info.level != 3:
                continue
            own = [(k, 1.0) for k in info.keywords if k]
            inherited = [(k, 0.5) for k in self._ancestor_keywords(info) if len(k) > 1]
            index.append((info.code, tuple(own + inherited)))
        return index

    def _ancestor_keywords(self, info: CategoryInfo) -> tuple[str, ...]:
        parent = self.categories.get(info.parent)
        return parent.keywords if parent is not None else ()


_cache: Reference | None = None


def reference() -> Reference:
    global _cache
    if _cache is not None and time.monotonic() - _cache.loaded_at < TTL_SECONDS:
        return _cache
    ref = Reference(loaded_at=time.monotonic())
    for c in Category.objects.filter(is_active=True).select_related("parent", "default_unit"):
        rule = c.territorial or (c.default_unit.code if c.default_unit else "")
        ref.categories[c.code] = CategoryInfo(
            c.code, c.name, c.level, c.parent.code if c.parent else "", rule, tuple(c.keywords or ())
        )
    for code, name, short, kind, parent, aliases in Organisation.objects.values_list(
        "code", "name", "short_name", "kind", "parent__code", "aliases"
    ):
        ref.unit_names[code] = short or name
        if kind == "town" and parent:
            ref.town_district[code] = parent
        if kind in ("department", "utility"):
            for term in _unit_terms(name, short, aliases or []):
                ref.unit_terms.setdefault(term, code)
    _cache = ref
    return ref


def clear_cache() -> None:
    global _cache
    _cache = None


_UNIT_KIND = re.compile(r"(?:股份有限公司|有限公司|分公司|公司|委员会|局|中心|所)$")


def _unit_terms(name: str, short: str, aliases: list[str]) -> set[str]:
    """A unit's names as citizens say them: 舟山市民政局 -> 民政局, 民政; 应急管理局 -> 应急管理."""
    out: set[str] = set()
    for term in (name, short, *aliases):
        term = re.sub(r"^(?:舟山市|舟山|国网浙江省电力有限公司舟山|中国电信股份有限公司舟山)", "", term or "")
        for t in (term, _UNIT_KIND.sub("", term)):
            # 12345, 宽带 and 信访 name channels and services more often than a unit to act
            if len(t) >= 2 and not t.isdigit() and t not in ("宽带", "信访"):
                out.add(t)
    return out
