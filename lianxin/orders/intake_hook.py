"""Turn validated API input into an OrderDraft, letting intake analysis fill what the person left blank.

The analysis only suggests: what the person gave always wins, and the suggestions are stored
beside the order so that acceptance can be measured.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.core.errors import InvalidInput
from lianxin.orders.actions import OrderDraft

FILLABLE = ("appeal_type", "urgency", "category", "district", "town", "community", "address", "appellant_name")


def draft_from_input(values: dict[str, Any]) -> OrderDraft:
    analyze = values.pop("analyze", True)
    suggestions: dict[str, Any] = {}
    model_version = ""
    if analyze:
        from lianxin.intake.service import analyze_for_order

        result = analyze_for_order(values["text"], values.get("received_at") or timezone.now())
        suggestions, model_version = result.as_dict(), result.model_version
        for name, value in result.confident_values().items():
            if name in FILLABLE and not values.get(name):
                values[name] = value
        if not values.get("appellant_phones") and result.phones:
            values["appellant_phones"] = result.phones
    if not values.get("appeal_type"):
        raise InvalidInput(_("未能自动识别诉求类型，请填写 appeal_type"), "appeal_type")
    return OrderDraft(**values, ai_suggestions=suggestions, ai_model_version=model_version)
