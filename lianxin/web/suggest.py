"""Turn whatever `intake.service.analyze_for_order` returns into rows the intake page can show.

The service is young and its shape may grow; everything here is tolerant: a field may be a dict
(value/confidence/evidence), an object with those attributes, or a bare value.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from lianxin.core.models import Category, Organisation
from lianxin.orders.choices import AppealType, Urgency

LOW_CONFIDENCE = 0.6
# service field name → (form field, label)
FIELD_MAP: dict[str, tuple[str, str | Promise]] = {
    "appeal_type": ("appeal_type", _("诉求类型")),
    "category": ("category", _("分类")),
    "urgency": ("urgency", _("紧急程度")),
    "name": ("appellant_name", _("诉求人")),
    "appellant_name": ("appellant_name", _("诉求人")),
    "phones": ("appellant_phones", _("联系电话")),
    "appellant_phones": ("appellant_phones", _("联系电话")),
    "district": ("district", _("区县")),
    "town": ("town", _("乡镇街道")),
    "address": ("address", _("详细地址")),
    "confidential": ("is_confidential", _("要求保密")),
    "summary": ("summary", _("摘要")),
    "lead_unit": ("", _("建议承办单位")),
    "times": ("", _("时间")),
    "id_number": ("", _("身份证号")),
    "community": ("", _("村社区")),
}


@dataclass
class Span:
    start: int
    end: int
    text: str


@dataclass
class SuggestionRow:
    name: str
    form_field: str
    label: str
    display: str
    form_value: str
    confidence: float | None
    evidence: list[Span] = field(default_factory=list)

    @property
    def needs_review(self) -> bool:
        return self.confidence is not None and self.confidence < LOW_CONFIDENCE

    @property
    def percent(self) -> int:
        return round((self.confidence or 0) * 100)


@dataclass
class SimilarRow:
    order_id: int | None
    number: str
    text: str
    place: str
    date: str
    status: str
    score: float | None


@dataclass
class SuggestionsView:
    rows: list[SuggestionRow]
    similar: list[SimilarRow]
    highlighted: SafeString
    model_version: str
    warnings: list[str]

    @property
    def form_values(self) -> dict[str, str]:
        return {r.form_field: r.form_value for r in self.rows if r.form_field and r.form_value}


def _get(obj: Any, key: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(key, default)
    return getattr(obj, key, default)


def _spans(raw: Any, text: str) -> list[Span]:
    out: list[Span] = []
    for item in raw or []:
        if isinstance(item, (list, tuple)) and len(item) >= 2:
            start, end = item[0], item[1]
        else:
            start, end = _get(item, "start"), _get(item, "end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
            out.append(Span(start, end, text[start:end]))
    return out


def _org(value: Any) -> Organisation | None:
    if isinstance(value, Organisation):
        return value
    if isinstance(value, dict):
        value = value.get("code") or value.get("name")
    if not value:
        return None
    text = str(value)
    return Organisation.objects.filter(Q(code=text) | Q(name=text) | Q(short_name=text)).order_by("path").first()


def _category(value: Any) -> Category | None:
    if isinstance(value, Category):
        return value
    if isinstance(value, dict):
        value = value.get("code") or value.get("name")
    if not value:
        return None
    return Category.objects.filter(Q(code=str(value)) | Q(name=str(value))).order_by("-level").first()


def _choice(choices: Any, value: Any) -> tuple[str, str]:
    for key, label in choices.choices:
        if value == key or str(value) == str(label):
            return key, str(label)
    return "", str(value)


def _form_value(name: str, value: Any) -> tuple[str, str]:
    """(display text, value for the form field)."""
    if value is None or value == "" or value == []:
        return "", ""
    if name in ("district", "town", "community"):
        org = _org(value)
        return (org.name, str(org.pk)) if org else (str(_get(value, "name", value)), "")
    if name == "category":
        cat = _category(value)
        return (cat.name, str(cat.pk)) if cat else (str(_get(value, "name", value)), "")
    if name == "appeal_type":
        key, label = _choice(AppealType, value)
        return label, key
    if name == "urgency":
        key, label = _choice(Urgency, value)
        return label, key
    if name in ("phones", "appellant_phones", "times"):
        items = value if isinstance(value, list) else [value]
        joined = "，".join(str(v) for v in items)
        return joined, ", ".join(str(v) for v in items) if name != "times" else ""
    if name == "confidential":
        return (str(_("是")) if value else str(_("否"))), ("on" if value else "")
    return str(value), str(value)


def _highlight(text: str, rows: list[SuggestionRow]) -> SafeString:
    marks: list[tuple[int, int, str]] = []
    for row in rows:
        for span in row.evidence:
            marks.append((span.start, span.end, row.name))
    marks.sort()
    out, pos = [], 0
    for start, end, name in marks:
        if start < pos:
            continue  # overlapping evidence: the first span wins
        out.append(html.escape(text[pos:start]))
        out.append(f'<mark data-field="{html.escape(name)}">{html.escape(text[start:end])}</mark>')
        pos = end
    out.append(html.escape(text[pos:]))
    return mark_safe("".join(out))  # every piece is escaped above


def _similar(result: Any) -> list[SimilarRow]:
    raw = _get(result, "similar", None)
    if raw is None:
        raw = (_get(result, "fields", {}) or {}).get("similar")
    rows = []
    for item in raw or []:
        order_id = _get(item, "order_id", None) or _get(item, "id", None)
        score = _get(item, "score", None)
        date = _get(item, "received_at", None) or _get(item, "date", "")
        place = _get(item, "place", None) or _get(item, "town", None) or _get(item, "address", "")
        rows.append(
            SimilarRow(
                order_id=order_id if isinstance(order_id, int) else None,
                number=str(_get(item, "number", "") or ""),
                text=str(_get(item, "text", "") or _get(item, "summary", "") or "")[:120],
                place=str(_get(place, "name", place) or ""),
                date=str(date)[:16],
                status=str(_get(item, "status_display", None) or _get(item, "status", "") or ""),
                score=float(score) if isinstance(score, (int, float)) else None,
            )
        )
    return rows


def build_view(text: str, result: Any) -> SuggestionsView:
    result = _get(result, "analysis", None) or result  # OrderSuggestions wraps an Analysis
    fields = _get(result, "fields", {}) or {}
    rows: list[SuggestionRow] = []
    seen_form_fields: set[str] = set()
    for name, raw in fields.items():
        if name not in FIELD_MAP:
            continue
        form_field, label = FIELD_MAP[name]
        if form_field and form_field in seen_form_fields:
            continue
        is_structured = (isinstance(raw, dict) and "value" in raw) or hasattr(raw, "confidence")
        value = _get(raw, "value") if is_structured else raw
        confidence = _get(raw, "confidence") if is_structured else None
        evidence = _spans(_get(raw, "evidence", []) if is_structured else [], text)
        display, form_value = _form_value(name, value)
        label_text = _get(raw, "label", "") if is_structured else ""
        if label_text and name not in ("phones", "appellant_phones", "times"):
            display = str(label_text)
        if not display:
            continue
        seen_form_fields.add(form_field)
        rows.append(
            SuggestionRow(
                name=name,
                form_field=form_field,
                label=str(label),
                display=display,
                form_value=form_value,
                confidence=float(confidence) if isinstance(confidence, (int, float)) else None,
                evidence=evidence,
            )
        )
    phones = _get(result, "phones", []) or []
    if phones and "appellant_phones" not in seen_form_fields:
        display, form_value = _form_value("phones", list(phones))
        rows.append(SuggestionRow("phones", "appellant_phones", str(_("联系电话")), display, form_value, None))
    warnings = [str(w) for w in (_get(result, "warnings", None) or [])]
    return SuggestionsView(
        rows=rows,
        similar=_similar(result),
        highlighted=_highlight(text, rows),
        model_version=str(_get(result, "model_version", "") or _get(result, "model_versions", "") or ""),
        warnings=warnings,
    )
