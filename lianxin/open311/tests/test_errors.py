"""Every error in the spec's shape, in the requested format, with the right HTTP status; never a 500 or HTML."""

from __future__ import annotations

from typing import Any

import pytest

from lianxin.open311.tests.conftest import KEY, LAMP
from lianxin.open311.tests.support import check_pair

pytestmark = pytest.mark.django_db
REQUESTS = "/open311/v2/requests.{fmt}"


def post_error(client: Any, name: str | None, data: dict[str, Any], status: int = 400) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = check_pair(client, REQUESTS, "errors", name, status=status, method="post", data=data)
    return result


def test_api_key_missing(client: Any, api_key: Any) -> None:
    post_error(client, "error_api_key_missing", dict(LAMP), 403)


def test_api_key_invalid(client: Any, api_key: Any) -> None:
    post_error(client, "error_api_key_invalid", {**LAMP, "api_key": "nope"}, 403)


def test_api_key_revoked(client: Any, api_key: Any) -> None:
    api_key.is_active = False
    api_key.save()
    assert api_key.revoked_at is not None
    post_error(client, "error_api_key_revoked", {**LAMP, "api_key": KEY}, 403)


def test_service_code_missing(client: Any, api_key: Any) -> None:
    data = {k: v for k, v in LAMP.items() if k != "service_code"}
    post_error(client, "error_service_code_missing", {**data, "api_key": KEY})


def test_service_code_unknown(client: Any, api_key: Any) -> None:
    post_error(client, "error_service_code_unknown", {**LAMP, "service_code": "999999", "api_key": KEY}, 404)


def test_location_missing(client: Any, api_key: Any) -> None:
    data = {k: v for k, v in LAMP.items() if k not in ("lat", "long")}
    post_error(client, "error_location_missing", {**data, "api_key": KEY})


def test_lat_without_long_and_bad_values(client: Any, api_key: Any) -> None:
    errors = post_error(client, "error_lat_only", {**LAMP, "long": "", "api_key": KEY})
    assert "lat and long must be given together" in errors[0]["description"]
    errors = post_error(client, None, {**LAMP, "lat": "91", "long": "abc", "api_key": KEY})
    assert len(errors) == 2


def test_attributes_checked_against_definition(client: Any, api_key: Any) -> None:
    data = {
        **LAMP,
        "api_key": KEY,
        "attribute[appeal_type]": "angry",
        "attribute[affected_people]": "many",
        "attribute[occurred_at]": "yesterday",
        "attribute[reply_channels][]": ["sms", "fax"],
        "attribute[colour]": "red",
    }
    errors = post_error(client, "error_attributes", data)
    assert len(errors) == 5 and all(e["code"] == 400 for e in errors)


def test_required_attribute_missing(client: Any, api_key: Any) -> None:
    from lianxin.core.models import Category
    from lianxin.open311.models import ServiceQuestion

    ServiceQuestion.objects.create(
        category=Category.objects.get(code="040201"),
        code="stall_count",
        description="摊位数量",
        datatype="number",
        required=True,
    )
    post_error(client, "error_attribute_required", {**LAMP, "api_key": KEY})


def test_description_too_long_or_html(client: Any, api_key: Any) -> None:
    errors = post_error(client, None, {**LAMP, "description": "长" * 4001, "api_key": KEY})
    assert "4000" in errors[0]["description"]
    post_error(client, "error_description_html", {**LAMP, "description": "<script>alert(1)</script>", "api_key": KEY})


def test_bad_personal_fields(client: Any, api_key: Any) -> None:
    data = {**LAMP, "email": "not-an-address", "phone": "12", "media_url": "javascript:alert(1)", "api_key": KEY}
    assert len(post_error(client, None, data)) == 3


def test_jurisdiction(client: Any, api_key: Any) -> None:
    ok = client.get("/open311/v2/services.json?jurisdiction_id=zhoushan.gov.cn")
    assert ok.status_code == 200
    check_pair(client, "/open311/v2/services.{fmt}?jurisdiction_id=example.org", "errors", "error_jurisdiction", 404)
    post_error(client, None, {**LAMP, "api_key": KEY, "jurisdiction_id": "example.org"}, 404)


def test_rate_limit(client: Any, api_key: Any) -> None:
    api_key.rate_limit_per_minute = 2
    api_key.save()
    for _ in range(2):
        assert client.post("/open311/v2/requests.json", {**LAMP, "api_key": KEY}).status_code == 200
    response = client.post("/open311/v2/requests.json", {**LAMP, "api_key": KEY})
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert response.json()[0]["code"] == 429


def test_unknown_service_definition(client: Any) -> None:
    check_pair(client, "/open311/v2/services/999999.{fmt}", "errors", "error_service_not_found", 404)


def test_unknown_request_and_token(client: Any) -> None:
    check_pair(client, "/open311/v2/requests/ZS2099010100000001.{fmt}", "errors", "error_request_not_found", 404)
    check_pair(client, "/open311/v2/tokens/not-a-token.{fmt}", "errors", "error_token_not_found", 404)
    check_pair(client, "/open311/v2/tokens/00000000-0000-0000-0000-000000000000.{fmt}", "errors", None, 404)


def test_query_errors(client: Any) -> None:
    check_pair(client, REQUESTS + "?start_date=yesterday", "errors", "error_bad_date", 400)
    check_pair(client, REQUESTS + "?start_date=2025-01-01T00:00:00", "errors", None, 400)  # no timezone
    span = "?start_date=2025-01-01T00:00:00Z&end_date=2025-06-01T00:00:00Z"
    check_pair(client, REQUESTS + span, "errors", "error_span_over_90_days", 400)
    check_pair(client, REQUESTS + "?start_date=2025-06-01T00:00:00Z&end_date=2025-05-01T00:00:00Z", "errors", None, 400)
    check_pair(client, REQUESTS + "?status=pending", "errors", "error_bad_status", 400)
    check_pair(client, REQUESTS + "?extensions=true&page=0", "errors", None, 400)


def test_unknown_format_and_route_are_spec_errors(client: Any) -> None:
    for path in ("/open311/v2/services.html", "/open311/v2/requests.csv", "/open311/v2/discovery"):
        response = client.get(path)
        assert response.status_code == 404 and response["Content-Type"] == "text/xml; charset=utf-8"
        assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?><errors><error><code>404</code>')
    check_pair(client, "/open311/v2/nothing/here.{fmt}", "errors", "error_no_route", 404)
    response = client.post("/open311/v2/requests.html", {"api_key": KEY})
    assert response.status_code == 404 and b"<errors>" in response.content


def test_method_not_allowed(client: Any) -> None:
    check_pair(client, "/open311/v2/services.{fmt}", "errors", "error_method", 405, method="post")
    assert client.delete("/open311/v2/requests.json").status_code == 405


def test_no_csrf_no_session_for_post(api_key: Any) -> None:
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/open311/v2/requests.json", {**LAMP, "api_key": KEY}).status_code == 200


def test_unexpected_failure_is_a_general_400(client: Any, api_key: Any, monkeypatch: Any) -> None:
    from lianxin.open311 import catalogue

    def boom() -> None:
        raise RuntimeError("database is down")

    monkeypatch.setattr(catalogue, "service_categories", boom)
    check_pair(client, "/open311/v2/services.{fmt}", "errors", "error_general", 400)
