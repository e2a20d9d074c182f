"""话务受理: the call-taker types the call, sees suggestions as the text grows, and files or answers the order."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.core.errors import ActionError
from lianxin.core.models import Role, User
from lianxin.intake import service
from lianxin.orders import actions
from lianxin.orders.choices import Channel
from lianxin.orders.policy import INTAKE_ROLES
from lianxin.web.common import current_user, restored_post, workbench_view
from lianxin.web.forms import IntakeForm
from lianxin.web.suggest import build_view

MIN_TEXT_FOR_ANALYSIS = 4
DEFAULT_CHANNEL: dict[str, str] = {Role.GRID_WORKER: Channel.GRID, Role.VISITOR: Channel.VISIT}


def _analyze(text: str, user: User | None = None) -> Any:
    """Suggestions for the panel. `suggest(..., user=)` limits similar orders to what the user may see."""
    suggest = getattr(service, "suggest", None)
    if user is not None and suggest is not None:
        return suggest(text, timezone.now(), user=user)
    return service.analyze_for_order(text, timezone.now())


def _page(request: HttpRequest, form: IntakeForm, status: int = 200) -> HttpResponse:
    user = current_user(request)
    text = (form.data.get("text") if form.is_bound else form.initial.get("text")) or ""
    view = build_view(text, _analyze(text, user)) if len(text.strip()) >= MIN_TEXT_FOR_ANALYSIS else None
    context = {
        "form": form,
        "suggestions": view,
        "may_answer": user.is_superuser or user.role in INTAKE_ROLES,
        "text": text,
    }
    return render(request, "web/intake.html", context, status=status)


@workbench_view("web:intake")
def intake(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if request.method == "POST":
        form = IntakeForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请检查标红的字段"))
            return _page(request, form, status=400)
        return _create(request, form)
    initial: dict[str, Any] = {
        "idempotency_key": uuid.uuid4().hex,
        "channel": DEFAULT_CHANNEL.get(user.role, "hotline"),
    }
    restored = restored_post(request)
    if restored:
        messages.info(request, _("已恢复登录过期前填写的内容，请核对后提交。"))
        return _page(
            request, IntakeForm({**restored, "idempotency_key": restored.get("idempotency_key") or uuid.uuid4().hex})
        )
    return _page(request, IntakeForm(initial=initial))


def _create(request: HttpRequest, form: IntakeForm) -> HttpResponse:
    user = current_user(request)
    data = form.cleaned_data
    result = _analyze(data["text"])
    draft = actions.OrderDraft(
        channel=data["channel"],
        appeal_type=data["appeal_type"],
        text=data["text"],
        urgency=data["urgency"],
        summary=data["summary"],
        category=data["category"],
        district=data["district"],
        town=data["town"],
        address=data["address"],
        appellant_name=data["appellant_name"],
        appellant_phones=data["appellant_phones"],
        is_anonymous=data["is_anonymous"],
        is_confidential=data["is_confidential"],
        ai_suggestions=result.as_dict(),
        ai_model_version=result.model_version,
    )
    may_decide = user.is_superuser or user.role in INTAKE_ROLES
    try:
        order, created = actions.create_order(user, draft, idempotency_key=f"web-{user.pk}-{data['idempotency_key']}")
        if created and may_decide:
            if data["decision"] == "answer":
                actions.answer_at_intake(order, user, reply=data["reply"], expected_version=order.version)
            else:
                actions.accept(order, user, expected_version=order.version)
    except ActionError as error:
        if error.field and error.field in form.fields:
            form.add_error(error.field, error.message)
        messages.error(request, error.message)
        return _page(request, form, status=error.status_code)
    if not created:
        messages.info(request, _("该工单已提交过（工单 %(n)s），未重复登记。") % {"n": order.number})
    elif data["decision"] == "answer" and may_decide:
        messages.success(request, _("工单 %(n)s 已直办办结。") % {"n": order.number})
    else:
        messages.success(request, _("工单 %(n)s 已登记，转入派单。") % {"n": order.number})
    return HttpResponseRedirect(reverse("web:intake") + f"?last={order.pk}")


@require_POST
@workbench_view("web:intake")
def analyze(request: HttpRequest) -> HttpResponse:
    """The suggestions panel for the text typed so far (htmx, no page reload)."""
    text = request.POST.get("text", "")[:5000]
    user = current_user(request)
    view = build_view(text, _analyze(text, user)) if len(text.strip()) >= MIN_TEXT_FOR_ANALYSIS else None
    return render(request, "web/partials/suggestions.html", {"suggestions": view, "text": text})
