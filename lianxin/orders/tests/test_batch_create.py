"""Bulk intake: POST /api/v1/orders/batch creates many orders in one transaction, all or none."""

from typing import Any

import pytest

from lianxin.intake.models import SimilarityEntry
from lianxin.orders.models import Order, OrderEvent

pytestmark = pytest.mark.django_db

ITEM = {
    "channel": "hotline",
    "appeal_type": "complaint",
    "text": "市民反映沈家门街道半升洞社区附近工地夜间施工噪音扰民，已持续一周，希望尽快处理。",
    "appellant_name": "王先生",
    "appellant_phones": ["139 5807 6543"],
    "town": "330903001",
    "category": "030301",
    "analyze": False,
}


def batch(api: Any, items: list[dict[str, Any]], user: str = "calltaker") -> Any:
    return api(user).post("/api/v1/orders/batch", {"orders": items}, format="json")


def test_batch_creates_orders_like_single_creates(api: Any, django_capture_on_commit_callbacks: Any) -> None:
    single = api("calltaker").post("/api/v1/orders", ITEM, format="json").json()
    items = [{**ITEM, "idempotency_key": f"imp-{i}", "appellant_phones": [f"1395807654{i}"]} for i in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        response = batch(api, items)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["created"] == 3 and [r["created"] for r in body["results"]] == [True, True, True]
    orders = Order.objects.in_bulk([r["id"] for r in body["results"]])
    model = Order.objects.get(pk=single["id"])
    for result in body["results"]:
        order = orders[result["id"]]
        assert order.number == result["number"] and order.number.endswith(f"{order.pk:08d}")
        assert order.status == "received" and order.version == model.version
        for due in ("accept_due", "sign_due", "reply_due", "callback_due", "deadline_exact", "rule_version"):
            assert (getattr(order, due) is None) == (getattr(model, due) is None), due
        assert order.district is not None and order.district.code == "330903"
        assert list(OrderEvent.objects.filter(order=order).values_list("seq", "kind")) == [(1, "created")]
    assert SimilarityEntry.objects.filter(order_id__in=orders).count() == 3


def test_retried_batch_creates_nothing_twice(api: Any) -> None:
    items = [{**ITEM, "idempotency_key": f"retry-{i}"} for i in range(2)]
    first = batch(api, items).json()
    again = batch(api, [*items, {**ITEM, "idempotency_key": "retry-2"}])
    assert again.status_code == 201
    body = again.json()
    assert [r["id"] for r in body["results"][:2]] == [r["id"] for r in first["results"]]
    assert [r["created"] for r in body["results"]] == [False, False, True] and body["created"] == 1
    assert Order.objects.count() == 3
    assert batch(api, items).status_code == 200  # nothing new


def test_same_key_twice_in_one_batch_is_one_order(api: Any) -> None:
    body = batch(api, [{**ITEM, "idempotency_key": "twice"}, {**ITEM, "idempotency_key": "twice"}]).json()
    assert body["results"][0]["id"] == body["results"][1]["id"]
    assert [r["created"] for r in body["results"]] == [True, False]
    assert Order.objects.count() == 1


def test_one_bad_item_writes_nothing_and_names_the_item(api: Any) -> None:
    response = batch(api, [ITEM, {**ITEM, "town": "no-such-town"}])
    assert response.status_code == 400
    assert "orders" in response.json()["errors"]
    assert "1" in str(response.json()["errors"]["orders"])
    # A place that does not nest is found by the action, after validation: still the item's name.
    wrong = batch(api, [ITEM, {**ITEM, "district": "330902"}])
    assert wrong.status_code == 400 and "orders.1.town" in wrong.json()["errors"], wrong.json()
    assert Order.objects.count() == 0


def test_someone_elses_key_is_a_conflict_for_the_whole_batch(api: Any) -> None:
    batch(api, [{**ITEM, "idempotency_key": "mine"}], user="calltaker")
    response = batch(api, [{**ITEM, "idempotency_key": "new"}, {**ITEM, "idempotency_key": "mine"}], user="dispatcher")
    assert response.status_code == 409
    assert "orders.1.idempotency_key" in response.json()["errors"]
    assert Order.objects.count() == 1


def test_repeat_appeal_flag_within_a_batch(api: Any) -> None:
    items = [
        {**ITEM, "received_at": "2026-11-02T09:00:00+08:00"},
        {**ITEM, "received_at": "2026-11-01T09:00:00+08:00"},
        {**ITEM, "received_at": "2026-11-03T09:00:00+08:00", "appellant_phones": ["13600000000"]},
    ]
    ids = [r["id"] for r in batch(api, items).json()["results"]]
    flags = dict(Order.objects.filter(pk__in=ids).values_list("pk", "is_repeat"))
    assert [flags[i] for i in ids] == [True, False, False]


def test_batch_limits(api: Any) -> None:
    assert batch(api, []).status_code == 400
    assert batch(api, [ITEM] * 501).status_code == 400
    assert api("calltaker").post("/api/v1/orders/batch", [ITEM], format="json").status_code == 400
    assert batch(api, [ITEM], user="zjj").status_code == 403
    assert Order.objects.count() == 0
