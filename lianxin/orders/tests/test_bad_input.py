"""Bad input is a 400 naming the field, and nothing is half-written."""

from typing import Any

import pytest

from lianxin.orders.models import Order

pytestmark = pytest.mark.django_db

GOOD = {"channel": "web", "appeal_type": "consult", "text": "请问定海区公租房怎么申请？", "analyze": False}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"surprise": 1}, "surprise"),
        ({"channel": "pigeon"}, "channel"),
        ({"text": 123456}, None),
        ({"text": "长" * 5001}, "text"),
        ({"appellant_phones": ["12345"]}, "appellant_phones"),
        ({"appellant_id_number": "330902198801011235"}, "appellant_id_number"),
        ({"town": "999999999"}, "town"),
        ({"category": "nope"}, "category"),
        ({"received_at": "2099-01-01T00:00:00+08:00"}, "received_at"),
        ({"latitude": 30.0}, "latitude"),
        ({"district": "330902", "town": "330903001"}, "town"),
        ({"appellant_phones": "13958076543"}, "appellant_phones"),
    ],
)
def test_bad_create_is_400_naming_the_field(api: Any, change: dict[str, Any], field: str | None) -> None:
    before = Order.objects.count()
    response = api("calltaker").post("/api/v1/orders", {**GOOD, **change}, format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"]
    if field:
        assert field in body["errors"], body
    assert Order.objects.count() == before


def test_malformed_json_is_400(api: Any) -> None:
    response = api("calltaker").post("/api/v1/orders", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def test_body_that_is_not_an_object_is_400(api: Any) -> None:
    response = api("calltaker").post("/api/v1/orders", [1, 2], format="json")
    assert response.status_code == 400


def test_list_filters_validate(api: Any) -> None:
    client = api("dispatcher")
    assert client.get("/api/v1/orders?status=flying").status_code == 400
    assert client.get("/api/v1/orders?unit=nowhere").status_code == 400
    bad_range = client.get("/api/v1/orders?received_after=2026-11-02T00:00:00Z&received_before=2026-11-01T00:00:00Z")
    assert bad_range.status_code == 400
    assert client.get("/api/v1/kpis?start=2026-11-05&end=2026-11-01").status_code == 400


def test_unknown_unit_in_dispatch_is_400(api: Any) -> None:
    oid = api("calltaker").post("/api/v1/orders", GOOD, format="json").json()["id"]
    response = api("dispatcher").post(f"/api/v1/orders/{oid}/dispatch", {"lead_unit": "nobody"}, format="json")
    assert response.status_code == 400 and "lead_unit" in response.json()["errors"]


def test_unauthenticated_is_401_or_403(api: Any) -> None:
    assert api().get("/api/v1/orders").status_code in (401, 403)


def test_token_login(api: Any) -> None:
    ok = api().post("/api/v1/auth/token", {"username": "calltaker", "password": "lianxin2026"}, format="json")
    assert ok.status_code == 200 and ok.json()["token"]
    bad = api().post("/api/v1/auth/token", {"username": "calltaker", "password": "x"}, format="json")
    assert bad.status_code == 400
