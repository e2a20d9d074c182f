"""Workbench pages through Django's test client: roles, errors, conflicts, paging."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lianxin.core.models import Organisation, PersonalDataAccess
from lianxin.orders import actions
from lianxin.orders.models import Order
from lianxin.web.tests.helpers import dispatched_to, new_order

pytestmark = pytest.mark.django_db


def client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password="lianxin2026")
    return client


@pytest.mark.parametrize(
    ("username", "landing"),
    [("calltaker", "/intake/"), ("dispatcher", "/dispatch/"), ("zjj", "/inbox/"), ("callback", "/callback/"),
     ("supervisor", "/dashboard/"), ("grid", "/intake/")],
)  # fmt: skip
def test_each_role_lands_on_its_page(users: dict[str, Any], username: str, landing: str) -> None:
    client = Client()
    response = client.post("/login/", {"username": username, "password": "lianxin2026"})
    assert response.status_code == 302 and response["Location"] == landing
    page = client.get(landing)
    assert page.status_code == 200


def test_pages_render_for_their_roles(users: dict[str, Any]) -> None:
    order = dispatched_to(users)
    for username, url in [
        ("calltaker", "/intake/"), ("calltaker", "/orders/"), ("dispatcher", "/dispatch/"),
        ("dispatcher", "/callback/"), ("supervisor", "/dashboard/"), ("zjj", "/inbox/"),
        ("zjj", f"/orders/{order.pk}/"), ("dispatcher", f"/orders/{order.pk}/"),
    ]:  # fmt: skip
        assert client_for(username).get(url).status_code == 200, url


def test_a_role_without_the_page_gets_the_chinese_404(users: dict[str, Any]) -> None:
    response = client_for("zjj").get("/dispatch/")
    assert response.status_code == 404
    assert "页面不存在或无权查看" in response.content.decode()


def test_handler_cannot_open_another_units_order(users: dict[str, Any]) -> None:
    order = dispatched_to(users, "dept-zhzf")
    response = client_for("zjj").get(f"/orders/{order.pk}/")
    assert response.status_code == 404
    assert "页面不存在或无权查看" in response.content.decode()


def test_anonymous_user_is_sent_to_login_and_back(users: dict[str, Any]) -> None:
    response = Client().get("/inbox/?x=1")
    assert response.status_code == 302 and response["Location"] == "/login/?next=%2Finbox%2F%3Fx%3D1"


def test_expired_session_says_so_and_keeps_the_intake_text(users: dict[str, Any]) -> None:
    client = client_for("calltaker")
    client.session.flush()
    client.cookies["sessionid"] = "expired-session-key"
    text = "新建小区门口积水严重，请处理"
    response = client.post("/intake/", {"text": text, "decision": "accept", "idempotency_key": "k1"})
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=%2Fintake%2F")
    page = client.get(response["Location"])
    assert "登录已过期" in page.content.decode()
    client.post("/login/?next=/intake/", {"username": "calltaker", "password": "lianxin2026", "next": "/intake/"})
    restored = client.get("/intake/").content.decode()
    assert text in restored and "已恢复" in restored


def test_htmx_request_with_expired_session_redirects_the_page(users: dict[str, Any]) -> None:
    response = Client().post(
        "/intake/analyze/",
        {"text": "路灯坏了"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/intake/",
    )
    assert response.status_code == 204 and response["HX-Redirect"] == "/login/?next=%2Fintake%2F"


def test_analyze_returns_the_suggestions_panel(users: dict[str, Any]) -> None:
    text = "我叫李四，电话13912345678，定海区环南街道路灯坏了"
    response = client_for("calltaker").post("/intake/analyze/", {"text": text}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="suggestions"' in body and "13912345678" in body


def test_intake_creates_and_accepts_keeping_the_operator_values(users: dict[str, Any]) -> None:
    town = Organisation.objects.filter(kind="town").first()
    assert town is not None
    data = {
        "channel": "hotline", "text": "我叫李四，电话13912345678，小区路灯坏了一个月", "appeal_type": "help",
        "urgency": "normal", "town": town.pk, "appellant_name": "李四", "appellant_phones": "13912345678",
        "idempotency_key": "abc", "decision": "accept",
    }  # fmt: skip
    client = client_for("calltaker")
    response = client.post("/intake/", data)
    assert response.status_code == 302
    order = Order.objects.get(idempotency_key__endswith="-abc")
    assert order.status == "awaiting_dispatch" and order.appeal_type == "help" and order.town == town
    assert order.appellant_phones == ["13912345678"] and order.ai_suggestions
    again = client.post("/intake/", data)  # a double click does not file twice
    assert again.status_code == 302 and Order.objects.filter(idempotency_key__endswith="-abc").count() == 1


def test_invalid_intake_shows_the_form_again_with_what_was_typed(users: dict[str, Any]) -> None:
    data = {"channel": "hotline", "text": "只说了一半的内容", "idempotency_key": "x", "decision": "answer"}
    response = client_for("calltaker").post("/intake/", data)
    body = response.content.decode()
    assert response.status_code == 400 and "只说了一半的内容" in body and "直办办结须填写答复内容" in body


def test_conflicting_action_shows_the_message_and_keeps_the_text(users: dict[str, Any]) -> None:
    order = dispatched_to(users)
    actions.sign(order, users["zjj"])
    stale = order.version
    response = client_for("zjj").post(
        f"/orders/{order.pk}/act/reply/", {"version": stale, "reply-text": "已安排维修人员到场处理"}
    )
    body = response.content.decode()
    assert response.status_code == 409 and "已被他人处理" in body and "已安排维修人员到场处理" in body


def test_reply_with_attachment_is_stored_and_checked(users: dict[str, Any], settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    order = actions.sign(dispatched_to(users), users["zjj"])
    client = client_for("zjj")
    bad = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(
        f"/orders/{order.pk}/act/reply/", {"version": order.version, "reply-text": "已修复", "reply-attachments": bad}
    )
    assert response.status_code == 400 and "类型不允许" in response.content.decode()
    photo = SimpleUploadedFile("现场.png", b"\x89PNG....", content_type="image/png")
    response = client.post(
        f"/orders/{order.pk}/act/reply/", {"version": order.version, "reply-text": "已修复", "reply-attachments": photo}
    )
    assert response.status_code == 302
    order = Order.objects.get(pk=order.pk)
    assert order.status == "replied"
    event = order.events.get(kind="replied")
    (path,) = event.data["attachments"]
    assert (tmp_path / path).is_file()
    name = path.rsplit("/", 1)[-1]
    assert client.get(f"/orders/{order.pk}/files/{name}").status_code == 200
    assert client_for("zhzf").get(f"/orders/{order.pk}/files/{name}").status_code == 404


def test_unmask_is_logged(users: dict[str, Any]) -> None:
    order = new_order(users)
    client = client_for("dispatcher")
    assert "13800001111" not in client.get(f"/orders/{order.pk}/").content.decode()
    response = client.post(f"/orders/{order.pk}/unmask/", HTTP_HX_REQUEST="true")
    assert "13800001111" in response.content.decode()
    assert PersonalDataAccess.objects.filter(object_id=order.pk, user=users["dispatcher"]).exists()


def test_batch_dispatch_and_keyset_paging(users: dict[str, Any]) -> None:
    orders = [new_order(users, text=f"第{i}号诉求：小区垃圾清运不及时") for i in range(3)]
    unit = Organisation.objects.get(code="dept-zhzf")
    client = client_for("dispatcher")
    response = client.post("/dispatch/batch/", {"orders": [o.pk for o in orders[:2]], "lead_unit": unit.pk})
    assert response.status_code == 302
    assert Order.objects.filter(pk__in=[o.pk for o in orders[:2]], status="dispatched", lead_unit=unit).count() == 2
    empty = client.post("/dispatch/batch/", {"lead_unit": unit.pk})
    assert empty.status_code == 400 and "请至少勾选一张工单" in empty.content.decode()
    first = client.get("/orders/")
    assert first.status_code == 200


def test_keyset_pages_do_not_overlap(users: dict[str, Any]) -> None:
    for i in range(30):
        new_order(users, text=f"第{i}号测试诉求：路面破损")
    client = client_for("calltaker")
    import re

    first = client.get("/orders/").content.decode()
    cursor = re.search(r"after=([A-Za-z0-9_-]+)", first)
    assert cursor is not None
    second = client.get(f"/orders/?after={cursor.group(1)}").content.decode()
    numbers_1 = set(re.findall(r"ZS\d{16}", first))
    numbers_2 = set(re.findall(r"ZS\d{16}", second))
    assert numbers_1 and numbers_2 and not numbers_1 & numbers_2
    assert client.get("/orders/?after=garbage").status_code == 200


def test_callback_unsatisfied_sends_back_for_redo(users: dict[str, Any]) -> None:
    order = actions.sign(dispatched_to(users), users["zjj"])
    order = actions.reply(order, users["zjj"], text="已处理")
    response = client_for("callback").post(
        f"/orders/{order.pk}/act/callback/",
        {"version": order.version, "callback-contacted": "1", "callback-solved": "0",
         "callback-satisfaction": "unsatisfied", "callback-redo_if_unsatisfied": "on", "callback-close_after": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    order = Order.objects.get(pk=order.pk)
    assert order.status == "handling" and order.redo_count == 1


def test_dashboard_remind_and_supervise(users: dict[str, Any]) -> None:
    order = dispatched_to(users)
    client = client_for("supervisor")
    assert client.post(f"/orders/{order.pk}/act/remind/", {"next": "/dashboard/"})["Location"] == "/dashboard/"
    client.post(f"/orders/{order.pk}/act/supervise/", {"supervise-reason": "请加快办理"})
    order = Order.objects.get(pk=order.pk)
    assert order.reminded_at is not None and order.supervised


def test_language_switch_persists(users: dict[str, Any]) -> None:
    client = client_for("dispatcher")
    client.post("/i18n/setlang/", {"language": "en", "next": "/dispatch/"})
    assert client.cookies["django_language"].value == "en"
    assert "Dispatch" in client.get("/dispatch/").content.decode()
