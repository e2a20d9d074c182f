"""Order search, the order detail page, and one POST endpoint that runs any action the user may take."""

from __future__ import annotations

import mimetypes
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lianxin.core.calendar import load_calendar
from lianxin.core.errors import ActionError, NotFound
from lianxin.core.models import User
from lianxin.orders import actions
from lianxin.orders.api.outputs import appellant_view, is_overdue
from lianxin.orders.choices import AssignmentState, RequestState, Status
from lianxin.orders.models import Order
from lianxin.orders.policy import may_unmask, visible_orders
from lianxin.orders.transitions import allowed_actions
from lianxin.web import forms as wf
from lianxin.web.common import current_user, is_htmx, safe_next, workbench_view
from lianxin.web.paging import keyset_page
from lianxin.web.present import countdown, current_due, event_label

LIST_RELATED = ("category", "district", "town", "lead_unit", "reported_unit")  # reported_unit: the privacy rule
STATUS_LABELS = dict(Status.choices)

Runner = Callable[[Order, User, dict[str, Any], HttpRequest], Order]


@dataclass(frozen=True)
class ActionSpec:
    label: Any
    form: type[forms.Form]
    run: Runner
    style: str = ""


def _save_attachments(order: Order, files: list[UploadedFile]) -> list[str]:
    """Store uploads under MEDIA_ROOT/replies/<order>/ and return their paths relative to MEDIA_ROOT."""
    folder = Path(settings.MEDIA_ROOT) / "replies" / str(order.pk)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for upload in files:
        name = f"{uuid.uuid4().hex[:8]}_{get_valid_filename(Path(upload.name or 'file').name)}"
        with open(folder / name, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        paths.append(f"replies/{order.pk}/{name}")
    return paths


def _reply(o: Order, u: User, d: dict[str, Any], r: HttpRequest) -> Order:
    paths = _save_attachments(o, d.get("attachments") or [])
    return actions.reply(o, u, text=d["text"], attachments=paths, expected_version=d["v"])


def _callback(o: Order, u: User, d: dict[str, Any], r: HttpRequest) -> Order:
    contacted = bool(d["contacted"])
    order = actions.callback(
        o,
        u,
        contacted=contacted,
        solved=d.get("solved") if contacted else None,
        satisfaction=d.get("satisfaction") or "",
        note=d.get("reason") or "",
        redo_if_unsatisfied=bool(d.get("redo_if_unsatisfied")),
        expected_version=d["v"],
    )
    if d.get("close_after") and order.status == Status.CALLED_BACK and contacted:
        order = actions.close(order, u, expected_version=order.version)
    return order


def _merge(o: Order, u: User, d: dict[str, Any], r: HttpRequest) -> Order:
    target = visible_orders(u).filter(number=d["into"].strip()).first()
    if target is None:
        raise NotFound(_("目标工单不存在或无权查看"), "into")
    return actions.merge(o, u, into=target, reason=d["reason"])


ACTIONS: dict[str, ActionSpec] = {
    "accept": ActionSpec(
        gettext_lazy("受理转派单"),
        wf.ReasonForm,
        lambda o, u, d, r: actions.accept(o, u, reason=d["reason"], expected_version=d["v"]),
    ),
    "answer": ActionSpec(
        gettext_lazy("直办办结"),
        wf.AnswerForm,
        lambda o, u, d, r: actions.answer_at_intake(
            o, u, reply=d["reply"], reason=d["reason"], expected_version=d["v"]
        ),
    ),
    "dispatch": ActionSpec(
        gettext_lazy("派单"),
        wf.DispatchForm,
        lambda o, u, d, r: actions.dispatch(
            o, u, lead_unit=d["lead_unit"], co_units=list(d["co_units"]), reason=d["reason"], expected_version=d["v"]
        ),
        "primary",
    ),
    "sign": ActionSpec(
        gettext_lazy("签收"),
        wf.ReasonForm,
        lambda o, u, d, r: actions.sign(o, u, reason=d["reason"], expected_version=d["v"]),
        "primary",
    ),
    "reply": ActionSpec(gettext_lazy("答复"), wf.ReplyForm, _reply, "primary"),
    "request_return": ActionSpec(
        gettext_lazy("申请退单"),
        wf.ReturnForm,
        lambda o, u, d, r: actions.request_return(
            o, u, reason=d["reason"], suggested_unit=d.get("suggested_unit"), expected_version=d["v"]
        ),
    ),
    "request_extension": ActionSpec(
        gettext_lazy("申请延期"),
        wf.ExtensionForm,
        lambda o, u, d, r: actions.request_extension(o, u, days=d["days"], reason=d["reason"], expected_version=d["v"]),
    ),
    "redispatch": ActionSpec(
        gettext_lazy("同意退单并改派"),
        wf.DispatchForm,
        lambda o, u, d, r: actions.redispatch(
            o, u, lead_unit=d["lead_unit"], co_units=list(d["co_units"]), reason=d["reason"], expected_version=d["v"]
        ),
        "primary",
    ),
    "reject_return": ActionSpec(
        gettext_lazy("驳回退单"),
        wf.ReasonRequiredForm,
        lambda o, u, d, r: actions.reject_return(o, u, reason=d["reason"], expected_version=d["v"]),
    ),
    "approve_extension": ActionSpec(
        gettext_lazy("批准延期"),
        wf.ReasonForm,
        lambda o, u, d, r: actions.decide_extension(o, u, approve=True, reason=d["reason"], expected_version=d["v"]),
        "primary",
    ),
    "reject_extension": ActionSpec(
        gettext_lazy("驳回延期"),
        wf.ReasonRequiredForm,
        lambda o, u, d, r: actions.decide_extension(o, u, approve=False, reason=d["reason"], expected_version=d["v"]),
    ),
    "callback": ActionSpec(gettext_lazy("回访"), wf.CallbackForm, _callback, "primary"),
    "close": ActionSpec(
        gettext_lazy("办结"),
        wf.ReasonForm,
        lambda o, u, d, r: actions.close(o, u, reason=d["reason"], expected_version=d["v"]),
    ),
    "redo": ActionSpec(
        gettext_lazy("重办"),
        wf.ReasonRequiredForm,
        lambda o, u, d, r: actions.redo(o, u, reason=d["reason"], expected_version=d["v"]),
    ),
    "merge": ActionSpec(gettext_lazy("并单"), wf.MergeForm, _merge),
    "unmerge": ActionSpec(
        gettext_lazy("撤销并单"), wf.ReasonRequiredForm, lambda o, u, d, r: actions.unmerge(o, u, reason=d["reason"])
    ),
    "remind": ActionSpec(
        gettext_lazy("催办"), wf.ReasonForm, lambda o, u, d, r: actions.remind(o, u, reason=d["reason"])
    ),
    "supervise": ActionSpec(
        gettext_lazy("督办"), wf.ReasonRequiredForm, lambda o, u, d, r: actions.supervise(o, u, reason=d["reason"])
    ),
}


def visible(request: HttpRequest) -> QuerySet[Order]:
    return visible_orders(current_user(request))


def get_visible_order(request: HttpRequest, pk: int) -> Order:
    return get_object_or_404(visible(request).select_related(*LIST_RELATED, "community", "parent"), pk=pk)


@workbench_view("web:orders")
def order_list(request: HttpRequest) -> HttpResponse:
    qs = visible(request).select_related(*LIST_RELATED)
    query = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    if query:
        qs = qs.filter(number=query) if query.upper().startswith("ZS") else qs.filter(text__contains=query[:50])
    if status in Status.values:
        qs = qs.filter(status=status)
    page = keyset_page(qs, ["-received_at", "-id"], request)
    return render(
        request,
        "web/orders.html",
        {"page": page, "q": query, "status": status, "statuses": Status.choices},
    )


def _action_forms(order: Order, user: User, bound: tuple[str, forms.Form] | None = None) -> list[dict[str, Any]]:
    out = []
    for name in allowed_actions(order, user):
        spec = ACTIONS.get(name)
        if spec is None:
            continue
        if bound is not None and bound[0] == name:
            form = bound[1]
        else:
            initial: dict[str, Any] = {}
            if name in ("dispatch", "redispatch"):
                from lianxin.routing.rules import default_unit

                unit = default_unit(order.category, order.town, order.district)
                initial["lead_unit"] = unit.pk if unit else None
            form = spec.form(initial=initial, prefix=name)
        out.append({"name": name, "label": spec.label, "form": form, "style": spec.style})
    return out


def render_detail(
    request: HttpRequest, order: Order, *, bound: tuple[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    user = current_user(request)
    calendar = load_calendar()
    events = list(order.events.select_related("actor", "actor_unit").order_by("seq"))
    for event in events:
        event.label = event_label(event.kind)  # type: ignore[attr-defined]
        files = [str(p).rsplit("/", 1)[-1] for p in (event.data or {}).get("attachments") or []]
        event.files = [  # type: ignore[attr-defined]
            {"name": f.split("_", 1)[-1], "url": reverse("web:order-file", args=[order.pk, f])} for f in files
        ]
        event.old_label = STATUS_LABELS.get(event.old_status, event.old_status)  # type: ignore[attr-defined]
        event.new_label = STATUS_LABELS.get(event.new_status, event.new_status)  # type: ignore[attr-defined]
    context = {
        "order": order,
        "appellant": appellant_view(order, user, unmask=False),
        "may_unmask": may_unmask(user, order),
        "assignments": order.assignments.select_related("unit").exclude(state=AssignmentState.WITHDRAWN),
        "events": events,
        "children": order.merged_children.all()[:50],
        "action_forms": _action_forms(order, user, bound),
        "countdown": countdown(current_due(order), calendar),
        "overdue": is_overdue(order),
        "pending_returns": order.return_requests.filter(state=RequestState.PENDING).select_related("unit"),
        "pending_extensions": order.extension_requests.filter(state=RequestState.PENDING).select_related("unit"),
        "next": request.POST.get("next") or request.GET.get("next") or "",
    }
    return render(request, "web/order_detail.html", context, status=status)


@workbench_view("web:orders")
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_detail(request, get_visible_order(request, pk))


@require_POST
@workbench_view("web:orders")
def unmask(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the full personal data; goes through appellant_view(unmask=True), which logs the access."""
    order = get_visible_order(request, pk)
    user = current_user(request)
    if not may_unmask(user, order):
        raise Http404(_("无权查看"))
    context = {"order": order, "appellant": appellant_view(order, user, unmask=True), "may_unmask": False}
    if is_htmx(request):
        return render(request, "web/partials/appellant.html", context)
    return render_detail(request, order)


@require_POST
@workbench_view("web:orders")
def act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Run one action; errors come back as the same page with the message and what was typed."""
    spec = ACTIONS.get(name)
    if spec is None:
        raise Http404(_("没有这个操作"))
    user = current_user(request)
    order = get_visible_order(request, pk)
    form = spec.form(request.POST, request.FILES, prefix=name)
    detail_url = reverse("web:order", args=[order.pk])
    if not form.is_valid():
        messages.error(request, _("「%(a)s」未提交：请检查填写的内容") % {"a": spec.label})
        return render_detail(request, order, bound=(name, form), status=400)
    data = dict(form.cleaned_data)
    version = request.POST.get("version", "")
    data["v"] = int(version) if version.isdigit() else None
    try:
        spec.run(order, user, data, request)
    except ActionError as error:
        if error.status_code == 404:
            if error.field:
                form.add_error(None, error.message)
                messages.error(request, error.message)
                return render_detail(request, get_visible_order(request, pk), bound=(name, form), status=400)
            raise Http404(error.message) from error
        messages.error(request, error.message)
        fresh = get_visible_order(request, pk)
        # Keep what was typed, measured against the order as it is now (a colleague may have changed it).
        return render_detail(request, fresh, bound=(name, form), status=error.status_code)
    messages.success(request, _("已%(a)s：工单 %(n)s") % {"a": spec.label, "n": order.number})
    return HttpResponseRedirect(safe_next(request, detail_url))


@workbench_view("web:orders")
def attachment(request: HttpRequest, pk: int, name: str) -> FileResponse:
    order = get_visible_order(request, pk)
    path = f"replies/{order.pk}/{name}"
    known = any(
        path in (e.data or {}).get("attachments", []) for e in order.events.filter(kind__in=["replied", "co_replied"])
    )
    full = Path(settings.MEDIA_ROOT) / path
    if not known or not full.is_file() or "/" in name or name.startswith("."):
        raise Http404(_("附件不存在"))
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(
        open(full, "rb"), content_type=content_type, as_attachment=True, filename=name.split("_", 1)[-1]
    )


def overdue_flag(order: Order) -> bool:
    return is_overdue(order)
