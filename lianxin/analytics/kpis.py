"""The KPIs of domain.md §6, per lead unit and period, with their definitions (versioned)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from django.db import connections, transaction
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from lianxin.core.models import Organisation
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


def _unit_labels(ids: set[int]) -> dict[int, dict[str, str]]:
    """Code and display name of the lead units, looked up once instead of grouping the scan by their text."""
    units = Organisation.objects.filter(pk__in=ids).only("id", "code", "name", "short_name")
    return {u.pk: {"code": u.code, "name": u.short_name or u.name} for u in units}


def _report(period: Period, total: dict[str, Any], by_unit: dict[int, dict[str, Any]] | None) -> dict[str, Any]:
    units: list[dict[str, Any]] = []
    if by_unit:
        labels = _unit_labels(set(by_unit))
        units = [{"unit": labels[pk], **_rates(row)} for pk, row in by_unit.items() if pk in labels]
        units.sort(key=lambda r: (r["composite"] is None, -(r["composite"] or 0), -r["received"]))
    return {
        "period": {"start": period.start, "end": period.end},
        "definitions_version": DEFINITIONS_VERSION,
        "definitions": DEFINITIONS,
        "total": _rates(total),
        "units": units,
    }


def _add(into: dict[str, Any], row: dict[str, Any]) -> None:
    for key in into:
        into[key] += row[key]


def compute(orders: QuerySet[Order], period: Period, by_unit: bool = True) -> dict[str, Any]:
    """KPIs over orders received in the period: the whole set, and one row per lead unit."""
    scoped = orders.filter(received_at__gte=period.start, received_at__lt=period.end).order_by()
    if not by_unit:
        return _report(period, scoped.aggregate(**_aggregates()), None)
    # One grouped scan serves both: the total is the sum of the groups, the no-unit group included.
    total = dict.fromkeys(_aggregates(), 0)
    units: dict[int, dict[str, Any]] = {}
    for row in scoped.values("lead_unit_id").annotate(**_aggregates()):
        pk = row.pop("lead_unit_id")
        _add(total, row)
        if pk is not None:
            units[pk] = row
    return _report(period, total, units)


def _week_starts(first_monday: dt.date, weeks: int) -> list[dt.datetime]:
    """Local midnight of each Monday, and of the Monday after the last week."""
    return [
        timezone.make_aware(dt.datetime.combine(first_monday + dt.timedelta(weeks=i), dt.time.min))
        for i in range(weeks + 1)
    ]


def _bucketed(orders: QuerySet[Order], bounds: list[dt.datetime]) -> list[dict[str, Any]]:
    """The aggregates per lead unit and per interval [bounds[i], bounds[i + 1]), from one scan.

    The interval is a chain of comparisons on received_at: cheaper per row than truncating a
    time-zone-converted timestamp, and the same on every database.
    """
    # Every row is below bounds[-1], so the last interval needs no comparison of its own.
    bucket = Case(
        *[When(received_at__lt=bound, then=Value(i)) for i, bound in enumerate(bounds[1:-1])],
        default=Value(len(bounds) - 2),
        output_field=IntegerField(),
    )
    grouped = (
        orders.filter(received_at__gte=bounds[0], received_at__lt=bounds[-1])
        .order_by()
        .annotate(bucket=bucket)
        .values("lead_unit_id", "bucket")
        .annotate(**_aggregates())
    )
    connection = connections[grouped.db]
    if connection.vendor != "postgresql":
        return list(grouped)
    # PostgreSQL cannot estimate how few (unit, interval) groups there are, expects one per row and sorts
    # the whole range instead of hashing, spilling to disk at the default 4 MB; with room to hash, the
    # ~500 groups are built in one pass.
    with transaction.atomic(using=grouped.db), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '32MB'")
        return list(grouped)


def _weekly_rows(first_monday: dt.date, weeks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"week": first_monday + dt.timedelta(weeks=i), **_rates(row)} for i, row in enumerate(weeks)]


def weekly(orders: QuerySet[Order], first_monday: dt.date, weeks: int) -> list[dict[str, Any]]:
    """The totals for each of `weeks` weeks from `first_monday`, in one grouped query."""
    return _scan(orders, None, first_monday, weeks)[1]


def compute_with_weekly(
    orders: QuerySet[Order], period: Period, first_monday: dt.date, weeks: int
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """compute(orders, period) and weekly(orders, first_monday, weeks) from a single scan.

    The dashboard shows both and their date ranges overlap (30 days inside 8 weeks), so reading the
    orders once halves its largest cost. Rows are grouped by lead unit and by the intervals that the
    week starts and the period's ends cut the range into; each interval lies wholly inside or outside
    the period and inside one week, so the sums are exact.
    """
    report, weeks_out = _scan(orders, period, first_monday, weeks)
    assert report is not None
    return report, weeks_out


def _scan(
    orders: QuerySet[Order], period: Period | None, first_monday: dt.date, weeks: int
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    starts = _week_starts(first_monday, weeks)
    bounds = sorted({*starts, *((period.start, period.end) if period else ())})
    names = list(_aggregates())
    total = dict.fromkeys(names, 0)
    units: dict[int, dict[str, Any]] = {}
    week_sums = [dict.fromkeys(names, 0) for _ in range(weeks)]
    # Which week and whether in the period, per interval: decided once, not per row.
    intervals = list(itertools.pairwise(bounds))
    week_of = [next((i for i in range(weeks) if starts[i] <= lower < starts[i + 1]), None) for lower, _ in intervals]
    in_period = [bool(period and period.start <= lower and upper <= period.end) for lower, upper in intervals]
    for row in _bucketed(orders, bounds):
        pk, bucket = row.pop("lead_unit_id"), row.pop("bucket")
        if in_period[bucket]:
            _add(total, row)
            if pk is not None:
                if pk not in units:
                    units[pk] = dict.fromkeys(names, 0)
                _add(units[pk], row)
        week = week_of[bucket]
        if week is not None:
            _add(week_sums[week], row)
    report = _report(period, total, units) if period else None
    return report, _weekly_rows(first_monday, week_sums)
