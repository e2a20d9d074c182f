"""The public league table (集中晾晒): per lead unit for one month, from analytics.kpis over all orders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lianxin.analytics import kpis
from lianxin.orders.choices import Status
from lianxin.orders.models import Order

# The figures shown, in column order: key in kpis rows, column heading.
COLUMNS: list[tuple[str, Promise]] = [
    ("received", _("受理量")),
    ("reply_on_time_rate", _("按期答复率")),
    ("closed_rate", _("办结率")),
    ("satisfaction_rate", _("满意率")),
    ("composite", _("综合评分")),
]
SORT_KEYS = [key for key, _label in COLUMNS]
OVERDUE_STATUSES = [Status.DISPATCHED, Status.HANDLING, Status.RETURN_REQUESTED]
MONTHS_BACK = 12


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def start(self) -> dt.datetime:
        return dt.datetime(self.year, self.month, 1, tzinfo=timezone.get_current_timezone())

    def next(self) -> Month:
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def previous(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    def period(self) -> kpis.Period:
        return kpis.Period(self.start(), self.next().start())


def this_month() -> Month:
    today = timezone.localdate()
    return Month(today.year, today.month)


def recent_months() -> list[Month]:
    months = [this_month()]
    for _i in range(MONTHS_BACK - 1):
        months.append(months[-1].previous())
    return months


def parse_month(value: str | None) -> Month | None:
    """A month among the recent ones, or None for anything else."""
    if not value:
        return this_month()
    for month in recent_months():
        if month.key == value:
            return month
    return None


def _sorted(units: list[dict[str, Any]], sort: str) -> list[dict[str, Any]]:
    # Missing figures go last; ties by received, then name, so the order is stable.
    return sorted(units, key=lambda r: (r[sort] is None, -(r[sort] or 0), -r["received"], r["unit"]["name"]))


def _formula(label: str, definition: str) -> str:
    """ "按期答复率 = A / B" shown beside its heading reads "A / B"; other definitions stay whole."""
    name, sep, rest = definition.partition(" = ")
    return rest if sep and name.strip() == label else definition


def table(month: Month, sort: str = "composite") -> dict[str, Any]:
    if sort not in SORT_KEYS:
        sort = "composite"
    result = kpis.compute(Order.objects.all(), month.period())
    now = timezone.now()
    overdue_now = Order.objects.filter(status__in=OVERDUE_STATUSES, reply_due__lt=now, parent__isnull=True).count()
    period = month.period()
    was_overdue = Order.objects.filter(
        received_at__gte=period.start, received_at__lt=period.end, was_overdue=True
    ).count()
    units = _sorted(result["units"], sort)
    for rank, row in enumerate(units, start=1):
        row["rank"] = rank
        row["cells"] = [(key, label, row[key]) for key, label in COLUMNS]
    definitions = [(label, _formula(str(label), gettext(result["definitions"].get(key, "")))) for key, label in COLUMNS]
    return {
        "month": month,
        "sort": sort,
        "columns": COLUMNS,
        "units": units,
        "total": result["total"],
        "total_cells": [(key, label, result["total"][key]) for key, label in COLUMNS],
        "definitions": definitions,
        "definitions_version": result["definitions_version"],
        "overdue_now": overdue_now,
        "was_overdue": was_overdue,
        "computed_at": now,
    }
