"""Tracking: the public view of an order, no personal data, no enumeration, failed attempts limited."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client, override_settings

from lianxin.core.models import User
from lianxin.orders import actions
from lianxin.public.tests.helpers import APPEAL_TEXT, drive, web_order

pytestmark = pytest.mark.django_db


def track(client: Client, number: str, code: str, ip: str = "10.1.0.1") -> Any:
    return client.post("/public/track/", {"number": number, "code": code}, REMOTE_ADDR=ip)


def alert(page: str) -> str:
    match = re.search(r'id="lookup-error">([^<]*)<', page)
    return match.group(1) if match else ""


def test_timeline_in_plain_chinese_with_unit_names_and_reply(users: dict[str, User]) -> None:
    order = drive(web_order(), users, "replied")
    response = track(Client(), order.number.lower(), f" {order.verify_code} ")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="status">已答复<' in page
    for label in (
        "诉求已受理",
        "审核通过，等待分派承办单位",
        "已转交沈家门街道办理",
        "沈家门街道已签收",
        "沈家门街道已答复",
    ):
        assert label in page
    assert "经现场核查，已责令工地夜间停工。" in page
    assert 'id="rating-form"' in page


def test_no_personal_data_no_operators_no_internal_reasons(users: dict[str, User]) -> None:
    order = drive(web_order(is_confidential=True), users, "closed")
    page = track(Client(), order.number, order.verify_code).content.decode()
    for secret in ("王建国", "13958076543", "139****6543", APPEAL_TEXT[:12], "老上访户", "来电核实",
                   "派单员老周", "沈家门街道承办员", "回访员小林", "calltaker", "dispatcher"):  # fmt: skip
        assert secret not in page, secret


def test_internal_overlays_and_returns_stay_out_of_the_public_timeline(users: dict[str, User]) -> None:
    order = drive(web_order(), users, "handling")
    actions.supervise(order.pk, users["supervisor"], reason="督办：王建国多次来电")
    actions.request_extension(order.pk, users["shenjiamen"], days=5, reason="需要协调施工方")
    page = track(Client(), order.number, order.verify_code).content.decode()
    assert "督办" not in page and "延期" not in page and "协调施工方" not in page
    assert 'id="status">办理中<' in page and "答复期限" in page


def test_wrong_code_and_missing_number_look_the_same(users: dict[str, User]) -> None:
    order = web_order()
    wrong_code = "000000" if order.verify_code != "000000" else "111111"
    client = Client()
    wrong = track(client, order.number, wrong_code)
    missing = track(client, "ZS2099010199999999", wrong_code)
    assert wrong.status_code == missing.status_code == 200
    assert alert(wrong.content.decode()) == alert(missing.content.decode()) != ""
    assert order.number in wrong.content.decode()  # the form keeps what was typed
    assert "诉求已受理" not in wrong.content.decode()


@override_settings(LIANXIN_PUBLIC_LIMITS={"track_fail_ip": (3, 3600)})
def test_failed_attempts_are_limited_per_ip_even_for_the_right_pair() -> None:
    order = web_order()
    client = Client()
    for i in range(3):
        assert track(client, order.number, f"99999{i}").status_code == 200
    blocked = track(client, order.number, order.verify_code)
    assert blocked.status_code == 429 and "查询失败次数过多" in blocked.content.decode()
    assert track(client, order.number, order.verify_code, ip="10.1.0.2").status_code == 200


@override_settings(LIANXIN_PUBLIC_LIMITS={"track_fail_number": (3, 86400)})
def test_failed_attempts_are_limited_per_case_number_across_ips() -> None:
    order = web_order()
    client = Client()
    for i in range(3):
        track(client, order.number, f"99999{i}", ip=f"10.2.0.{i}")
    assert track(client, order.number, order.verify_code, ip="10.2.0.9").status_code == 429
    # The same lock-out happens for a number that does not exist, so it reveals nothing.
    for i in range(3):
        track(client, "ZS2099010199999999", f"99999{i}", ip=f"10.3.0.{i}")
    assert track(client, "ZS2099010199999999", "123456", ip="10.3.0.9").status_code == 429


def test_merged_order_shows_joint_progress_without_the_other_case_number(users: dict[str, User]) -> None:
    parent = drive(web_order(appellant_name="李丽娟", appellant_phones=["13800000000"]), users, "handling")
    child = web_order()
    actions.merge(child.pk, users["dispatcher"], into=parent.pk, reason="同一工地噪音")
    page = track(Client(), child.number, child.verify_code).content.decode()
    assert "已与同类诉求合并办理" in page and 'id="status">办理中<' in page
    assert parent.number not in page and "李丽娟" not in page


def test_bad_input_keeps_the_form() -> None:
    response = Client().post("/public/track/", {"number": "ZS123", "code": ""})
    page = response.content.decode()
    assert response.status_code == 200 and "请填写6位查询码" in page and 'value="ZS123"' in page
