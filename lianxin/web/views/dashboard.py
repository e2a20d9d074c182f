"""督办 dashboard: KPIs by unit and period, a weekly trend, overdue lists, one-click 催办/督办, a schematic map."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.db.models import Case, Count, F, Q, QuerySet, When
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext

from lianxin.analytics import kpis
from lianxin.core.calendar import load_calendar
from lianxin.core.models import Organisation, OrgKind
from lianxin.orders.choices import OPEN_STATUSES, Status
from lianxin.orders.models import Order
from lianxin.web.common import workbench_view
from lianxin.web.present import countdown, current_due
from lianxin.web.views.orders import LIST_RELATED, visible

PERIODS = {"7": 7, "30": 30, "90": 90}
TREND_WEEKS = 8
LIST_SIZE = 12
# A schematic (not geographic) layout of Zhoushan's districts; there are no town coordinates in the data.
MAP_LEFT_LABEL_ROOM = 1.8  # schematic x below which a label written to the left would be cut off
DISTRICT_ANCHORS: dict[str, tuple[float, float]] = {
    "330902": (2.2, 3.0),  # 定海区, west of Zhoushan island
    "330900-xc": (4.9, 1.0),  # 新城
    "330903": (7.4, 3.0),  # 普陀区, east
    "330921": (3.8, 7.0),  # 岱山县, north
    "330922": (7.6, 8.4),  # 嵊泗县, far north-east
}


def _overdue_q(now: dt.datetime) -> Q:
    return Q(status=Status.DISPATCHED, sign_due__lt=now) | Q(
        status__in=[Status.HANDLING, Status.RETURN_REQUESTED], reply_due__lt=now
    )


def _soon_q(now: dt.datetime, horizon: dt.datetime) -> Q:
    return Q(status=Status.DISPATCHED, sign_due__gte=now, sign_due__lt=horizon) | Q(
        status__in=[Status.HANDLING, Status.RETURN_REQUESTED], reply_due__gte=now, reply_due__lt=horizon
    )


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _trend(weekly: list[dict[str, Any]], today: dt.date) -> dict[str, list[Any]]:
    weeks, received, closed, on_time, satisfaction = [], [], [], [], []
    for total in weekly:
        # The last bar is the week so far: named so, it does not read as a sudden drop.
        this_week = total["week"] <= today < total["week"] + dt.timedelta(weeks=1)
        weeks.append(gettext("本周") if this_week else total["week"].strftime("%m-%d"))
        received.append(total["received"])
        closed.append(None if total["closed_rate"] is None else round(total["closed_rate"] * 100, 1))
        on_time.append(None if total["reply_on_time_rate"] is None else round(total["reply_on_time_rate"] * 100, 1))
        satisfaction.append(None if total["satisfaction_rate"] is None else round(total["satisfaction_rate"] * 100, 1))
    return {"weeks": weeks, "received": received, "closed": closed, "on_time": on_time, "satisfaction": satisfaction}


def _map_points(orders: QuerySet[Order], now: dt.datetime) -> list[dict[str, Any]]:
    """Open orders per town (or per district when the town is unknown) on the schematic layout."""
    counts = (
        orders.filter(status__in=OPEN_STATUSES)
        .values("district_id", "town_id")
        # Counting only columns the filter reads (not the id) lets an index on open orders answer alone.
        .annotate(n=Count("*"), late=Count("status", filter=_overdue_q(now)))
        .order_by()
    )
    by_place = {(row["district_id"], row["town_id"]): row for row in counts}
    districts = {o.pk: o for o in Organisation.objects.filter(kind=OrgKind.DISTRICT)}
    towns = list(Organisation.objects.filter(kind=OrgKind.TOWN).order_by("path"))
    points: list[dict[str, Any]] = []
    for district in districts.values():
        ax, ay = DISTRICT_ANCHORS.get(district.code, (5.0, 5.0))
        own = [t for t in towns if t.parent_id == district.pk]
        row = by_place.get((district.pk, None))
        points.append(
            {"name": district.display_name, "x": ax, "y": ay, "n": row["n"] if row else 0,
             "late": row["late"] if row else 0, "district": True}
        )  # fmt: skip
        radius = 1.2 + 0.06 * len(own)
        for i, town in enumerate(own):
            angle = 2 * math.pi * i / max(len(own), 1)
            x = ax + radius * math.cos(angle)
            row = by_place.get((district.pk, town.pk))
            points.append(
                {"name": town.display_name, "x": round(x, 2),
                 "y": round(ay + radius * 0.8 * math.sin(angle), 2), "n": row["n"] if row else 0,
                 "late": row["late"] if row else 0, "district": False,
                 # Labels point away from the district's centre, so neighbours do not write over each other
                 # (but never off the left edge of the chart).
                 "side": "left" if math.cos(angle) < -0.3 and x > MAP_LEFT_LABEL_ROOM else "right"}
            )  # fmt: skip
    return points


def _scoped(request: HttpRequest) -> tuple[QuerySet[Order], str]:
    """The orders the person may see, narrowed to one lead unit by ?unit=."""
    orders = visible(request)
    unit_code = request.GET.get("unit", "")
    if unit_code:
        orders = orders.filter(lead_unit__code=unit_code)
    return orders, unit_code


@workbench_view("web:dashboard")
def map_data(request: HttpRequest) -> JsonResponse:
    """The map's open-order counts, fetched by the page after it has loaded.

    Counting every open order by place is the dashboard's costliest query that no figure on screen
    depends on; served apart, it no longer holds back the first render. Always live, never cached.
    """
    orders, _unit = _scoped(request)
    response = JsonResponse({"points": _map_points(orders, timezone.now())})
    response["Cache-Control"] = "no-store"
    return response


@workbench_view("web:dashboard")
def dashboard(request: HttpRequest) -> HttpResponse:
    days = PERIODS.get(request.GET.get("days", ""), 30)
    now = timezone.now()
    today = timezone.localdate()
    orders, unit_code = _scoped(request)
    end = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min))
    period = kpis.Period(end - dt.timedelta(days=days), end)
    first_monday = today - dt.timedelta(days=today.weekday(), weeks=TREND_WEEKS - 1)
    report, weekly = kpis.compute_with_weekly(orders, period, first_monday, TREND_WEEKS)
    calendar = load_calendar()
    live = orders.filter(parent__isnull=True).select_related(*LIST_RELATED)
    # An unsigned order is late by its sign deadline, a signed one by its reply deadline.
    live = live.annotate(due=Case(When(status=Status.DISPATCHED, then=F("sign_due")), default=F("reply_due")))
    overdue = list(live.filter(_overdue_q(now)).order_by("due", "id")[:LIST_SIZE])
    soon = list(live.filter(_soon_q(now, now + dt.timedelta(hours=24))).order_by("due", "id")[:LIST_SIZE])
    total = report["total"]
    cards = [
        ("received", total["received"], f"{total['received']:,}"),
        ("answer_at_intake_rate", total["answer_at_intake_rate"], _pct(total["answer_at_intake_rate"])),
        ("sign_on_time_rate", total["sign_on_time_rate"], _pct(total["sign_on_time_rate"])),
        ("reply_on_time_rate", total["reply_on_time_rate"], _pct(total["reply_on_time_rate"])),
        ("closed_rate", total["closed_rate"], _pct(total["closed_rate"])),
        ("satisfaction_rate", total["satisfaction_rate"], _pct(total["satisfaction_rate"])),
    ]
    unit_rows = [
        {**row, "cells": {k: _pct(row[k]) for k in ("sign_on_time_rate", "reply_on_time_rate", "closed_rate",
                                                     "return_rate", "satisfaction_rate", "composite")}}
        for row in report["units"]
    ]  # fmt: skip
    context = {
        "days": days,
        "periods": list(PERIODS),
        "unit_code": unit_code,
        "units": [r["unit"] for r in report["units"]] if not unit_code else [],
        "report": report,
        "total": total,
        "cards": cards,
        "unit_rows": unit_rows,  # every unit: the weakest, at the bottom, matter most to a supervisor
        "definitions": report["definitions"],
        "overdue": [{"order": o, "countdown": countdown(current_due(o), calendar, now)} for o in overdue],
        "soon": [{"order": o, "countdown": countdown(current_due(o), calendar, now)} for o in soon],
        "chart": {"trend": _trend(weekly, today)},
    }
    return render(request, "web/dashboard.html", context)
