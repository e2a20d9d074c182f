"""A work order as an Open311 service request: which orders are public, and the fields they show."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db.models import Max, QuerySet
from django.utils import timezone

from lianxin.core.models import Organisation
from lianxin.open311 import conf
from lianxin.orders.choices import FINISHED_STATUSES, PETITION_CHANNELS
from lianxin.orders.models import Order

# Public timeline notes (extension): event kind → what a citizen may read. Reasons, replies, names of
# people and anything about the appellant stay out; unit names are public facts.
PUBLIC_NOTES = {
    "created": "已受理",
    "accepted": "已审核，等待派单",
    "answered": "已直接答复并办结",
    "dispatched": "已派单至承办单位",
    "redispatched": "已改派承办单位",
    "signed": "承办单位已签收，正在办理",
    "extension_approved": "办理期限已延长",
    "replied": "承办单位已答复",
    "called_back": "已回访",
    "closed": "已办结",
    "redone": "重新办理",
    "merged": "已与相同诉求合并办理",
}
_LONG_NUMBER = re.compile(r"\d{7,17}[\dXx]?")


def w3c(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def mask_numbers(text: str) -> str:
    """Phone and ID numbers in free text, masked: GET requests is public (spec) and has no key."""

    def mask(match: re.Match[str]) -> str:
        digits = match.group(0)
        keep_tail = 4 if len(digits) >= 11 else 2
        return digits[:3] + "*" * (len(digits) - 3 - keep_tail) + digits[-keep_tail:]

    return _LONG_NUMBER.sub(mask, text)


def public_orders() -> QuerySet[Order]:
    qs = Order.objects.filter(channel__in=list(conf.get("PUBLIC_CHANNELS")), number__isnull=False)
    qs = qs.exclude(channel__in=list(PETITION_CHANNELS)).exclude(is_confidential=True)
    return (
        qs.filter(category__isnull=False)
        .select_related("category__tier", "lead_unit", "district", "town", "community", "open311_submission", "parent")
        .annotate(last_event_at=Max("events__at"))
    )


def open_or_closed(order: Order) -> str:
    return "closed" if order.status in FINISHED_STATUSES else "open"


def status_notes(order: Order) -> str:
    note = order.get_status_display()
    if order.parent_id is not None and order.parent is not None:
        note += f"（已并入工单 {order.parent.number}）"
    return str(note)


def chinese_address(order: Order) -> str | None:
    """省 → 市 → 区县 → 乡镇街道 → 村社区 → 详细地址, without repeating what the detail already says."""
    detail = order.address.strip()
    parts: list[str] = []
    for name in [*conf.get("ADDRESS_PREFIX"), order.district, order.town, order.community]:
        text = str(name) if name is not None else ""
        if text and text not in detail and text not in parts:
            parts.append(text)
    if not detail and not (order.district or order.town or order.community):
        return None
    return "".join(parts) + detail


def updated(order: Order) -> dt.datetime | None:
    if order.status in FINISHED_STATUSES and order.closed_at is not None:
        return order.closed_at
    return getattr(order, "last_event_at", None) or order.received_at


def service_notice(order: Order) -> str | None:
    category = order.category
    if category is not None and category.tier is not None:
        return f"办理时限：{category.tier.name}"
    return None


def as_request(order: Order, extensions: bool = False) -> dict[str, Any]:
    category = order.category
    submission = getattr(order, "open311_submission", None)
    body: dict[str, Any] = {
        "service_request_id": order.number,
        "status": open_or_closed(order),
        "status_notes": status_notes(order),
        "service_name": category.name if category else None,
        "service_code": category.code if category else None,
        "description": mask_numbers(order.text),
        "agency_responsible": order.lead_unit.name if order.lead_unit else None,
        "service_notice": service_notice(order),
        "requested_datetime": w3c(order.received_at),
        "updated_datetime": w3c(updated(order)),
        "expected_datetime": w3c(order.reply_due) if order.status not in FINISHED_STATUSES else None,
        "address": chinese_address(order),
        "address_id": (submission.address_id or None) if submission else None,
        "zipcode": None,
        "lat": order.latitude,
        "long": order.longitude,
        "media_url": (submission.media_url or None) if submission else None,
    }
    if extensions:
        body["extended_attributes"] = {
            "status_code": order.status,
            "channel": order.channel,
            "group": _group(order),
        }
        body["notes"] = notes(order)
    return body


def _group(order: Order) -> str | None:
    node = order.category
    while node is not None and node.parent is not None:
        node = node.parent
    return node.name if node else None


def notes(order: Order) -> list[dict[str, Any]]:
    """The public timeline (extension): what happened and which unit has it, never who or why."""
    events = [e for e in order.events.all() if e.kind in PUBLIC_NOTES]
    codes = {e.data.get("lead_unit") for e in events if isinstance(e.data, dict) and e.data.get("lead_unit")}
    names = dict(Organisation.objects.filter(code__in=codes).values_list("code", "name"))
    out = []
    for event in sorted(events, key=lambda e: e.seq):
        text = PUBLIC_NOTES[event.kind]
        unit = ""
        if event.kind in ("dispatched", "redispatched") and isinstance(event.data, dict):
            unit = names.get(event.data.get("lead_unit", ""), "")
        elif event.kind in ("signed", "replied") and event.actor_unit is not None:
            unit = event.actor_unit.name
        out.append(
            {"datetime": w3c(event.at), "description": f"{text}（{unit}）" if unit else text, "type": event.kind}
        )
    return out
