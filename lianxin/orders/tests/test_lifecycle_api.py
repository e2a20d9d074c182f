"""One order from intake to close through the JSON API, and the rules each step enforces."""

from typing import Any

import pytest

from lianxin.orders.models import Order, OrderEvent

pytestmark = pytest.mark.django_db

NEW = {
    "channel": "hotline",
    "appeal_type": "complaint",
    "text": "市民王先生来电反映沈家门街道半升洞社区附近工地夜间施工噪音扰民，已持续一周，希望尽快处理。",
    "appellant_name": "王先生",
    "appellant_phones": ["139 5807 6543"],
    "town": "330903001",
    "category": "030301",
    "analyze": False,
}


def create(api: Any, **changes: Any) -> dict[str, Any]:
    response = api("calltaker").post("/api/v1/orders", {**NEW, **changes}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def act(api: Any, user: str, order_id: int, action: str, status: int = 200, **body: Any) -> dict[str, Any]:
    response = api(user).post(f"/api/v1/orders/{order_id}/{action}", body, format="json")
    assert response.status_code == status, response.json()
    return response.json()


def test_intake_to_close_changes_kpis(api: Any) -> None:
    before = api("supervisor").get("/api/v1/kpis").json()["total"]
    order = create(api)
    assert order["status"] == "received" and order["number"].startswith("ZS")
    assert order["district"]["code"] == "330903"
    assert order["appellant"]["phones"] == ["139****6543"]
    oid = order["id"]
    act(api, "calltaker", oid, "accept")
    act(api, "dispatcher", oid, "dispatch", lead_unit="330903001", co_units=["dept-zhzf"])
    act(api, "shenjiamen", oid, "sign")
    act(api, "zhzf", oid, "sign")
    act(api, "zhzf", oid, "reply", text="已配合现场执法。")
    detail = act(api, "shenjiamen", oid, "reply", text="已责令工地夜间停工，并告知市民。")
    assert detail["status"] == "replied"
    act(api, "callback", oid, "callback", contacted=True, solved=True, satisfaction="satisfied")
    closed = act(api, "callback", oid, "close")
    assert closed["status"] == "closed"
    kinds = [e["kind"] for e in api("dispatcher").get(f"/api/v1/orders/{oid}/timeline").json()]
    assert kinds == ["created", "accepted", "dispatched", "signed", "co_signed", "co_replied", "replied",
                     "called_back", "closed"]  # fmt: skip
    after = api("supervisor").get("/api/v1/kpis").json()["total"]
    assert after["received"] == before["received"] + 1
    assert after["closed"] == before["closed"] + 1
    assert after["reached"] == before["reached"] + 1


def test_wrong_state_is_409_with_reason_and_wrong_role_is_403(api: Any) -> None:
    oid = create(api)["id"]
    body = act(api, "callback", oid, "close", status=409)
    assert "已受理" in body["detail"]
    act(api, "calltaker", oid, "dispatch", status=403, lead_unit="dept-zjj")


def test_handling_unit_sees_only_its_orders_and_forbidden_looks_missing(api: Any) -> None:
    oid = create(api)["id"]
    act(api, "dispatcher", oid, "dispatch", lead_unit="dept-zjj")
    assert api("zjj").get(f"/api/v1/orders/{oid}").status_code == 200
    assert api("water").get(f"/api/v1/orders/{oid}").status_code == 404
    assert api("water").get(f"/api/v1/orders/{oid}/timeline").status_code == 404
    act(api, "water", oid, "sign", status=404)
    ids = [o["id"] for o in api("water").get("/api/v1/orders").json()["results"]]
    assert oid not in ids
    assert oid in [o["id"] for o in api("zjj").get("/api/v1/orders").json()["results"]]


def test_reporter_identity_hidden_from_unit_reported_on_even_as_handler(api: Any) -> None:
    oid = create(api, appeal_type="report", reported_unit="dept-zjj")["id"]
    act(api, "dispatcher", oid, "dispatch", lead_unit="dept-zjj")
    seen = api("zjj").get(f"/api/v1/orders/{oid}?unmask=1").json()["appellant"]
    assert seen["hidden"] and seen["phones"] == [] and "王" not in seen["name"]
    assert api("dispatcher").get(f"/api/v1/orders/{oid}").json()["appellant"]["name"] == "王先生"


def test_unmasked_view_is_logged(api: Any, users: dict[str, Any]) -> None:
    from lianxin.core.models import PersonalDataAccess

    oid = create(api)["id"]
    body = api("dispatcher").get(f"/api/v1/orders/{oid}?unmask=1").json()
    assert body["appellant"]["phones"] == ["13958076543"]
    assert PersonalDataAccess.objects.filter(user=users["dispatcher"], object_id=oid).exists()


def test_return_then_redispatch_and_reject(api: Any) -> None:
    oid = create(api)["id"]
    act(api, "dispatcher", oid, "dispatch", lead_unit="dept-zjj")
    act(api, "zjj", oid, "request_return", status=400)
    act(api, "zjj", oid, "request_return", reason="不属于住建职责", suggested_unit="dept-zhzf")
    body = act(api, "dispatcher", oid, "redispatch", lead_unit="dept-zhzf")
    assert body["lead_unit"]["code"] == "dept-zhzf" and body["status"] == "dispatched"
    assert api("zjj").get(f"/api/v1/orders/{oid}").status_code == 404
    act(api, "zhzf", oid, "sign")
    act(api, "zhzf", oid, "request_return", reason="仍不属于")
    body = act(api, "dispatcher", oid, "reject_return", reason="属于综合执法职责")
    assert body["status"] == "handling" and body["return_count"] == 2


def test_extension_request_approve_moves_reply_due(api: Any) -> None:
    oid = create(api)["id"]
    act(api, "dispatcher", oid, "dispatch", lead_unit="dept-zjj")
    due = act(api, "zjj", oid, "sign")["reply_due"]
    act(api, "zjj", oid, "request_extension", status=400, days=99, reason="x")
    act(api, "zjj", oid, "request_extension", days=5, reason="需协调多部门")
    act(api, "zjj", oid, "request_extension", status=409, days=3, reason="again")
    body = act(api, "dispatcher", oid, "approve_extension")
    assert body["reply_due"] > due and body["extension_count"] == 1


def test_redo_after_unsatisfied_callback(api: Any) -> None:
    oid = create(api)["id"]
    act(api, "dispatcher", oid, "dispatch", lead_unit="dept-zjj")
    act(api, "zjj", oid, "sign")
    act(api, "zjj", oid, "reply", text="已处理")
    body = act(api, "callback", oid, "callback", contacted=True, solved=False, satisfaction="unsatisfied",
               redo_if_unsatisfied=True)  # fmt: skip
    assert body["status"] == "handling" and body["redo_count"] == 1
    act(api, "zjj", oid, "reply", text="再次处理完毕")


def test_merge_and_unmerge(api: Any) -> None:
    parent = create(api)
    child = create(api, appellant_name="李女士", appellant_phones=["13600001111"])
    body = act(api, "dispatcher", child["id"], "merge", into=parent["number"], reason="同一工地噪音")
    assert body["parent"] == parent["number"] and body["allowed_actions"] == ["unmerge"]
    act(api, "calltaker", child["id"], "accept", status=409)
    assert child["number"] in api("dispatcher").get(f"/api/v1/orders/{parent['id']}").json()["merged_children"]
    body = act(api, "dispatcher", child["id"], "unmerge", reason="并错了")
    assert body["parent"] is None


def test_stale_version_is_a_conflict(api: Any) -> None:
    order = create(api)
    act(api, "calltaker", order["id"], "accept", expected_version=order["version"])
    body = act(api, "dispatcher", order["id"], "dispatch", status=409, lead_unit="dept-zjj",
               expected_version=order["version"])  # fmt: skip
    assert "他人" in body["detail"]


def test_idempotency_key_makes_one_order(api: Any) -> None:
    client = api("calltaker")
    first = client.post("/api/v1/orders", NEW, format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    again = client.post("/api/v1/orders", NEW, format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert Order.objects.filter(idempotency_key="abc-1").count() == 1


def test_timeline_is_append_only(api: Any) -> None:
    oid = create(api)["id"]
    event = OrderEvent.objects.filter(order_id=oid).first()
    assert event is not None
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def test_list_row_matches_declared_fields(api: Any, users: dict[str, Any]) -> None:
    """The hand-built list row must say exactly what the declared (schema) fields would."""
    from rest_framework.test import APIRequestFactory

    from lianxin.orders.api.outputs import OrderListOutput

    create(api)
    create(api, is_confidential=True, reported_unit="330903001", appellant_id_number="")
    request = APIRequestFactory().get("/api/v1/orders")
    for username in ("dispatcher", "shenjiamen"):
        request.user = users[username]
        for order in Order.objects.all():
            fast = OrderListOutput(order, context={"request": request}).data
            slow = dict(
                super(OrderListOutput, OrderListOutput(order, context={"request": request})).to_representation(order)
            )
            assert fast == slow
            assert list(fast) == OrderListOutput.Meta.fields
