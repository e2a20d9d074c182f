"""Every GeoReport v2 method in both formats, against golden files and the JSON Schemas."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lianxin.open311.tests.conftest import KEY, LAMP, T0
from lianxin.open311.tests.support import check_pair

pytestmark = pytest.mark.django_db
LATER = T0 + dt.timedelta(hours=1)


def test_discovery(client: Any) -> None:
    data = check_pair(client, "/open311/v2/discovery.{fmt}", "discovery", "discovery")
    assert data["endpoints"][0]["url"] == "http://testserver/open311/v2"
    assert "text/xml" in data["endpoints"][0]["formats"]


def test_service_list(client: Any) -> None:
    data = check_pair(client, "/open311/v2/services.{fmt}", "services", "services")
    assert len(data) == 117  # every level-3 category of the Zhoushan tree
    lamp = next(s for s in data if s["service_code"] == "040201")
    assert lamp["service_name"] == "占道经营与流动摊贩"
    assert lamp["metadata"] is True and lamp["type"] == "realtime"
    assert len({s["service_code"] for s in data}) == len(data)


def test_service_definition_has_all_six_datatypes(client: Any) -> None:
    data = check_pair(client, "/open311/v2/services/040201.{fmt}", "service-definition", "service_definition")
    datatypes = {a["datatype"] for a in data["attributes"]}
    assert datatypes == {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}
    orders = [a["order"] for a in data["attributes"]]
    assert orders == list(range(1, len(orders) + 1))
    assert any(a["variable"] is False for a in data["attributes"])


def test_service_definition_with_admin_questions(client: Any) -> None:
    from lianxin.core.models import Category
    from lianxin.open311.models import ServiceQuestion

    top = Category.objects.get(code="04")
    ServiceQuestion.objects.create(
        category=top, code="bin_count", description="垃圾桶数量", datatype="number", required=True, order=1
    )
    data = check_pair(client, "/open311/v2/services/040201.{fmt}", "service-definition", None)
    first = data["attributes"][0]
    assert (first["code"], first["required"], first["order"]) == ("bin_count", True, 1)
    other = check_pair(client, "/open311/v2/services/010101.{fmt}", "service-definition", None)
    assert "bin_count" not in {a["code"] for a in other["attributes"]}


def test_post_request(client: Any, api_key: Any, clock: Any) -> None:
    from lianxin.open311.models import Submission
    from lianxin.orders.models import Order

    with clock(T0):
        data = check_pair(
            client,
            "/open311/v2/requests.{fmt}",
            "post-requests",
            "post_request",
            method="post",
            data={**LAMP, "api_key": KEY},
        )
    order = Order.objects.get(number=data[0]["service_request_id"])
    assert order.channel == "open311" and order.category is not None and order.category.code == "040201"
    assert order.text == LAMP["description"] and order.appeal_type == "help"
    assert order.appellant_name == "王明" and order.appellant_phones == ["13805801234"]
    assert (order.latitude, order.longitude) == (30.016, 122.107)
    assert order.status == "received" and order.created_by is None
    assert "舟山通APP" in order.tags
    submission = Submission.objects.get(order=order)
    assert submission.attributes == {"appeal_type": "help", "affected_people": 30, "reply_channels": ["sms", "phone"]}
    assert submission.email == "wang@example.com"
    assert Order.objects.filter(channel="open311").count() == 1  # the .xml POST repeated the .json one


def test_token_lookup(client: Any, api_key: Any, clock: Any) -> None:
    from lianxin.open311.models import Submission

    with clock(T0):
        client.post("/open311/v2/requests.json", {**LAMP, "api_key": KEY})
    submission = Submission.objects.get()
    data = check_pair(client, f"/open311/v2/tokens/{submission.token}.{{fmt}}", "token", "token")
    assert data == [{"service_request_id": submission.order.number, "token": str(submission.token)}]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_batch_mode_answers_a_token(client: Any, api_key: Any, settings: Any, fmt: str) -> None:
    from lianxin.open311.models import Submission

    settings.LIANXIN_OPEN311_SERVICE_TYPE = "batch"
    response = client.post(f"/open311/v2/requests.{fmt}", {**LAMP, "api_key": KEY})
    assert response.status_code == 200
    token = str(Submission.objects.get().token)
    assert token in response.content.decode()
    assert "service_request_id" not in response.content.decode()
    if fmt == "json":
        from lianxin.open311.tests.support import validate

        validate("post-requests", response.json())


def test_query_requests(client: Any, clock: Any, world: dict[str, Any]) -> None:
    with clock(LATER):
        data = check_pair(client, "/open311/v2/requests.{fmt}", "service-requests", "requests")
    assert [r["service_request_id"] for r in data] == [world["noise"].number, world["lamp"].number]
    noise, lamp = data
    assert (noise["status"], noise["status_notes"]) == ("closed", "直办办结")
    assert noise["updated_datetime"] == "2025-05-20T10:40:00+08:00"
    assert noise["address"] == "浙江省舟山市定海区解放东路188号"
    assert (lamp["status"], lamp["status_notes"]) == ("open", "办理中")
    assert lamp["agency_responsible"] == world["lamp"].lead_unit.name
    assert lamp["requested_datetime"] == "2025-05-20T10:00:00+08:00"
    assert lamp["expected_datetime"] is not None and lamp["expected_datetime"].endswith("+08:00")
    assert (lamp["lat"], lamp["long"]) == (30.016, 122.107)
    assert lamp["media_url"] == "https://example.com/photos/1.jpg"
    for personal in ("王", "1380580", "wang@example.com"):
        assert personal not in str(data)


def test_query_filters(client: Any, clock: Any, world: dict[str, Any]) -> None:
    lamp, noise = world["lamp"].number, world["noise"].number

    def ids(query: str) -> list[str]:
        with clock(LATER):
            return [
                r["service_request_id"]
                for r in check_pair(client, "/open311/v2/requests.{fmt}" + query, "service-requests", None)
            ]

    assert ids("?status=open") == [lamp]
    assert ids("?status=closed") == [noise]
    assert ids("?status=open,closed") == [noise, lamp]
    assert ids("?service_code=030102") == [noise]
    assert ids("?service_code=030102,040201") == [noise, lamp]
    assert ids("?service_code=&status=") == [noise, lamp]  # empty is the same as absent
    assert ids("?start_date=2025-05-20T02:05:00Z&end_date=2025-05-20T03:00:00Z") == [noise]
    assert ids("?start_date=2025-06-01T00:00:00%2B08:00") == []
    assert ids("?end_date=2025-05-20T10:05:00%2B08:00") == [lamp]
    # A list of ids overrides every other argument.
    assert ids(f"?service_request_id={lamp},{noise}&status=closed&service_code=999999") == [noise, lamp]


def test_query_default_window_is_90_days(client: Any, clock: Any, world: dict[str, Any]) -> None:
    with clock(T0 + dt.timedelta(days=91)):
        assert client.get("/open311/v2/requests.json").json() == []
    with clock(T0 + dt.timedelta(days=89)):
        assert len(client.get("/open311/v2/requests.json").json()) == 2


def test_single_request(client: Any, clock: Any, world: dict[str, Any]) -> None:
    data = check_pair(client, f"/open311/v2/requests/{world['lamp'].number}.{{fmt}}", "service-requests", "request")
    assert len(data) == 1 and data[0]["service_request_id"] == world["lamp"].number


def test_extensions_notes_and_pages(client: Any, clock: Any, world: dict[str, Any]) -> None:
    with clock(LATER):
        plain = client.get("/open311/v2/requests.json?page_size=1")
        assert len(plain.json()) == 2 and "notes" not in plain.json()[0]  # off by default
        assert "X-Total-Count" not in plain
        data = check_pair(
            client,
            "/open311/v2/requests.{fmt}?extensions=true&page_size=1&page=2",
            "service-requests",
            "requests_extensions",
            extensions=True,
        )
        response = client.get("/open311/v2/requests.json?extensions=true&page_size=1")
    assert response["X-Total-Count"] == "2" and 'rel="next"' in response["Link"]
    assert [r["service_request_id"] for r in data] == [world["lamp"].number]
    notes = data[0]["notes"]
    assert [n["type"] for n in notes] == ["created", "dispatched", "signed"]
    assert world["lamp"].lead_unit.name in notes[1]["description"]
    assert "派单员" not in str(notes)
