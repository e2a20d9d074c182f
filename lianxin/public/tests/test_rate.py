"""Rating the outcome: once per reply, only after a reply, stored apart from the hotline's callback."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lianxin.core.models import User
from lianxin.orders import actions
from lianxin.orders.models import Order
from lianxin.public.models import CitizenRating
from lianxin.public.tests.helpers import drive, web_order

pytestmark = pytest.mark.django_db


def rate(client: Client, order: Order, code: str | None = None, **data: Any) -> Any:
    body = {"number": order.number, "code": code or order.verify_code, **data}
    return client.post("/public/rate/", body, REMOTE_ADDR="10.9.0.1")


def test_rate_once_after_reply_stored_apart_from_callback(users: dict[str, User]) -> None:
    order = drive(web_order(), users, "replied")
    client = Client()
    response = rate(client, order, satisfaction="basically", comment="处理及时，但还有些噪音。")
    page = response.content.decode()
    assert response.status_code == 200 and "感谢您的评价" in page and 'id="my-rating"' in page
    rating = CitizenRating.objects.get(order=order)
    assert rating.satisfaction == "basically" and rating.comment == "处理及时，但还有些噪音。"
    assert rating.round == 0 and rating.status_at_rating == "replied"
    order = Order.objects.get(pk=order.pk)
    assert order.status == "replied" and order.satisfaction == "" and order.contacted is None
    again = rate(client, order, satisfaction="unsatisfied")
    assert "您已评价过" in again.content.decode()
    assert CitizenRating.objects.filter(order=order).count() == 1
    assert 'id="rating-form"' not in again.content.decode()


def test_callback_and_close_still_work_after_a_citizen_rating(users: dict[str, User]) -> None:
    order = drive(web_order(), users, "replied")
    rate(Client(), order, satisfaction="satisfied")
    actions.callback(order.pk, users["callback"], contacted=True, solved=True, satisfaction="satisfied")
    actions.close(order.pk, users["callback"])
    assert Order.objects.get(pk=order.pk).status == "closed"


def test_no_rating_before_the_reply(users: dict[str, User]) -> None:
    order = drive(web_order(), users, "handling")
    client = Client()
    page = client.post("/public/track/", {"number": order.number, "code": order.verify_code}).content.decode()
    assert 'id="rating-form"' not in page
    response = rate(client, order, satisfaction="satisfied")
    assert "答复后才能评价" in response.content.decode()
    assert not CitizenRating.objects.exists()


def test_a_redo_opens_a_new_round(users: dict[str, User]) -> None:
    order = drive(web_order(), users, "closed")
    client = Client()
    rate(client, order, satisfaction="unsatisfied", comment="没有解决")
    actions.redo(order.pk, users["supervisor"], reason="市民评价不满意")
    actions.reply(order.pk, users["shenjiamen"], text="已再次核查并督促整改。")
    order = Order.objects.get(pk=order.pk)
    rate(client, order, satisfaction="satisfied")
    assert list(CitizenRating.objects.filter(order=order).order_by("round").values_list("round", "satisfaction")) == [
        (0, "unsatisfied"),
        (1, "satisfied"),
    ]


def test_rating_needs_the_right_code_and_keeps_the_comment_on_error(users: dict[str, User]) -> None:
    order = drive(web_order(), users, "replied")
    client = Client()
    wrong = "000000" if order.verify_code != "000000" else "111111"
    refused = rate(client, order, code=wrong, satisfaction="satisfied")
    assert "未找到对应的诉求" in refused.content.decode()
    incomplete = rate(client, order, comment="希望以后夜间不要再施工")
    page = incomplete.content.decode()
    assert "请选择满意程度" in page and "希望以后夜间不要再施工" in page
    assert not CitizenRating.objects.exists()


def test_get_on_rate_goes_to_tracking() -> None:
    response = Client().get("/public/rate/")
    assert response.status_code == 302 and response["Location"] == "/public/track/"
