"""One order across roles in a real browser (Playwright + Debian Chromium), plus return, extension, forbidden."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from lianxin.core.models import Organisation
from lianxin.orders import actions
from lianxin.orders.actions.base import at_time
from lianxin.orders.models import Order
from lianxin.testing.browser import login_as
from lianxin.web.tests.helpers import dispatched_to

pytestmark = pytest.mark.browser

TRANSCRIPT = (
    "您好，我姓陈，电话13857001234。普陀区沈家门街道东海中路的路灯已经坏了一个多星期，"
    "晚上一片漆黑，老人孩子出行很不安全，希望尽快派人维修。"
)


def logout(page: Any) -> None:
    page.click("[data-testid=logout]")
    page.wait_for_url(re.compile(r"/login/"))


def kpi(page: Any, key: str) -> str:
    page.goto("/dashboard/?days=7")
    return str(page.get_attribute(f"[data-testid=kpi-{key}]", "data-value"))


def test_one_order_from_call_to_close(browser_page: Any, users: dict[str, Any]) -> None:
    page = browser_page
    login_as(page, "supervisor")
    assert page.url.endswith("/dashboard/")
    received_before = int(kpi(page, "received") or 0)
    logout(page)

    # Call-taker: suggestions appear as the text grows, then the order is filed.
    login_as(page, "calltaker")
    assert page.url.endswith("/intake/")
    page.fill("[data-testid=intake-text]", "")
    page.type("[data-testid=intake-text]", TRANSCRIPT[:40], delay=5)
    page.wait_for_selector("[data-testid=suggestions]")
    page.fill("[data-testid=intake-text]", TRANSCRIPT)
    page.dispatch_event("[data-testid=intake-text]", "keyup")
    page.wait_for_selector("[data-testid=evidence-text] >> text=13857001234")
    assert page.input_value("#id_appellant_phones") != ""  # filled from the suggestion
    page.select_option("#id_appeal_type", "complaint")  # the operator's own choice is kept
    page.fill("#id_address", "东海中路 88 号附近")
    page.click("[data-testid=intake-accept]")
    page.wait_for_selector("[data-testid=messages] >> text=已登记")
    order = Order.objects.order_by("-id").first()
    assert order is not None and order.status == "awaiting_dispatch" and order.appeal_type == "complaint"
    assert order.address == "东海中路 88 号附近" and order.ai_suggestions
    logout(page)

    # Dispatcher: batch dispatch to 市住建局.
    login_as(page, "dispatcher")
    page.check(f"[data-testid=queue-row-{order.number}] input[name=orders]")
    page.select_option("#id_lead_unit", str(Organisation.objects.get(code="dept-zjj").pk))
    page.click("[data-testid=batch-dispatch]")
    page.wait_for_selector("[data-testid=messages] >> text=已派单")
    logout(page)

    # Handling unit: sign in the inbox, reply with an attachment on the detail page.
    login_as(page, "zjj")
    page.click(f"[data-testid=sign-{order.number}]")
    page.wait_for_selector("[data-testid=messages] >> text=已签收")
    page.goto(f"/orders/{order.pk}/")
    page.fill("textarea[name=reply-text]", "已安排维修班组更换灯具，路灯已恢复照明。")
    page.set_input_files(
        "input[name=reply-attachments]", {"name": "维修记录.txt", "mimeType": "text/plain", "buffer": b"ok"}
    )
    page.click("[data-testid=submit-reply]")
    page.wait_for_selector("[data-testid=order-status] >> text=已答复待回访")
    assert page.is_visible("[data-testid=attachment]")
    logout(page)

    # Callback: satisfied, closed in one step.
    login_as(page, "callback")
    row = f"[data-testid=callback-row-{order.number}]"
    page.select_option(f"{row} select[name=callback-solved]", "1")
    page.select_option(f"{row} select[name=callback-satisfaction]", "satisfied")
    page.click(f"[data-testid=callback-submit-{order.number}]")
    page.wait_for_selector("[data-testid=messages] >> text=已回访")
    assert Order.objects.get(pk=order.pk).status == "closed"
    logout(page)

    # Supervisor: the figures changed.
    login_as(page, "supervisor")
    assert int(kpi(page, "received")) == received_before + 1
    assert kpi(page, "satisfaction_rate") != ""


def test_return_extension_and_forbidden_access(browser_page: Any, users: dict[str, Any]) -> None:
    page = browser_page
    order = actions.sign(dispatched_to(users), users["zjj"])

    login_as(page, "zjj")
    page.goto(f"/orders/{order.pk}/")
    page.click("[data-testid=action-request_extension] summary")
    page.fill("input[name=request_extension-days]", "3")
    page.fill("textarea[name=request_extension-reason]", "需协调供电公司停电施工")
    page.click("[data-testid=submit-request_extension]")
    page.wait_for_selector("[data-testid=messages] >> text=已申请延期")
    logout(page)

    login_as(page, "dispatcher")
    page.click(f"[data-testid=extension-{order.number}] button.primary")
    page.wait_for_selector("[data-testid=messages] >> text=已批准延期")
    assert Order.objects.get(pk=order.pk).extension_count == 1
    logout(page)

    login_as(page, "zjj")
    page.goto(f"/orders/{order.pk}/")
    page.click("[data-testid=action-request_return] summary")
    page.fill("textarea[name=request_return-reason]", "路灯属综合执法局管理，非本单位职责")
    page.click("[data-testid=submit-request_return]")
    page.wait_for_selector("[data-testid=messages] >> text=已申请退单")
    logout(page)

    login_as(page, "dispatcher")
    zhzf = Organisation.objects.get(code="dept-zhzf")
    page.select_option(f"[data-testid=return-{order.number}] select", str(zhzf.pk))
    page.click(f"[data-testid=return-{order.number}] button.primary")
    page.wait_for_selector("[data-testid=messages] >> text=已同意退单并改派")
    assert Order.objects.get(pk=order.pk).lead_unit == zhzf
    logout(page)

    # The first unit no longer handles the order: it looks missing, in Chinese.
    login_as(page, "zjj")
    response = page.goto(f"/orders/{order.pk}/")
    assert response is not None and response.status == 404
    assert page.is_visible("[data-testid=error-404] >> text=页面不存在或无权查看")


def test_dashboard_draws_its_charts_after_the_page_and_its_buttons_work(
    browser_page: Any, users: dict[str, Any]
) -> None:
    from django.conf import settings

    page = browser_page
    with at_time(timezone.now() - dt.timedelta(days=20)):  # dispatched and never signed: overdue now
        order = dispatched_to(users)
    login_as(page, "supervisor")
    assert page.url.endswith("/dashboard/")
    assert page.is_visible(f"[data-testid=watch-{order.number}]")
    if (settings.NPM_DIR / "echarts" / "dist" / "echarts.common.min.js").exists():
        page.wait_for_function("performance.getEntriesByName('lianxin:charts-drawn').length > 0")
        assert page.locator("#trend-chart canvas").count() >= 1 and page.locator("#map-chart canvas").count() >= 1
        assert page.evaluate("performance.getEntriesByName('lianxin:charts-drawn')[0].startTime") > page.evaluate(
            "performance.getEntriesByType('navigation')[0].loadEventEnd"
        )
    else:  # without `make assets` the page says so instead of showing empty boxes
        page.wait_for_selector("#trend-chart >> text=图表未能加载")

    page.click(f"[data-testid=remind-{order.number}]")
    page.wait_for_selector("[data-testid=messages] >> text=已催办")
    assert page.url.endswith("/dashboard/")
    page.click(f"[data-testid=supervise-{order.number}]")
    page.wait_for_selector("[data-testid=messages] >> text=已督办")
    order = Order.objects.get(pk=order.pk)
    assert order.reminded_at is not None and order.supervised
