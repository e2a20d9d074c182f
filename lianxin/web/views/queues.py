"""The work queues: dispatcher (派单), handling unit inbox (承办) and callback (回访)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db.models import Case, DateTimeField, F, Value, When
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.core.calendar import load_calendar
from lianxin.core.errors import ActionError
from lianxin.orders import actions
from lianxin.orders.choices import AssignmentRole, AssignmentState, RequestState, Status
from lianxin.orders.models import Assignment, ExtensionRequest, Order, ReturnRequest
from lianxin.routing.rules import default_unit
from lianxin.web.common import current_user, workbench_view
from lianxin.web.forms import BatchDispatchForm, CallbackForm, DispatchForm, ReasonRequiredForm
from lianxin.web.paging import keyset_page
from lianxin.web.present import ai_unit_candidates, countdown, current_due, waited
from lianxin.web.views.orders import LIST_RELATED, visible

FAR_FUTURE = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)
REQUESTS_SHOWN = 30
INBOX_IDS = 20_000


@workbench_view("web:dispatch")
def dispatch_queue(request: HttpRequest, form: BatchDispatchForm | None = None, status: int = 200) -> HttpResponse:
    qs = visible(request).filter(status__in=[Status.RECEIVED, Status.AWAITING_DISPATCH], parent__isnull=True)
    page = keyset_page(qs.select_related(*LIST_RELATED, "category__parent"), ["received_at", "id"], request)
    calendar = load_calendar()
    rows = []
    for order in page.rows:
        rows.append(
            {
                "order": order,
                "suggested": default_unit(order.category, order.town, order.district),
                "runners_up": ai_unit_candidates(order)[:3],
                "countdown": countdown(current_due(order), calendar),
                "waited": waited(order.received_at),
            }
        )
    visible_ids = visible(request).values("pk")
    returns = (
        ReturnRequest.objects.filter(state=RequestState.PENDING, order__in=visible_ids)
        .select_related("order", "unit", "suggested_unit", "requested_by")
        .order_by("requested_at", "id")[:REQUESTS_SHOWN]
    )
    extensions = (
        ExtensionRequest.objects.filter(state=RequestState.PENDING, order__in=visible_ids)
        .select_related("order", "unit", "requested_by")
        .order_by("requested_at", "id")[:REQUESTS_SHOWN]
    )
    context: dict[str, Any] = {
        "rows": rows,
        "page": page,
        "batch_form": form or BatchDispatchForm(),
        "selected": set(form.order_ids) if form is not None else set(),
        "returns": [
            {"req": r, "form": DispatchForm(prefix="redispatch", initial={"lead_unit": r.suggested_unit_id})}
            for r in returns
        ],
        "extensions": [{"req": e, "form": ReasonRequiredForm(prefix="reject_extension")} for e in extensions],
        "reject_form": ReasonRequiredForm(prefix="reject_return"),
    }
    return render(request, "web/dispatch.html", context, status=status)


@require_POST
@workbench_view("web:dispatch")
def batch_dispatch(request: HttpRequest) -> HttpResponse:
    """Several orders, one lead unit: each goes through actions.dispatch; failures are reported one by one."""
    form = BatchDispatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("批量派单未提交：请勾选工单并选择主办单位"))
        return dispatch_queue(request, form=form, status=400)
    user = current_user(request)
    data = form.cleaned_data
    done, failed = [], []
    for order in visible(request).filter(pk__in=form.order_ids):
        try:
            actions.dispatch(
                order, user, lead_unit=data["lead_unit"], co_units=list(data["co_units"]), reason=data["reason"]
            )
            done.append(order.number or str(order.pk))
        except ActionError as error:
            failed.append(f"{order.number}：{error.message}")
    if done:
        messages.success(
            request,
            _("已派单 %(n)s 张给%(u)s：%(list)s") % {"n": len(done), "u": data["lead_unit"], "list": "、".join(done)},
        )
    for line in failed:
        messages.error(request, line)
    return HttpResponseRedirect(reverse("web:dispatch"))


@workbench_view("web:inbox")
def inbox(request: HttpRequest) -> HttpResponse:
    """Orders assigned to the user's unit, nearest deadline first (so the overdue ones lead)."""
    user = current_user(request)
    org = user.organisation
    qs = visible(request).none()
    mine = Assignment.objects.none()
    if org is not None:
        mine = Assignment.objects.filter(
            unit_path__startswith=org.path, state__in=[AssignmentState.DISPATCHED, AssignmentState.SIGNED]
        )
        # The unit's open work, read first from the assignment index (a few thousand ids at most):
        # given the nested subquery instead, PostgreSQL sometimes scanned every open order at 1M orders.
        ids: Any = list(mine.values_list("order_id", flat=True)[: INBOX_IDS + 1])
        if len(ids) > INBOX_IDS:
            ids = mine.values("order_id")
        qs = (
            visible(request)
            .filter(pk__in=ids, parent__isnull=True)
            .exclude(status__in=[Status.CLOSED, Status.ANSWERED])
            .annotate(
                due=Coalesce(
                    Case(
                        When(status=Status.DISPATCHED, then=F("sign_due")),
                        default=F("reply_due"),
                        output_field=DateTimeField(),
                    ),
                    Value(FAR_FUTURE),
                )
            )
        )
    page = keyset_page(qs.select_related(*LIST_RELATED), ["due", "id"], request)
    parts = {a.order_id: a for a in mine.filter(order_id__in=[o.pk for o in page.rows]).select_related("unit")}
    calendar = load_calendar()
    now = timezone.now()
    rows = [
        {
            "order": o,
            "part": parts.get(o.pk),
            "countdown": countdown(current_due(o), calendar, now),
            "can_sign": _can_sign(o, parts.get(o.pk)),
        }
        for o in page.rows
    ]
    return render(request, "web/inbox.html", {"rows": rows, "page": page})


def _can_sign(order: Order, part: Assignment | None) -> bool:
    """A lead unit that asked to return an order it never signed waits for the dispatcher, not a sign button."""
    if part is None or part.state != AssignmentState.DISPATCHED:
        return False
    return part.role == AssignmentRole.CO or order.status == Status.DISPATCHED


@workbench_view("web:callback")
def callback_list(request: HttpRequest) -> HttpResponse:
    """Replied orders waiting for a callback, the longest-waiting first."""
    qs = visible(request).filter(status=Status.REPLIED, parent__isnull=True, replied_at__isnull=False)
    page = keyset_page(qs.select_related(*LIST_RELATED), ["replied_at", "id"], request)
    calendar = load_calendar()
    today = timezone.localdate()
    rows = [
        {
            "order": o,
            "form": CallbackForm(prefix="callback"),
            "countdown": countdown(o.callback_due, calendar),
            "today": o.callback_due is not None and timezone.localtime(o.callback_due).date() <= today,
        }
        for o in page.rows
    ]
    return render(request, "web/callback.html", {"rows": rows, "page": page})
