"""Deadlines as a pure function of (events, order attributes, calendar, rules).

Nothing else writes a due date. Recomputed on every event, and again when the calendar changes.
Conventions (Zhoushan defaults): the day of receipt never counts; a limit in working or calendar
days ends at 23:59:59 Asia/Shanghai of its last day; a limit in hours runs around the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from lianxin.core.calendar import WorkCalendar
from lianxin.orders.deadline_rules import Limit, resolve_limit

TZ = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class EventView:
    kind: str
    at: dt.datetime
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Deadlines:
    accept_due: dt.datetime | None = None
    sign_due: dt.datetime | None = None
    reply_due: dt.datetime | None = None
    callback_due: dt.datetime | None = None
    exact: bool = True
    rules_used: tuple[str, ...] = ()


def _end_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=TZ)


def add_limit(start: dt.datetime, amount: int, unit: str, calendar: WorkCalendar) -> dt.datetime:
    local = start.astimezone(TZ)
    if unit == "hours":
        return local + dt.timedelta(hours=amount)
    if unit == "days":
        return _end_of_day(local.date() + dt.timedelta(days=amount))
    if unit == "working_days":
        return _end_of_day(calendar.add_workdays(local.date(), amount))
    raise ValueError(f"unknown time-limit unit {unit!r}")


def _shift_by_pause(
    due: dt.datetime | None, start: dt.datetime, end: dt.datetime, cal: WorkCalendar
) -> dt.datetime | None:
    """Move a due date later by the working days an order spent paused (merged into another)."""
    if due is None:
        return None
    paused = cal.workdays_between(start.astimezone(TZ).date(), end.astimezone(TZ).date())
    if paused <= 0:
        return due
    local = due.astimezone(TZ)
    return dt.datetime.combine(cal.add_workdays(local.date(), paused), local.timetz())


def compute(
    events: Sequence[EventView],
    attrs: Mapping[str, str],
    calendar: WorkCalendar,
    rules: Sequence[Mapping[str, Any]],
) -> Deadlines:
    """Replay the timeline and return the due dates now in force."""
    limits: dict[str, Limit | None] = {
        name: resolve_limit(rules, attrs, name) for name in ("accept", "sign", "handle", "callback")
    }
    used: set[str] = set()

    def due(start: dt.datetime, name: str) -> dt.datetime | None:
        limit = limits[name]
        if limit is None:
            return None
        used.add(limit.rule_name)
        return add_limit(start, limit.amount, limit.unit, calendar)

    accept_due = sign_due = reply_due = callback_due = None
    paused_at: dt.datetime | None = None
    touched: list[dt.datetime] = []

    for event in sorted(events, key=lambda e: e.at):
        kind, at = event.kind, event.at
        if kind == "created":
            accept_due = due(at, "accept")
        elif kind in ("accepted", "dispatched", "redispatched"):
            accept_due = None
            if kind != "accepted":
                sign_due, reply_due, callback_due = due(at, "sign"), None, None
        elif kind == "signed":
            reply_due = due(at, "handle")
        elif kind == "extension_approved" and reply_due is not None:
            # An extension counts from the old due date, not from the approval.
            reply_due = add_limit(reply_due, int(event.data["amount"]), str(event.data["unit"]), calendar)
        elif kind == "replied":
            callback_due = due(at, "callback")
        elif kind == "closed":
            callback_due = None
        elif kind == "redone":
            reply_due, callback_due = due(at, "handle"), None
        elif kind == "merged":
            paused_at = at
        elif kind == "unmerged" and paused_at is not None:
            accept_due = _shift_by_pause(accept_due, paused_at, at, calendar)
            sign_due = _shift_by_pause(sign_due, paused_at, at, calendar)
            reply_due = _shift_by_pause(reply_due, paused_at, at, calendar)
            callback_due = _shift_by_pause(callback_due, paused_at, at, calendar)
            paused_at = None
        touched.append(at)

    dues = [d for d in (accept_due, sign_due, reply_due, callback_due) if d is not None]
    span = [t.astimezone(TZ).date() for t in touched + dues]
    exact = calendar.span_is_exact(min(span), max(span)) if span else True
    return Deadlines(accept_due, sign_due, reply_due, callback_due, exact, tuple(sorted(used)))
