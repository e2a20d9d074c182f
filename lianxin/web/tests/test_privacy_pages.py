"""Operator pages show the appeal's words under the same privacy rule as the API."""

from __future__ import annotations

from typing import Any

import pytest

from lianxin.core.models import Organisation
from lianxin.orders.models import Order
from lianxin.web.tests.helpers import dispatched_to
from lianxin.web.tests.test_views import client_for

pytestmark = pytest.mark.django_db

TEXT = "我是王小明，电话13800001111，举报市住建局某科室拖延办理。"


def test_unit_reported_on_reads_no_identity_on_its_pages(users: dict[str, Any]) -> None:
    order = dispatched_to(users, text=TEXT)
    Order.objects.filter(pk=order.pk).update(reported_unit=Organisation.objects.get(code="dept-zjj"))
    page = client_for("zjj").get(f"/orders/{order.pk}/").content.decode()
    assert "拖延办理" in page
    assert "王小明" not in page and "13800001111" not in page and "1111" not in page
    listing = client_for("zjj").get("/orders/").content.decode()
    assert "拖延办理" in listing and "王小明" not in listing


def test_other_operators_see_numbers_masked_in_the_text(users: dict[str, Any]) -> None:
    order = dispatched_to(users, text=TEXT)
    page = client_for("dispatcher").get(f"/orders/{order.pk}/").content.decode()
    assert "138****1111" in page and "13800001111" not in page


def test_inbox_of_the_unit_reported_on_shows_no_identity(users: dict[str, Any]) -> None:
    order = dispatched_to(users, text=TEXT)
    Order.objects.filter(pk=order.pk).update(reported_unit=Organisation.objects.get(code="dept-zjj"))
    inbox = client_for("zjj").get("/inbox/").content.decode()
    assert "拖延办理" in inbox and "王小明" not in inbox and "13800001111" not in inbox
