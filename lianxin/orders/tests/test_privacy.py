"""The appeal's own words follow the same privacy rule as the appellant block (domain.md §5)."""

from typing import Any

import pytest

from lianxin.orders.models import Order
from lianxin.orders.tests.test_lifecycle_api import act, create

pytestmark = pytest.mark.django_db

TEXT = "我是王建国，电话13958076543，身份证330902198001011237，举报市住建局某科室拖延办理。"


def test_unit_reported_on_reads_no_identity_in_the_text(api: Any) -> None:
    oid = create(api, appeal_type="report", reported_unit="dept-zjj", text=TEXT, appellant_name="王建国",
                 title="举报王建国反映的问题 13958076543")["id"]  # fmt: skip
    act(api, "dispatcher", oid, "dispatch", lead_unit="dept-zjj")
    for query in ("", "?unmask=1"):
        body = api("zjj").get(f"/api/v1/orders/{oid}{query}").json()
        for field in ("text", "title"):
            assert "王建国" not in body[field] and "6543" not in body[field] and "1237" not in body[field], body[field]
        assert "拖延办理" in body["text"]
    row = next(r for r in api("zjj").get("/api/v1/orders").json()["results"] if r["id"] == oid)
    assert "王建国" not in row["title"] and "6543" not in row["title"]


def test_other_viewers_see_numbers_masked_unless_they_unmask(api: Any) -> None:
    oid = create(api, text=TEXT, appellant_name="王建国")["id"]
    masked = api("dispatcher").get(f"/api/v1/orders/{oid}").json()["text"]
    assert "139****6543" in masked and "13958076543" not in masked and "330902********1237" in masked
    assert "王建国" in masked  # the name is shown, as in the appellant block
    assert api("dispatcher").get(f"/api/v1/orders/{oid}?unmask=1").json()["text"] == TEXT


def test_stored_suggestions_follow_the_rule_and_similar_orders_stay_in_scope(api: Any) -> None:
    other = create(api, text="另一位市民反映的私事，电话13600000000。")["id"]
    oid = create(api, text=TEXT, appellant_name="王建国", reported_unit="dept-zjj", appeal_type="report")["id"]
    Order.objects.filter(pk=oid).update(
        ai_suggestions={
            "fields": {
                "phones": {"value": ["13958076543"], "label": "13958076543", "confidence": 1.0, "evidence": []},
                "appellant_name": {"value": "王建国", "label": "王建国", "confidence": 0.9, "evidence": []},
                "category": {"value": "030301", "label": "噪音", "confidence": 0.8, "evidence": []},
            },
            "similar": [{"order_id": other, "number": "X", "text": "另一位市民反映的私事，电话13600000000。"}],
        }
    )
    act(api, "dispatcher", oid, "dispatch", lead_unit="dept-zjj")
    seen = api("zjj").get(f"/api/v1/orders/{oid}").json()["ai"]["suggestions"]
    assert "phones" not in seen["fields"] and "appellant_name" not in seen["fields"]
    assert seen["fields"]["category"]["value"] == "030301"
    assert seen["similar"] == []  # zjj may not see the other order, so not its words either
    city = api("dispatcher").get(f"/api/v1/orders/{oid}").json()["ai"]["suggestions"]
    assert city["fields"]["phones"]["value"] == ["139****6543"]
    assert [row["order_id"] for row in city["similar"]] == [other] and "13600000000" not in city["similar"][0]["text"]
