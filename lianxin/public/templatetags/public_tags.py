"""Display helpers for the public pages: rates as percentages, the composite as a score out of 100."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


@register.filter
def score(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}"


@register.filter
def figure(value: float | int | None, key: str) -> str:
    """One league-table cell: counts as they are, the composite as a score, other rates as percentages."""
    if key == "received":
        return str(value)
    return score(value) if key == "composite" else pct(value)  # type: ignore[arg-type]
