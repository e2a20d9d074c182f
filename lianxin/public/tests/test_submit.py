"""Submitting an appeal: the order it makes, the CAPTCHA, idempotency, the rate limit, kept input."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import signing
from django.test import Client, override_settings

from lianxin.orders.models import Order
from lianxin.public import challenge
from lianxin.public.models import RateHit
from lianxin.public.tests.helpers import APPEAL_TEXT, appeal_data, signed_challenge

pytestmark = pytest.mark.django_db


def post(client: Client, data: dict[str, Any], ip: str = "10.0.0.1") -> Any:
    return client.post("/public/submit/", data, REMOTE_ADDR=ip)


def test_submit_creates_a_web_order_without_actor_and_shows_number_and_code() -> None:
    client = Client()
    response = post(client, appeal_data(client))
    assert response.status_code == 200
    order = Order.objects.get()
    page = response.content.decode()
    assert order.number in page and order.verify_code in page
    assert len(order.verify_code) == 6 and order.verify_code.isdigit()
    assert order.channel == "web" and order.created_by is None and order.status == "received"
    assert order.appeal_type == "complaint" and order.text == APPEAL_TEXT
    assert order.appellant_name == "王建国" and order.appellant_phones == ["13958076543"]
    assert order.is_confidential and not order.is_anonymous
    assert order.district is not None and order.district.code == "330903"
    assert order.town is not None and order.town.code == "330903001"
    assert order.idempotency_key and order.idempotency_key.startswith("web-")
    assert order.events.get().kind == "created"


def test_name_and_phone_are_optional_and_blank_means_anonymous() -> None:
    client = Client()
    data = appeal_data(client, name="", phone="", confidential=None, district="", town="", address="")
    response = post(client, data)
    assert response.status_code == 200
    order = Order.objects.get()
    assert order.is_anonymous and not order.is_confidential and order.appellant_name == ""


def test_double_submit_with_the_same_form_token_makes_one_order() -> None:
    client = Client()
    data = appeal_data(client)
    first = post(client, data)
    second = post(client, data)
    assert Order.objects.count() == 1
    number = Order.objects.get().number
    assert number in first.content.decode() and number in second.content.decode()
    assert "已经提交过" in second.content.decode()


def test_reusing_a_solved_form_for_a_different_text_makes_no_second_order() -> None:
    client = Client()
    data = appeal_data(client)
    post(client, data)
    response = post(client, {**data, "text": "另一件事：小区门口路灯坏了一个多月，晚上很黑，请修理。"})
    assert Order.objects.count() == 1
    page = response.content.decode()
    assert "这张表单已经提交过" in page and "小区门口路灯坏了" in page


def test_wrong_captcha_makes_no_order_keeps_the_input_and_asks_a_new_question() -> None:
    client = Client()
    data = appeal_data(client)
    wrong = str(int(data["captcha"]) + 1)
    response = post(client, {**data, "captcha": wrong})
    assert response.status_code == 200
    assert not Order.objects.exists()
    page = response.content.decode()
    assert "验证题答案不正确" in page
    assert APPEAL_TEXT in page and 'value="王建国"' in page and 'value="139 5807 6543"' in page
    assert 'value="330903001" selected' in page and "checked" in page
    new_signed = signed_challenge(page)
    assert new_signed != data["challenge"]
    # The new question keeps the form token, so answering it now creates the order.
    assert challenge.load(new_signed).token == challenge.load(data["challenge"]).token
    post(client, {**data, "challenge": new_signed, "captcha": str(challenge.load(new_signed).answer)})
    assert Order.objects.count() == 1


@override_settings(LIANXIN_PUBLIC_LIMITS={"captcha_fail_ip": (3, 3600)})
def test_wrong_captcha_answers_are_limited_per_ip() -> None:
    client = Client()
    data = appeal_data(client)
    signed = data["challenge"]
    for _i in range(3):
        wrong = str(challenge.load(signed).answer + 1)
        page = post(client, {**data, "challenge": signed, "captcha": wrong}).content.decode()
        signed = signed_challenge(page)
    right = str(challenge.load(signed).answer)
    blocked = post(client, {**data, "challenge": signed, "captcha": right})
    assert blocked.status_code == 429 and "验证题答错次数过多" in blocked.content.decode()
    assert APPEAL_TEXT in blocked.content.decode()
    assert not Order.objects.exists()
    assert post(client, appeal_data(client), ip="10.0.0.3").status_code == 200


def test_missing_or_forged_challenge_makes_no_order() -> None:
    client = Client()
    data = appeal_data(client)
    forged = signing.dumps({"a": 1, "b": 1, "op": "+", "t": "abc"}, salt="someone-else")
    for value in ("", forged):
        response = post(client, {**data, "challenge": value, "captcha": "2"})
        assert response.status_code == 200 and "请重新回答验证题" in response.content.decode()
        assert APPEAL_TEXT in response.content.decode()
    assert not Order.objects.exists()


def test_expired_challenge_asks_again(monkeypatch: pytest.MonkeyPatch) -> None:
    client = Client()
    data = appeal_data(client)
    real_time = signing.time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() + challenge.MAX_AGE_SECONDS + 60)
    response = post(client, data)
    assert "验证题已过期" in response.content.decode()
    assert not Order.objects.exists()


def test_field_errors_keep_input_and_a_solved_question() -> None:
    client = Client()
    data = appeal_data(client, phone="12345", text="太短")
    response = post(client, data)
    page = response.content.decode()
    assert not Order.objects.exists()
    assert "电话号码格式不正确" in page and "反映内容太短" in page
    assert 'value="12345"' in page and "太短" in page
    assert signed_challenge(page) == data["challenge"] and f'value="{data["captcha"]}"' in page


def test_town_outside_the_chosen_district_is_refused() -> None:
    client = Client()
    response = post(client, appeal_data(client, district="330902"))
    assert "所选乡镇（街道）不属于所选区县" in response.content.decode()
    assert not Order.objects.exists()


@override_settings(LIANXIN_PUBLIC_LIMITS={"submit": (2, 3600)})
def test_rate_limit_per_ip_counts_in_the_database() -> None:
    client = Client()
    for _i in range(2):
        assert post(client, appeal_data(client)).status_code == 200
    blocked = post(client, appeal_data(client))
    assert blocked.status_code == 429
    page = blocked.content.decode()
    assert "提交过于频繁" in page and APPEAL_TEXT in page
    assert Order.objects.count() == 2
    # Another network is not affected; the stored key is a hash, not the address.
    assert post(client, appeal_data(client), ip="10.0.0.2").status_code == 200
    assert Order.objects.count() == 3
    assert not RateHit.objects.filter(key__contains="10.0.0").exists()


def test_english_switch_translates_the_form() -> None:
    client = Client()
    assert "我要反映" in client.get("/public/submit/").content.decode()
    response = client.post("/public/lang/", {"language": "en", "next": "/public/submit/"})
    assert response.status_code == 302
    page = client.get("/public/submit/").content.decode()
    assert "Your appeal" in page and "Check question" in page
    for chinese in ("反映内容", "诉求类型", "验证题", "投诉", "我要反映"):
        assert chinese not in page, chinese
    client.post("/public/lang/", {"language": "zh-hans", "next": "/public/submit/"})
    assert "诉求类型" in client.get("/public/submit/").content.decode()


def test_public_pages_show_chinese_error_pages() -> None:
    client = Client()
    missing = client.get("/public/no-such-page/")
    assert missing.status_code == 404 and "页面不存在" in missing.content.decode()
    csrf_client = Client(enforce_csrf_checks=True)
    data = appeal_data(csrf_client)
    response = csrf_client.post("/public/submit/", data)
    assert response.status_code == 403
    page = response.content.decode()
    assert "页面需要刷新后才能提交" in page and APPEAL_TEXT in page
    assert not Order.objects.exists()
