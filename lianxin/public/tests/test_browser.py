"""Browser tests (Chromium via lianxin.testing.browser): submit → track → rate on a phone, and the edge pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from lianxin.core.models import User
from lianxin.orders.models import Order
from lianxin.public.models import CitizenRating
from lianxin.public.tests.helpers import APPEAL_TEXT, drive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone_page(chromium_browser: Any, live_server: Any) -> Iterator[Any]:
    context = chromium_browser.new_context(
        base_url=live_server.url, viewport=PHONE, locale="zh-CN", device_scale_factor=2, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def solve(page: Any) -> str:
    question = page.inner_text(".captcha .q")
    a, op, b = re.match(r"(\d+)\s*([+−-])\s*(\d+)", question).groups()  # type: ignore[union-attr]
    return str(int(a) + int(b) if op == "+" else int(a) - int(b))


def no_horizontal_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def fill_appeal(page: Any) -> None:
    page.goto("/public/submit/")
    page.fill("#id_text", APPEAL_TEXT)
    page.click("label:has-text('投诉')")
    page.select_option("#id_district", "330903")
    page.select_option("#id_town", "330903001")
    page.fill("#id_name", "王建国")
    page.fill("#id_phone", "13958076543")
    page.check("#id_confidential")


def test_submit_track_and_rate_on_a_phone(phone_page: Any, users: dict[str, User]) -> None:
    page = phone_page
    fill_appeal(page)
    assert no_horizontal_scroll(page)
    page.fill("#id_captcha", solve(page))
    page.dblclick("#submit-appeal")
    page.wait_for_selector("#case-number")
    number, code = page.inner_text("#case-number").strip(), page.inner_text("#verify-code").strip()
    assert re.fullmatch(r"\d{6}", code)
    assert Order.objects.filter(channel="web").count() == 1
    order = Order.objects.get(number=number)
    assert order.verify_code == code and order.created_by is None and order.is_confidential

    page.click("text=现在查看进度")
    page.wait_for_selector("#status")
    assert page.inner_text("#status") == "已受理，正在审核"
    assert "王建国" not in page.content()
    assert page.locator("#rating-form").count() == 0

    drive(order, users, "replied")
    page.goto("/public/track/")
    page.fill("#id_number", number)
    page.fill("#id_code", code)
    page.click("button:has-text('查询')")
    page.wait_for_selector("#rating-form")
    assert "沈家门街道已答复" in page.inner_text("#timeline")
    assert no_horizontal_scroll(page)
    page.click("#rating-form label:has-text('基本满意')")
    page.fill("#id_comment", "噪音停了，谢谢。")
    page.click("#rating-form button")
    page.wait_for_selector("#rating-thanks")
    assert "基本满意" in page.inner_text("#my-rating")
    rating = CitizenRating.objects.get(order=order)
    assert rating.satisfaction == "basically" and rating.comment == "噪音停了，谢谢。"


def test_wrong_captcha_keeps_what_was_typed(browser_page: Any) -> None:
    page = browser_page
    fill_appeal(page)
    page.fill("#id_captcha", str(int(solve(page)) + 1))
    page.click("#submit-appeal")
    page.wait_for_selector("text=验证题答案不正确")
    assert page.input_value("#id_text") == APPEAL_TEXT
    assert page.input_value("#id_phone") == "13958076543"
    assert page.input_value("#id_town") == "330903001"
    assert page.is_checked("#id_confidential") and page.is_checked("input[value=complaint]")
    assert page.input_value("#id_captcha") == ""
    assert not Order.objects.exists()
    page.fill("#id_captcha", solve(page))
    page.click("#submit-appeal")
    page.wait_for_selector("#case-number")
    assert Order.objects.count() == 1


def test_not_found_and_league_table_on_a_phone(phone_page: Any, users: dict[str, User]) -> None:
    page = phone_page
    page.goto("/public/track/")
    page.fill("#id_number", "ZS2026010100000001")
    page.fill("#id_code", "123456")
    page.click("button:has-text('查询')")
    page.wait_for_selector("#lookup-error")
    assert "未找到对应的诉求" in page.inner_text("#lookup-error")
    assert page.input_value("#id_number") == "ZS2026010100000001"

    from lianxin.public.tests.helpers import web_order

    drive(web_order(), users, "closed")
    page.goto("/public/league/")
    page.wait_for_selector("#league-table")
    assert "沈家门街道" in page.inner_text("#league-table")
    assert no_horizontal_scroll(page)
    assert "综合评分" in page.inner_text("#definitions")


def test_english_switch(browser_page: Any) -> None:
    page = browser_page
    page.goto("/public/submit/")
    page.click("button[value=en]")
    page.wait_for_selector("text=Your appeal")
    assert page.url.endswith("/public/submit/")
    page.click("button[value=zh-hans]")
    page.wait_for_selector("text=诉求类型")
