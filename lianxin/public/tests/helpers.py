"""Test helpers for the public pages: read the form the page served, answer its question, drive an order."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

from django.test import Client

from lianxin.core.models import Organisation, User
from lianxin.orders import actions
from lianxin.orders.actions.base import at_time
from lianxin.orders.choices import Channel
from lianxin.orders.models import Order
from lianxin.public import challenge

APPEAL_TEXT = "沈家门街道半升洞社区附近工地每天夜里十一点以后还在施工，噪音很大，老人小孩睡不着，希望尽快处理。"


def signed_challenge(page: str) -> str:
    match = re.search(r'name="challenge" value="([^"]+)"', page)
    assert match, "the form has no challenge"
    return html.unescape(match.group(1))


def appeal_data(client: Client, **changes: Any) -> dict[str, Any]:
    """A complete, correct submission for the form the page just served (its question answered)."""
    signed = signed_challenge(client.get("/public/submit/").content.decode())
    data = {
        "text": APPEAL_TEXT,
        "appeal_type": "complaint",
        "district": "330903",
        "town": "330903001",
        "address": "半升洞社区东侧工地",
        "name": "王建国",
        "phone": "139 5807 6543",
        "confidential": "on",
        "challenge": signed,
        "captcha": str(challenge.load(signed).answer),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def web_order(text: str = APPEAL_TEXT, received: dt.datetime | None = None, **changes: Any) -> Order:
    draft = actions.OrderDraft(
        channel=Channel.WEB,
        appeal_type=changes.pop("appeal_type", "complaint"),
        text=text,
        appellant_name=changes.pop("appellant_name", "王建国"),
        appellant_phones=changes.pop("appellant_phones", ["13958076543"]),
        received_at=received,
        **changes,
    )
    if received is not None:
        with at_time(received):
            order, _ = actions.create_order(None, draft)
    else:
        order, _ = actions.create_order(None, draft)
    return order


def drive(
    order: Order,
    users: dict[str, User],
    to: str,
    unit: str = "330903001",
    start: dt.datetime | None = None,
    step: dt.timedelta = dt.timedelta(minutes=10),
    satisfaction: str = "satisfied",
) -> Order:
    """Take an order through the real actions: accepted → dispatched → handling → replied → called_back → closed."""
    handler_name = {"330903001": "shenjiamen", "dept-zjj": "zjj", "dept-zhzf": "zhzf", "util-water": "water"}[unit]
    moment = start or (order.received_at + step)
    plan = [
        ("accepted", lambda: actions.accept(order.pk, users["calltaker"], reason="市民王建国来电核实")),
        ("dispatched", lambda: actions.dispatch(order.pk, users["dispatcher"], lead_unit=Organisation.objects.get(code=unit),
                                                reason="内部备注：王建国是老上访户")),
        ("handling", lambda: actions.sign(order.pk, users[handler_name])),
        ("replied", lambda: actions.reply(order.pk, users[handler_name], text="经现场核查，已责令工地夜间停工。")),
        ("called_back", lambda: actions.callback(order.pk, users["callback"], contacted=True, solved=True,
                                                 satisfaction=satisfaction)),
        ("closed", lambda: actions.close(order.pk, users["callback"])),
    ]  # fmt: skip
    for status, run in plan:
        with at_time(moment):
            run()
        moment += step
        if status == to:
            break
    return Order.objects.get(pk=order.pk)
