"""Intake analysis as the rest of the platform uses it: suggestions, similar orders, and what to fill.

Pages and the API call `suggest`; order creation calls `analyze_for_order` and keeps the
suggestions beside what the operator confirmed (Order.ai_suggestions), so acceptance can be measured.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from lianxin.core.models import Category, Organisation, OrgKind, User
from lianxin.core.personal_data import appellant_key
from lianxin.intake import similar_index
from lianxin.intake.analysis import Analysis, analyze
from lianxin.orders.api.outputs import choice_label
from lianxin.orders.choices import Status
from lianxin.orders.models import Order
from lianxin.orders.policy import visible_orders

logger = logging.getLogger(__name__)

# A suggestion fills a blank field by itself only at or above this confidence.
FILL_AT = {"appeal_type": 0.45, "category": 0.5, "urgency": 0.6, "appellant_name": 0.6, "address": 0.5}
SIMILAR_K = 5


@dataclass
class OrderSuggestions:
    analysis: Analysis

    @property
    def model_version(self) -> str:
        return ";".join(f"{k}={v}" for k, v in sorted(self.analysis.model_versions.items()))[:80]

    @property
    def phones(self) -> list[str]:
        value = self.analysis.value("phones")
        return list(value) if isinstance(value, list) else []

    def as_dict(self) -> dict[str, Any]:
        return self.analysis.to_dict()

    def confident_values(self) -> dict[str, Any]:
        """Model objects for the fields an order takes, where the suggestion is sure enough."""
        fields = self.analysis.fields
        out: dict[str, Any] = {}
        for name, threshold in FILL_AT.items():
            s = fields.get(name)
            if s is not None and s.value not in (None, "") and s.confidence >= threshold:
                out[name] = s.value
        if "category" in out:
            out["category"] = Category.objects.filter(code=out["category"], is_active=True).first()
        for name, kind in (("district", OrgKind.DISTRICT), ("town", OrgKind.TOWN), ("community", OrgKind.COMMUNITY)):
            code = self.analysis.value(name)
            if code:
                out[name] = Organisation.objects.filter(code=code, kind=kind).first()
        if self.analysis.value("confidential"):
            out["is_confidential"] = True
        return {k: v for k, v in out.items() if v is not None}


def _similar(
    analysis: Analysis, text: str, received_at: dt.datetime, user: User | None, exclude: int | None
) -> list[dict[str, Any]]:
    phones = analysis.value("phones") or []
    q = similar_index.Query(
        text=text,
        town_code=analysis.value("town") or "",
        community_code=analysis.value("community") or "",
        appellant_hash=appellant_key(list(phones), analysis.value("id_number") or ""),
        received_at=received_at,
    )
    matches = similar_index.query(q, k=SIMILAR_K * 2, exclude=exclude)
    if not matches:
        return []
    qs = Order.objects.filter(pk__in=[m.order_id for m in matches])
    if user is not None:
        qs = visible_orders(user, qs)
    # Tuples of the shown fields: model instances would decode every column (ai_suggestions is JSON).
    rows = qs.values_list("pk", "number", "text", "district__name", "town__name", "address", "received_at", "status")
    orders = {row[0]: row for row in rows}
    out = []
    for m in matches:
        row = orders.get(m.order_id)
        if row is None:
            continue
        pk, number, body, district, town, address, received, status = row
        out.append(
            {
                "order_id": pk,
                "number": number,
                "score": round(m.score, 3),
                "text_similarity": round(m.text_similarity, 3),
                "reasons": list(m.reasons),
                "near_duplicate": m.is_near_duplicate,
                "text": body[:200],
                "place": " ".join(p for p in (district, town) if p) + (f" {address}" if address else ""),
                "received_at": timezone.localtime(received).isoformat(),
                "status": status,
                "status_display": choice_label(Status, status),
            }
        )
        if len(out) == SIMILAR_K:
            break
    return out


def suggest(
    text: str,
    received_at: dt.datetime,
    *,
    user: User | None = None,
    with_similar: bool = True,
    exclude_order: int | None = None,
) -> Analysis:
    """The full analysis: the LLM backend when configured (falling back on any error), else local."""
    analysis: Analysis | None = None
    if settings.LLM_ENDPOINT:
        from lianxin.intake.llm import analyze_with_llm

        analysis = analyze_with_llm(text, received_at)
    if analysis is None:
        analysis = analyze(text, received_at)
    if with_similar and analysis.language == "zh" and text.strip():
        analysis.similar = _similar(analysis, text, received_at, user, exclude_order)
    return analysis


def analyze_for_order(text: str, received_at: dt.datetime) -> OrderSuggestions:
    return OrderSuggestions(suggest(text, received_at, with_similar=True))


def index_new_order(order_id: int) -> None:
    """Called after an order's creation commits; cheap enough to run inline (one insert per band)."""
    order = Order.objects.select_related("town", "community").filter(pk=order_id).first()
    if order is not None:
        similar_index.index_order(order, new=True)
