"""How orders look on the workbench: countdowns in working days, timeline labels, unit choices."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.core.calendar import WorkCalendar
from lianxin.core.models import Organisation, OrgKind
from lianxin.orders.choices import Status
from lianxin.orders.models import Order

EVENT_LABELS: dict[str, str | Promise] = {
    "created": gettext_lazy("登记"),
    "accepted": gettext_lazy("受理转派单"),
    "answered": gettext_lazy("直办办结"),
    "dispatched": gettext_lazy("派单"),
    "signed": gettext_lazy("签收"),
    "co_signed": gettext_lazy("协办签收"),
    "return_requested": gettext_lazy("申请退单"),
    "redispatched": gettext_lazy("改派"),
    "return_rejected": gettext_lazy("驳回退单"),
    "extension_requested": gettext_lazy("申请延期"),
    "extension_approved": gettext_lazy("批准延期"),
    "extension_rejected": gettext_lazy("驳回延期"),
    "replied": gettext_lazy("答复"),
    "co_replied": gettext_lazy("协办答复"),
    "called_back": gettext_lazy("回访"),
    "closed": gettext_lazy("办结"),
    "redone": gettext_lazy("重办"),
    "merged": gettext_lazy("并单"),
    "merge_received": gettext_lazy("被并入工单"),
    "unmerged": gettext_lazy("撤销并单"),
    "merge_removed": gettext_lazy("移出并单"),
    "reminded": gettext_lazy("催办"),
    "supervised": gettext_lazy("督办"),
    "escalated": gettext_lazy("超时升级"),
}
UNIT_KINDS = [OrgKind.DEPARTMENT, OrgKind.UTILITY, OrgKind.DISTRICT, OrgKind.TOWN]


def event_label(kind: str) -> str:
    return str(EVENT_LABELS.get(kind, kind))


def current_due(order: Order) -> dt.datetime | None:
    """The deadline the order is running against now."""
    if order.status == Status.DISPATCHED:
        return order.sign_due
    if order.status in (Status.HANDLING, Status.RETURN_REQUESTED):
        return order.reply_due
    if order.status == Status.REPLIED:
        return order.callback_due
    if order.status in (Status.RECEIVED, Status.AWAITING_DISPATCH):
        return order.accept_due
    return None


@dataclass
class Countdown:
    due: dt.datetime | None
    overdue: bool
    workdays: int
    hours: int
    soon: bool
    minutes: int = 0

    @property
    def text(self) -> str:
        if self.due is None:
            return _("无期限")
        if self.hours >= 72:  # long spans read better in working days alone
            if self.overdue:
                return _("已超期 %(d)s 个工作日") % {"d": self.workdays}
            return _("剩余 %(d)s 个工作日") % {"d": self.workdays}
        # Short spans in clock time only: "1 working day 14 hours" read as 38 hours when it meant 14.
        if self.hours >= 1:
            if self.overdue:
                return _("已超期 %(h)s 小时") % {"h": self.hours}
            return _("剩余 %(h)s 小时") % {"h": self.hours}
        if self.overdue:
            return _("已超期 %(m)s 分钟") % {"m": self.minutes}
        return _("剩余 %(m)s 分钟") % {"m": self.minutes}


def countdown(due: dt.datetime | None, calendar: WorkCalendar, now: dt.datetime | None = None) -> Countdown:
    moment = now or timezone.now()
    if due is None:
        return Countdown(None, False, 0, 0, False)
    local_now, local_due = timezone.localtime(moment), timezone.localtime(due)
    overdue = local_due < local_now
    seconds = abs((local_due - local_now).total_seconds())
    hours = int(seconds // 3600)
    workdays = abs(_workdays_between(calendar, local_now.date(), local_due.date()))
    return Countdown(
        due, overdue, workdays, hours, soon=not overdue and seconds < 24 * 3600, minutes=int(seconds // 60)
    )


@dataclass
class _Span:
    """Cumulative working days from `first`: cumulative[i] counts those in (first, first + i]."""

    calendar: WorkCalendar
    first: dt.date
    cumulative: list[int]

    def covers(self, start: dt.date, end: dt.date) -> bool:
        return self.first <= start and (end - self.first).days < len(self.cumulative)


_MAX_SPAN_DAYS = 20 * 366
_span: _Span | None = None


def _workdays_between(calendar: WorkCalendar, start: dt.date, end: dt.date) -> int:
    """calendar.workdays_between(start, end), with one walk over the days instead of one per row.

    A list of orders overdue for years asks about the same thousand days once per row; the last span
    (for this calendar object, i.e. this request) is kept and widened as needed, then each answer is
    a subtraction.
    """
    global _span
    if end < start:
        return -_workdays_between(calendar, end, start)
    span = _span
    if span is None or span.calendar is not calendar or not span.covers(start, end):
        first, last = start, end
        if span is not None and span.calendar is calendar:
            first, last = min(first, span.first), max(last, span.first + dt.timedelta(len(span.cumulative) - 1))
        if (last - first).days > _MAX_SPAN_DAYS:
            return calendar.workdays_between(start, end)
        cumulative, count, day = [0], 0, first
        while day < last:
            day += dt.timedelta(days=1)
            count += calendar.is_workday(day)
            cumulative.append(count)
        span = _span = _Span(calendar, first, cumulative)
    return span.cumulative[(end - span.first).days] - span.cumulative[(start - span.first).days]


def waited(since: dt.datetime, now: dt.datetime | None = None) -> str:
    """How long an order has been waiting, for queues without a running deadline."""
    hours = int(((now or timezone.now()) - since).total_seconds() // 3600)
    if hours < 48:
        return _("已等待 %(h)s 小时") % {"h": max(hours, 0)}
    return _("已等待 %(d)s 天") % {"d": hours // 24}


def unit_groups() -> list[tuple[str, list[tuple[int, str]]]]:
    """Handling units for a <select>, grouped by kind (departments, utilities, districts, towns)."""
    labels = dict(OrgKind.choices)
    units = Organisation.objects.filter(kind__in=UNIT_KINDS, is_active=True).order_by("path")
    groups: dict[str, list[tuple[int, str]]] = {str(labels[k]): [] for k in UNIT_KINDS}
    for unit in units.select_related("parent"):
        name = unit.display_name
        if unit.kind == OrgKind.TOWN and unit.parent is not None:
            name = f"{unit.parent.display_name} · {name}"
        groups[str(labels[unit.kind])].append((unit.pk, name))
    return [(label, rows) for label, rows in groups.items() if rows]


def _candidate_label(item: Any) -> str:
    if isinstance(item, dict):
        text = item.get("label") or item.get("name") or item.get("value") or ""
        score = item.get("score", item.get("confidence"))
        return f"{text} ({score:.2f})" if isinstance(score, (int, float)) else str(text)
    return str(item)


def ai_unit_candidates(order: Order) -> list[str]:
    """Runner-up units the intake analysis stored, as display labels (tolerant of the stored shape)."""
    stored = order.ai_suggestions or {}
    fields = stored.get("fields") if isinstance(stored.get("fields"), dict) else {}
    lead = fields.get("lead_unit") if fields else None
    if isinstance(lead, dict) and isinstance(lead.get("ranked"), list):
        ranked = [r for r in lead["ranked"] if not (isinstance(r, dict) and r.get("value") == lead.get("value"))]
        return [_candidate_label(r) for r in ranked]
    for key in ("units", "unit_candidates"):
        value = stored.get(key)
        if isinstance(value, list):
            return [_candidate_label(v) for v in value]
    return []
