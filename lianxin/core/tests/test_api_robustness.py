"""Nasty requests found by fuzzing (schemathesis and by hand): each is a 4xx with a "detail", never a 500.

Several only failed on PostgreSQL (NUL bytes in text) or only on SQLite (far-off datetimes), so the whole set
runs on both.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from lianxin.orders.models import Order

pytestmark = pytest.mark.django_db

NEW = {"channel": "hotline", "appeal_type": "help", "text": "定海区解放路路灯坏了三天，晚上很黑。", "analyze": False}


def cursor(raw: str) -> str:
    return base64.b64encode(raw.encode()).decode()


def order_with(**changes: Any) -> dict[str, Any]:
    return {**NEW, **changes}


# (user, method, path, JSON body or raw string, expected status); "{id}" is an order the user may see.
CASES: list[tuple[str, str, str, Any, int]] = [
    # NUL bytes: PostgreSQL refuses them in text, so they must stop at validation.
    ("calltaker", "POST", "/api/v1/orders", order_with(text="路灯\u0000坏了"), 400),
    ("calltaker", "POST", "/api/v1/orders", order_with(appellant_phones=["1380013\u00008000"]), 400),
    ("calltaker", "POST", "/api/v1/orders", order_with(tags=["a\u0000"]), 400),
    ("calltaker", "POST", "/api/v1/orders", order_with(idempotency_key="k\u0000"), 400),
    ("calltaker", "POST", "/api/v1/orders", order_with(category="01\u0000"), 400),
    ("calltaker", "POST", "/api/v1/orders", order_with(reported_unit="dept-zjj\u0000"), 400),
    ("calltaker", "POST", "/api/v1/orders", order_with(district="330902\u0000"), 400),
    ("dispatcher", "POST", "/api/v1/orders/{id}/dispatch", {"lead_unit": "dept-zjj\u0000"}, 400),
    ("dispatcher", "POST", "/api/v1/orders/{id}/dispatch", {"lead_unit": "dept-zjj", "co_units": ["a\u0000"]}, 400),
    ("dispatcher", "POST", "/api/v1/orders/{id}/merge", {"into": "ZS\u0000", "reason": "x"}, 400),
    ("supervisor", "POST", "/api/v1/orders/{id}/supervise", {"reason": "督办\u0000"}, 400),
    ("calltaker", "POST", "/api/v1/intake/analyze", {"text": "路灯\u0000坏了"}, 400),
    ("", "POST", "/api/v1/auth/token", {"username": "a\u0000", "password": "b"}, 400),
    ("dispatcher", "GET", "/api/v1/units?kind=town%00", None, 400),
    ("dispatcher", "GET", "/api/v1/orders?number=a%00b", None, 400),
    ("dispatcher", "GET", "/api/v1/orders?unit=a%00b", None, 400),
    ("dispatcher", "GET", "/api/v1/kpis?unit=a%00b", None, 400),
    # Wrong JSON types.
    ("calltaker", "POST", "/api/v1/orders", order_with(appellant_phones=[13800138000]), 400),
    ("calltaker", "POST", "/api/v1/orders", order_with(appellant_phones=[["13800138000"]]), 400),
    ("calltaker", "POST", "/api/v1/orders", order_with(idempotency_key=5), 400),
    ("calltaker", "POST", "/api/v1/orders", order_with(latitude=True, longitude=True), 400),
    ("calltaker", "POST", "/api/v1/orders", order_with(category=["01"]), 400),
    ("calltaker", "POST", "/api/v1/orders", order_with(district={"code": "330902"}), 400),
    ("calltaker", "POST", "/api/v1/orders", order_with(text={"a": 1}), 400),
    ("calltaker", "POST", "/api/v1/orders", [NEW], 400),
    ("calltaker", "POST", "/api/v1/orders", "null", 400),
    ("calltaker", "POST", "/api/v1/orders", "", 400),
    ("dispatcher", "POST", "/api/v1/orders/{id}/merge", {"into": 5, "reason": "x"}, 400),
    ("dispatcher", "POST", "/api/v1/orders/{id}/reply", {"text": "好", "attachments": [1]}, 400),
    ("", "POST", "/api/v1/auth/token", {"username": ["dispatcher"], "password": "lianxin2026"}, 400),
    # Huge numbers and deep nesting.
    ("calltaker", "POST", "/api/v1/orders", '{"channel": "hotline", "text": "路灯", "latitude": 1e999}', 400),
    ("calltaker", "POST", "/api/v1/orders", '{"channel": "hotline", "latitude": 1' + "0" * 5000 + "}", 400),
    ("calltaker", "POST", "/api/v1/orders", '{"text": ' + "[" * 100_000 + "]" * 100_000 + "}", 400),
    ("dispatcher", "POST", "/api/v1/orders/{id}/merge", {"into": "9" * 24, "reason": "x"}, 404),
    ("dispatcher", "POST", "/api/v1/orders/{id}/merge", {"into": "²", "reason": "x"}, 404),
    ("dispatcher", "POST", "/api/v1/orders/{id}/merge", {"into": "١٢", "reason": "x"}, 404),
    ("calltaker", "POST", "/api/v1/orders/{id}/accept", {"expected_version": 10**30}, 409),
    # Far-off and malformed dates (SQLite overflows converting them to UTC; KPI windows overflow date maths).
    ("calltaker", "POST", "/api/v1/orders", order_with(received_at="0001-01-01T00:00:00Z"), 400),
    ("calltaker", "POST", "/api/v1/orders", order_with(received_at="0000-00-00T00:00:00"), 400),
    (
        "calltaker",
        "POST",
        "/api/v1/intake/analyze",
        {"text": "昨天晚上路灯坏了", "received_at": "0001-01-01T00:00:00Z"},
        400,
    ),
    (
        "calltaker",
        "POST",
        "/api/v1/intake/analyze",
        {"text": "路灯坏了", "received_at": "9999-12-31T23:59:59-12:00"},
        400,
    ),
    ("dispatcher", "GET", "/api/v1/orders?received_after=0001-01-01T00:00:00", None, 400),
    ("dispatcher", "GET", "/api/v1/orders?received_before=0001-01-01T00:00:00%2B14:00", None, 400),
    ("dispatcher", "GET", "/api/v1/orders?received_before=9999-12-31T23:59:59-12:00", None, 400),
    ("dispatcher", "GET", "/api/v1/orders?received_after=0000-00-00", None, 400),
    ("dispatcher", "GET", "/api/v1/kpis?start=0001-01-01", None, 400),
    ("dispatcher", "GET", "/api/v1/kpis?end=0001-01-01", None, 400),
    ("dispatcher", "GET", "/api/v1/kpis?end=9999-12-31", None, 400),
    ("dispatcher", "GET", "/api/v1/kpis?start=0000-00-00", None, 400),
    # Unknown filter values and hand-made cursors.
    ("dispatcher", "GET", "/api/v1/orders?overdue=maybe", None, 400),
    ("dispatcher", "GET", "/api/v1/orders?supervised=x", None, 400),
    ("dispatcher", "GET", "/api/v1/orders?status=flying", None, 400),
    ("dispatcher", "GET", "/api/v1/units?kind=planet", None, 400),
    ("dispatcher", "GET", "/api/v1/orders?cursor=garbage", None, 404),
    ("dispatcher", "GET", f"/api/v1/orders?cursor={cursor('p=2026')}", None, 404),
    ("dispatcher", "GET", f"/api/v1/orders?cursor={cursor('r=1&p=x')}", None, 404),
    ("dispatcher", "GET", f"/api/v1/orders?cursor={cursor('p=0000-00-00')}", None, 404),
    ("dispatcher", "GET", f"/api/v1/orders?cursor={cursor('p=0001-01-01 00:00:00+08:00')}", None, 404),
    # Content types and addresses the routes do not know.
    ("calltaker", "POST", "/api/v1/orders", ("text/plain", json.dumps(NEW)), 415),
    ("calltaker", "POST", "/api/v1/orders", ("multipart/form-data", "x"), 400),
    ("calltaker", "POST", "/api/v1/orders", ("application/json", b'{"text": "\xff\xfe"}'), 400),
    ("dispatcher", "GET", "/api/v1/orders/-1", None, 404),
    ("dispatcher", "GET", "/api/v1/orders/1e3/timeline", None, 404),
    ("dispatcher", "POST", "/api/v1/orders/-1/sign", {}, 404),
    ("dispatcher", "GET", "/api/v1/orders/99999999999999999999", None, 404),
    ("dispatcher", "GET", "/api/v1/nothing-here", None, 404),
    ("calltaker", "DELETE", "/api/v1/orders/{id}", None, 405),
]


def send(client: Any, method: str, path: str, body: Any, **extra: Any) -> Any:
    if body is None:
        return client.generic(method, path, **extra)
    if isinstance(body, tuple):
        content_type, raw = body
        return client.generic(method, path, raw, content_type=content_type, **extra)
    raw = body if isinstance(body, str) else json.dumps(body)
    return client.generic(method, path, raw, content_type="application/json", **extra)


@pytest.fixture
def order_id(api: Any) -> int:
    response = api("calltaker").post("/api/v1/orders", NEW, format="json")
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


@pytest.mark.parametrize(("user", "method", "path", "body", "status"), CASES)
def test_nasty_request_is_a_clear_4xx(
    api: Any, order_id: int, user: str, method: str, path: str, body: Any, status: int
) -> None:
    before = Order.objects.count()
    response = send(api(user or None), method, path.replace("{id}", str(order_id)), body)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    assert response.json()["detail"]
    assert Order.objects.count() == before


def test_idempotency_key_header_too_long_is_400(api: Any) -> None:
    response = api("calltaker").post("/api/v1/orders", NEW, format="json", HTTP_IDEMPOTENCY_KEY="k" * 500)
    assert response.status_code == 400
    assert response.json()["field"] == "idempotency_key"


def test_someone_elses_idempotency_key_reveals_nothing(api: Any) -> None:
    """A grid worker reusing a call-taker's key must not get back an order they may not see."""
    secret = {**NEW, "appellant_name": "王小明", "appellant_phones": ["13800138000"]}
    first = api("calltaker").post("/api/v1/orders", secret, format="json", HTTP_IDEMPOTENCY_KEY="shared-1")
    assert first.status_code == 201
    again = api("grid").post("/api/v1/orders", NEW, format="json", HTTP_IDEMPOTENCY_KEY="shared-1")
    assert again.status_code == 409
    assert "王小明" not in again.content.decode() and again.json()["detail"]
    same = api("calltaker").post("/api/v1/orders", secret, format="json", HTTP_IDEMPOTENCY_KEY="shared-1")
    assert same.status_code == 200 and same.json()["id"] == first.json()["id"]


ACTIONS = ["accept", "answer", "dispatch", "sign", "request_return", "redispatch", "reject_return",
           "request_extension", "approve_extension", "reject_extension", "reply", "callback", "close", "redo",
           "merge", "remind", "supervise"]  # fmt: skip


@pytest.mark.parametrize("action", ACTIONS)
def test_actions_on_a_merged_order_are_4xx(api: Any, action: str) -> None:
    parent = api("calltaker").post("/api/v1/orders", NEW, format="json").json()
    child = api("calltaker").post("/api/v1/orders", {**NEW, "text": "同一处路灯又坏了"}, format="json").json()
    merged = api("dispatcher").post(
        f"/api/v1/orders/{child['id']}/merge", {"into": parent["number"], "reason": "同一诉求"}, format="json"
    )
    assert merged.status_code == 200, merged.content
    body = {"reason": "x", "text": "x", "reply": "x", "lead_unit": "dept-zjj", "days": 3, "contacted": True,
            "into": parent["number"]}  # fmt: skip
    for user in ("dispatcher", "supervisor", "admin"):
        client = api(user)
        # Send only the fields this action knows, so the refusal is about the merge, not a typo.
        for attempt in (body, {}):
            response = client.post(f"/api/v1/orders/{child['id']}/{action}", attempt, format="json")
            assert 400 <= response.status_code < 500, response.content[:300]
            assert response.json()["detail"]


OPEN311 = "/open311/v2/requests.json"
FORM = {
    "api_key": "robustness-key",
    "service_code": "010101",
    "description": "小区物业不管事",
    "address_string": "定海区",
}


@pytest.fixture
def open311_key(db: Any) -> Any:
    from lianxin.open311.models import ApiKey

    return ApiKey.objects.create(key=FORM["api_key"], name="fuzz", channel="fuzz", rate_limit_per_minute=10_000)


@pytest.mark.parametrize(
    ("method", "path", "data", "status"),
    [
        ("POST", OPEN311, {**FORM, "api_key": "robustness-key\u0000"}, 403),
        ("POST", OPEN311 + "?jurisdiction_id=%00", FORM, 400),
        ("GET", OPEN311 + "?service_request_id=a%00", None, 400),
        ("GET", OPEN311 + "?service_code=a%00", None, 400),
        ("GET", "/open311/v2/requests/a%00b.json", None, 400),
        ("GET", "/open311/v2/services/a%00b.json", None, 400),
        ("GET", OPEN311 + "?start_date=0001-01-01T00:00:00%2B14:00", None, 400),
        ("GET", OPEN311 + "?end_date=0001-01-01T00:00:00Z", None, 400),
        ("GET", OPEN311 + "?start_date=9999-12-31T23:59:59Z", None, 400),
        ("GET", OPEN311 + "?end_date=9999-12-31T23:59:59-12:00", None, 400),
        ("GET", OPEN311 + "?extensions=true&page=%C2%B2", None, 400),
        ("GET", OPEN311 + "?extensions=true&page_size=%D9%A1", None, 400),
        ("POST", OPEN311, ("multipart/form-data", "abc"), 400),
        ("POST", OPEN311, ("application/x-www-form-urlencoded", "&".join(f"a{i}=1" for i in range(3000))), 400),
    ],
)
def test_open311_nasty_request_names_the_problem(
    client: Any, open311_key: Any, method: str, path: str, data: Any, status: int
) -> None:
    if isinstance(data, tuple):
        response = client.generic(method, path, data[1], content_type=data[0])
    elif data is not None:
        response = client.post(path, data)
    else:
        response = client.generic(method, path)
    assert response.status_code == status, response.content[:300]
    problems = response.json()
    assert problems and all(p["description"] for p in problems)
    assert not any("General service error" in p["description"] for p in problems), problems
