"""What analysis needs to know about the city: categories with their unit rules, and unit names.

Read from the database and kept per process for a minute; the database stays the source of truth.
"""

from __future__ import annotations

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
    loaded_at: float = 0.0
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
    for code, name, short, kind, parent in Organisation.objects.values_list(
        "code", "name", "short_name", "kind", "parent__code"
    ):
        ref.unit_names[code] = short or name
        if kind == "town" and parent:
            ref.town_district[code] = parent
    _cache = ref
    return ref


def clear_cache() -> None:
    global _cache
    _cache = None
