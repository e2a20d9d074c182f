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
        given = {name for name, value in values.items() if value}
        for name, value in result.confident_values().items():
            if name in FILLABLE and not values.get(name):
                values[name] = value
        _keep_places_consistent(values, given)
        if not values.get("appellant_phones") and result.phones:
            values["appellant_phones"] = result.phones
    if not values.get("appeal_type"):
        raise InvalidInput(_("未能自动识别诉求类型，请填写 appeal_type"), "appeal_type")
    return OrderDraft(**values, ai_suggestions=suggestions, ai_model_version=model_version)


def _keep_places_consistent(values: dict[str, Any], given: set[str]) -> None:
    """Suggested places must nest in each other and in what the person gave; drop the ones that do not.

    A text can name a district in one sentence and a town of another district in the next; the
    analysis suggests both, but an order must not be refused for a mismatch nobody typed.
    """
    district, town, community = values.get("district"), values.get("town"), values.get("community")
    if community is not None and town is not None and not community.is_within(town):
        if "community" in given and "town" not in given:
            values["town"] = town = community.parent
        else:
            values.pop("community", None)
    if town is not None and district is not None and not town.is_within(district):
        if "district" in given and "town" not in given:
            values.pop("town", None)
            values.pop("community", None)
        elif "district" not in given:
            values["district"] = town.parent  # the most specific place wins
