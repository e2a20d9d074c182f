"""An independent client from PyPI (`georeport` 0.3.1) against a running Lianxin server, in JSON and XML.

The client cannot create requests, so the test posts them over plain HTTP exactly as the spec describes
(application/x-www-form-urlencoded, api_key in the body) and reads them back through the client.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from typing import Any

import pytest
from georeport import GeoReport

from lianxin.open311.tests.conftest import KEY, LAMP, NOISE


def post(base: str, fmt: str, form: dict[str, Any]) -> bytes:
    body = urllib.parse.urlencode(form, doseq=True).encode("utf-8")
    request = urllib.request.Request(
        f"{base}/requests.{fmt}",
        data=body,
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        content: bytes = response.read()
        return content


def as_list(value: Any) -> list[Any]:
    """xmltodict gives a dict for one repeated element and a list for several."""
    return value if isinstance(value, list) else [value]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_client_round_trip(live_server: Any, transactional_db: Any, fmt: str) -> None:
    from lianxin.open311.models import ApiKey

    ApiKey.objects.create(key=KEY, name="georeport 测试", channel="测试客户端", rate_limit_per_minute=100)
    base = f"{live_server.url}/open311/v2"
    first = json.loads(post(base, "json", {**LAMP, "api_key": KEY}))[0]["service_request_id"]
    xml_answer = post(base, "xml", {**NOISE, "api_key": KEY}).decode("utf-8")
    second = xml_answer.split("<service_request_id>")[1].split("</service_request_id>")[0]

    client = GeoReport(base, jurisdiction="zhoushan.gov.cn", output_format=fmt)
    services = client.get_service_list()
    assert len(services) == 117
    codes = {s["service_code"] for s in services}
    assert {"040201", "030102"} <= codes
    stall = next(s for s in services if s["service_code"] == "040201")
    assert stall["group"] == "城市管理" and str(stall["metadata"]).lower() == "true"

    definition = client.get_service_definition("040201")
    attributes = definition["attributes"] if fmt == "json" else as_list(definition["attributes"]["attribute"])
    assert {a["datatype"] for a in attributes} == {
        "string", "number", "datetime", "text", "singlevaluelist", "multivaluelist",
    }  # fmt: skip

    found = as_list(client.get_service_requests(service_request_id=f"{first},{second}"))
    assert {r["service_request_id"] for r in found} == {first, second}
    by_id = {r["service_request_id"]: r for r in found}
    assert by_id[first]["status"] == "open" and by_id[first]["service_code"] == "040201"
    assert by_id[second]["address"] == "浙江省舟山市定海区解放东路188号"
    assert float(by_id[first]["lat"]) == 30.016 and float(by_id[first]["long"]) == 122.107

    only_open = as_list(client.get_service_requests(status="open", service_code="030102"))
    assert [r["service_request_id"] for r in only_open] == [second]

    one = client.get_service_request(second)
    assert one["service_request_id"] == second and one["service_name"] == "商业经营噪声"
    assert one["description"] == NOISE["description"]
