"""What a citizen may see of an order: its public status, a plain timeline, the reply; never personal data.

The timeline names handling units only. It never shows who acted, the reasons operators typed (they may
quote the appellant), internal disputes (returns, extension requests) or another appellant's case number.
"""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.core.models import Organisation
from lianxin.orders.choices import Status
from lianxin.orders.models import Order, OrderEvent

S = Status
PUBLIC_STATUS: dict[str, Promise] = {
    S.RECEIVED: gettext_lazy("已受理，正在审核"),
    S.AWAITING_DISPATCH: gettext_lazy("已受理，正在分派"),
    S.DISPATCHED: gettext_lazy("已转交承办单位"),
    S.RETURN_REQUESTED: gettext_lazy("正在协调承办单位"),
    S.HANDLING: gettext_lazy("办理中"),
    S.REPLIED: gettext_lazy("已答复"),
    S.CALLED_BACK: gettext_lazy("已答复，已回访"),
    S.CLOSED: gettext_lazy("已办结"),
    S.ANSWERED: gettext_lazy("已答复并办结"),
}
# The stage a status belongs to, for the progress bar: 受理 → 办理 → 答复 → 办结.
STAGE = {
    S.RECEIVED: 1, S.AWAITING_DISPATCH: 1, S.DISPATCHED: 2, S.RETURN_REQUESTED: 2, S.HANDLING: 2,
    S.REPLIED: 3, S.CALLED_BACK: 3, S.CLOSED: 4, S.ANSWERED: 4,
}  # fmt: skip
RATEABLE = frozenset({S.REPLIED, S.CALLED_BACK, S.CLOSED, S.ANSWERED})

# Event kinds a citizen sees, in plain words; every other kind stays internal.
PUBLIC_EVENTS: dict[str, Promise] = {
    "created": gettext_lazy("诉求已受理"),
    "accepted": gettext_lazy("审核通过，等待分派承办单位"),
    "answered": gettext_lazy("已直接答复，办结"),
    "dispatched": gettext_lazy("已转交承办单位办理"),
    "redispatched": gettext_lazy("已改由其他承办单位办理"),
    "signed": gettext_lazy("承办单位已签收，开始办理"),
    "extension_approved": gettext_lazy("经批准，办理期限延长"),
    "replied": gettext_lazy("承办单位已答复"),
    "called_back": gettext_lazy("12345已回访"),
    "closed": gettext_lazy("已办结"),
    "redone": gettext_lazy("重新办理"),
    "merged": gettext_lazy("已与同类诉求合并办理"),
    "unmerged": gettext_lazy("已取消合并，单独办理"),
}
# The same events when the unit is known: the unit's name leads the sentence.
UNIT_EVENTS: dict[str, Promise] = {
    "dispatched": gettext_lazy("已转交%(unit)s办理"),
    "redispatched": gettext_lazy("已改由%(unit)s办理"),
    "signed": gettext_lazy("%(unit)s已签收，开始办理"),
    "replied": gettext_lazy("%(unit)s已答复"),
}
UNIT_KEYS = {"dispatched": "lead_unit", "redispatched": "lead_unit", "signed": "unit", "replied": "unit"}


@dataclass
class PublicEvent:
    at: dt.datetime
    label: str
    units: list[str] = field(default_factory=list)


@dataclass
class PublicView:
    order: Order
    status_label: str
    stage: int
    events: list[PublicEvent]
    reply_text: str
    replied_at: dt.datetime | None
    lead_unit: str
    merged: bool
    due: dt.datetime | None


def find(number: str, code: str) -> Order | None:
    """The order with this number and verification code; a wrong pair and a missing number look the same."""
    order = Order.objects.filter(number=number).select_related("lead_unit", "parent").first()
    expected = order.verify_code if order is not None else "000000"
    matches = hmac.compare_digest(expected.encode(), code.encode())
    if order is None or not order.verify_code or not matches:
        return None
    return order


def _unit_names(codes: set[str]) -> dict[str, str]:
    return {o.code: o.display_name for o in Organisation.objects.filter(code__in=codes)}


def timeline(order: Order) -> list[PublicEvent]:
    events = list(OrderEvent.objects.filter(order=order, kind__in=PUBLIC_EVENTS).order_by("seq"))
    codes: set[str] = set()
    for event in events:
        key = UNIT_KEYS.get(event.kind)
        if key and event.data.get(key):
            codes.add(str(event.data[key]))
    names = _unit_names(codes)
    rows = []
    for event in events:
        key = UNIT_KEYS.get(event.kind)
        code = str(event.data.get(key, "")) if key else ""
        units = [names[code]] if code in names else []
        if event.kind == "signed" and event.data.get("role") not in (None, "lead"):
            continue
        if units and event.kind in UNIT_EVENTS:
            label = str(UNIT_EVENTS[event.kind]) % {"unit": units[0]}
        else:
            label = str(PUBLIC_EVENTS[event.kind])
        rows.append(PublicEvent(at=event.at, label=label, units=units))
    return rows


def public_view(order: Order) -> PublicView:
    """The citizen's view of their order; a merged order shows the progress of the order it joined."""
    handled = order.parent if order.parent_id and order.parent is not None else order
    reply_text = handled.reply_text if handled.status in RATEABLE else ""
    if handled is not order and handled.is_confidential:
        reply_text = _("您的诉求已与同类诉求合并办理，答复内容请致电12345查询。") if reply_text else ""
    due = handled.reply_due if handled.status in (S.DISPATCHED, S.HANDLING, S.RETURN_REQUESTED) else None
    return PublicView(
        order=order,
        status_label=str(PUBLIC_STATUS.get(handled.status, handled.get_status_display())),
        stage=STAGE.get(handled.status, 1),
        events=timeline(order),
        reply_text=reply_text,
        replied_at=handled.replied_at if reply_text else None,
        lead_unit=handled.lead_unit.display_name if handled.lead_unit else "",
        merged=handled is not order,
        due=due,
    )
