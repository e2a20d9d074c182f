"""Small builders for web tests: orders made through the real actions."""

from __future__ import annotations

from typing import Any

from lianxin.core.models import Category, Organisation
from lianxin.orders import actions
from lianxin.orders.models import Order


def new_order(users: dict[str, Any], text: str = "沈家门街道海滨路路灯不亮，晚上出行不安全，请尽快维修。") -> Order:
    town = Organisation.objects.filter(kind="town").first()
    draft = actions.OrderDraft(
        channel="hotline",
        appeal_type="complaint",
        text=text,
        category=Category.objects.filter(level=3).first(),
        town=town,
        appellant_name="王小明",
        appellant_phones=["13800001111"],
    )
    order, _ = actions.create_order(users["calltaker"], draft)
    return actions.accept(order, users["calltaker"])


def dispatched_to(users: dict[str, Any], unit_code: str = "dept-zjj", **kwargs: Any) -> Order:
    order = new_order(users, **kwargs)
    return actions.dispatch(order, users["dispatcher"], lead_unit=Organisation.objects.get(code=unit_code))
