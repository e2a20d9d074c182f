"""The KPIs of domain.md §6, per lead unit and period, with their definitions (versioned)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone

from lianxin.orders.choices import Satisfaction, Status
from lianxin.orders.models import Order

DEFINITIONS_VERSION = "2026.1"
COMPOSITE_WEIGHTS = {"response": 0.1, "solved": 0.5, "satisfaction": 0.4}
DEFINITIONS: dict[str, str] = {
    "received": "统计期内受理的工单数",
    "answer_at_intake_rate": "直办率 = 直办办结数 / 受理数",
    "dispatched": "统计期内受理且已派单的工单数",
    "sign_on_time_rate": "及时签收率 = 按时签收数 / 已派单数（未签收的计为未按时）",
    "reply_on_time_rate": "按期答复率 = 按期答复数 / 已答复与已超期未答复之和",
    "closed_rate": "办结率 = 已办结（含直办）/ 受理数",
    "return_rate": "退单率 = 发生退单申请的工单 / 已派单数",
    "redo_rate": "重办率 = 发生重办的工单 / 已办结数",
    "extension_rate": "延期率 = 获准延期的工单 / 已派单数",
    "response_rate": "响应率 = 回访联系上 / 有效回访数",
    "solved_rate": "解决率 = 回访已解决 / 联系上数",
    "satisfaction_rate": "满意率 = (满意 + 0.9 × 基本满意) / 联系上数",
    "composite": "综合评分 = 0.1 × 响应率 + 0.5 × 解决率 + 0.4 × 满意率",
    "first_time_resolution_rate": "一次办结率 = 未重办的办结工单 / 办结工单",
    "repeat_appeal_rate": "重复诉求率 = 同一诉求人30天内再次来电的工单 / 有联系方式的工单",
}


@dataclass(frozen=True)
class Period:
    start: dt.datetime
    end: dt.datetime


def _aggregates() -> dict[str, Any]:
    dispatched = Q(dispatched_at__isnull=False)
    finished = Q(status__in=[Status.CLOSED, Status.ANSWERED])
    return {
        "received": Count("id"),
        "answered": Count("id", filter=Q(status=Status.ANSWERED)),
        "dispatched": Count("id", filter=dispatched),
        "signed_on_time": Count("id", filter=dispatched & Q(signed_at__isnull=False, sign_late=False)),
        "replied_on_time": Count("id", filter=Q(replied_at__isnull=False, was_overdue=False, reply_due__isnull=False)),
        "replies_due": Count(
            "id", filter=Q(reply_due__isnull=False) & (Q(replied_at__isnull=False) | Q(was_overdue=True))
        ),
        "finished": Count("id", filter=finished),
        "closed": Count("id", filter=Q(status=Status.CLOSED)),
        "returned": Count("id", filter=dispatched & Q(return_count__gt=0)),
        "redone": Count("id", filter=Q(redo_count__gt=0)),
        "closed_first_time": Count("id", filter=finished & Q(redo_count=0)),
        "extended": Count("id", filter=dispatched & Q(extension_count__gt=0)),
        "callbacks": Count("id", filter=Q(contacted__isnull=False)),
        "reached": Count("id", filter=Q(contacted=True)),
        "solved_count": Count("id", filter=Q(contacted=True, solved=True)),
        "satisfied": Count("id", filter=Q(contacted=True, satisfaction=Satisfaction.SATISFIED)),
        "basically": Count("id", filter=Q(contacted=True, satisfaction=Satisfaction.BASICALLY)),
        "identified": Count("id", filter=~Q(appellant_key="")),
        "repeats": Count("id", filter=Q(is_repeat=True)),
    }


def _ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def _rates(row: dict[str, Any]) -> dict[str, Any]:
    contacted = row["reached"]
    response = _ratio(contacted, row["callbacks"])
    solved = _ratio(row["solved_count"], contacted)
    satisfaction = _ratio(row["satisfied"] + 0.9 * row["basically"], contacted)
    composite = None
    if response is not None and solved is not None and satisfaction is not None:
        w = COMPOSITE_WEIGHTS
        composite = round(w["response"] * response + w["solved"] * solved + w["satisfaction"] * satisfaction, 4)
    return {
        **row,
        "answer_at_intake_rate": _ratio(row["answered"], row["received"]),
        "sign_on_time_rate": _ratio(row["signed_on_time"], row["dispatched"]),
        "reply_on_time_rate": _ratio(row["replied_on_time"], row["replies_due"]),
        "closed_rate": _ratio(row["finished"], row["received"]),
        "return_rate": _ratio(row["returned"], row["dispatched"]),
        "redo_rate": _ratio(row["redone"], row["finished"]),
        "extension_rate": _ratio(row["extended"], row["dispatched"]),
        "response_rate": response,
        "solved_rate": solved,
        "satisfaction_rate": satisfaction,
        "composite": composite,
        "first_time_resolution_rate": _ratio(row["closed_first_time"], row["finished"]),
        "repeat_appeal_rate": _ratio(row["repeats"], row["identified"]),
    }


def compute(orders: QuerySet[Order], period: Period, by_unit: bool = True) -> dict[str, Any]:
    """KPIs over orders received in the period: the whole set, and one row per lead unit."""
    scoped = orders.filter(received_at__gte=period.start, received_at__lt=period.end).order_by()
    units: list[dict[str, Any]] = []
    if not by_unit:
        total = _rates(scoped.aggregate(**_aggregates()))
    else:
        # One grouped scan serves both: the total is the sum of the groups, the no-unit group included.
        rows = list(
            scoped.values("lead_unit__code", "lead_unit__name", "lead_unit__short_name").annotate(**_aggregates())
        )
        sums = dict.fromkeys(_aggregates(), 0)
        for row in rows:
            code = row.pop("lead_unit__code")
            name = row.pop("lead_unit__short_name") or row.pop("lead_unit__name")
            row.pop("lead_unit__name", None)
            for key in sums:
                sums[key] += row[key]
            if code is not None:
                units.append({"unit": {"code": code, "name": name}, **_rates(row)})
        total = _rates(sums)
        units.sort(key=lambda r: (r["composite"] is None, -(r["composite"] or 0), -r["received"]))
    return {
        "period": {"start": period.start, "end": period.end},
        "definitions_version": DEFINITIONS_VERSION,
        "definitions": DEFINITIONS,
        "total": total,
        "units": units,
    }


def weekly(orders: QuerySet[Order], first_monday: dt.date, weeks: int) -> list[dict[str, Any]]:
    """The totals for each of `weeks` weeks from `first_monday`, in one grouped query."""
    start = timezone.make_aware(dt.datetime.combine(first_monday, dt.time.min))
    end = start + dt.timedelta(weeks=weeks)
    rows = (
        orders.filter(received_at__gte=start, received_at__lt=end)
        .order_by()
        .annotate(week=TruncWeek("received_at", tzinfo=timezone.get_current_timezone()))
        .values("week")
        .annotate(**_aggregates())
    )
    by_week = {timezone.localtime(row.pop("week")).date(): row for row in rows}
    empty = dict.fromkeys(_aggregates(), 0)
    out = []
    for i in range(weeks):
        monday = first_monday + dt.timedelta(weeks=i)
        out.append({"week": monday, **_rates(by_week.get(monday, empty))})
    return out
