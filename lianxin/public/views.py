"""The citizen pages. They read through lianxin.public.tracking and change orders only through actions."""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lianxin.core.errors import ActionError
from lianxin.orders import actions
from lianxin.orders.choices import Channel
from lianxin.orders.intake_hook import draft_from_input
from lianxin.orders.models import Order
from lianxin.public import challenge, league, ratelimit, ratings, tracking
from lianxin.public.errors import friendly
from lianxin.public.forms import AppealForm, RatingForm, TrackForm

log = logging.getLogger("lianxin.public")
KEY_PREFIX = "web-"


@require_GET
@friendly
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "public/home.html", {"nav": "home"})


# ---------------------------------------------------------------- 1. submit an appeal (我要反映)


def _appeal_page(
    request: HttpRequest, form: AppealForm, signed: str, *, keep_answer: bool = False, status: int = 200, **extra: Any
) -> HttpResponse:
    """The form with what the person typed; the CAPTCHA answer is kept only while its question stays."""
    question = challenge.load(signed).question
    context = {"nav": "submit", "form": form, "signed": signed, "question": question, "keep_answer": keep_answer}
    return render(request, "public/submit.html", {**context, **extra}, status=status)


def _fresh_signed(signed: str) -> str:
    """A new question for the same form token (so a double submit still makes one order)."""
    try:
        previous: challenge.Challenge | None = challenge.load(signed)
    except (challenge.ChallengeExpired, challenge.ChallengeInvalid):
        previous = None
    return challenge.new(challenge.token_from(signed), unlike=previous).sign()


def appeal_after_csrf_failure(request: HttpRequest) -> HttpResponse:
    """The CSRF check failed (cookies off, or a very old page): show the form again with what was typed."""
    form = AppealForm(request.POST)
    form.is_valid()
    notice = _("为保护您的信息安全，页面需要刷新后才能提交。您填写的内容已保留，请重新回答验证题后提交。")
    return _appeal_page(request, form, _fresh_signed(request.POST.get("challenge", "")), status=403, notice=notice)


def _draft(form: AppealForm) -> actions.OrderDraft:
    data = form.cleaned_data
    phones = [data["phone"]] if data["phone"] else []
    values: dict[str, Any] = {
        "channel": Channel.WEB,
        "appeal_type": data["appeal_type"],
        "text": data["text"],
        "appellant_name": data["name"],
        "appellant_phones": phones,
        "is_anonymous": not data["name"] and not phones,
        "is_confidential": bool(data["confidential"]),
        "district": data["district_obj"],
        "town": data["town_obj"],
        "address": data["address"].strip(),
    }
    try:
        draft = draft_from_input(dict(values))
    except ActionError:
        raise
    except Exception:  # the analysis only suggests; a failure there must not lose the person's appeal
        log.exception("intake analysis failed for a public submission; creating the order without it")
        return actions.OrderDraft(**values)
    # What the person chose wins: a suggested place outside it is dropped, and a name left blank stays blank.
    district, town = values["district"], values["town"]
    if draft.town is not None and district is not None and not draft.town.is_within(district):
        draft.town, draft.community = None, None
    chosen_town = town or draft.town
    if draft.community is not None and chosen_town is not None and not draft.community.is_within(chosen_town):
        draft.community = None
    draft.appellant_name = values["appellant_name"]
    draft.is_anonymous = not draft.appellant_name and not draft.appellant_phones
    return draft


def _success(request: HttpRequest, order: Order, replay: bool = False) -> HttpResponse:
    return render(request, "public/submitted.html", {"nav": "submit", "order": order, "replay": replay})


@require_http_methods(["GET", "POST"])
@friendly
def submit(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _appeal_page(request, AppealForm(), challenge.new().sign())
    signed = request.POST.get("challenge", "")
    token = challenge.token_from(signed)
    if token is None:  # missing or forged: a new question, keeping what was typed
        form = AppealForm(request.POST)
        form.is_valid()
        return _appeal_page(request, form, challenge.new().sign(), notice=_("页面已更新，请重新回答验证题后提交。"))
    form = AppealForm(request.POST)
    valid = form.is_valid()

    existing = Order.objects.filter(idempotency_key=KEY_PREFIX + token).first()
    if existing is not None:
        if valid and existing.text == form.cleaned_data["text"]:
            return _success(request, existing, replay=True)  # a double click or a refresh: the same order
        notice = _("这张表单已经提交过。如需反映新的问题，请核对内容后再次提交。")
        return _appeal_page(request, form, challenge.new().sign(), notice=notice)

    try:
        question = challenge.load(signed)
    except challenge.ChallengeExpired:
        form.add_error(None, _("验证题已过期，请回答新的验证题"))
        return _appeal_page(request, form, _fresh_signed(signed))
    except challenge.ChallengeInvalid:
        return _appeal_page(request, form, challenge.new().sign(), notice=_("页面已更新，请重新回答验证题后提交。"))
    ip = ratelimit.client_ip(request)
    guesses = ratelimit.limit("captcha_fail_ip")
    if ratelimit.exceeded(guesses, ip):
        notice = _("验证题答错次数过多，请1小时后再试，或拨打12345热线反映。")
        return _appeal_page(request, form, _fresh_signed(signed), status=429, notice=notice)
    answer_ok = request.POST.get("captcha", "").strip() == str(question.answer)
    if not answer_ok and "captcha" not in form.errors:
        form.add_error("captcha", _("验证题答案不正确，请重新计算"))
    if not answer_ok and request.POST.get("captcha", "").strip():
        ratelimit.hit(guesses, ip)
    if not valid or not answer_ok:
        if answer_ok:  # keep the solved question: the person only fixes the fields in error
            return _appeal_page(request, form, signed, keep_answer=True)
        return _appeal_page(request, form, _fresh_signed(signed))

    rule = ratelimit.limit("submit")
    if ratelimit.exceeded(rule, ip):
        notice = _("提交过于频繁：同一网络每小时最多提交%(n)d件。请稍后再试，紧急情况请直接拨打12345或110。") % {
            "n": rule.max_hits
        }
        return _appeal_page(request, form, signed, keep_answer=True, status=429, notice=notice)
    try:
        order, created = actions.create_order(None, _draft(form), idempotency_key=KEY_PREFIX + token)
    except ActionError as exc:
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, exc.message)
        return _appeal_page(request, form, signed, keep_answer=True)
    if created:
        ratelimit.hit(rule, ip)
    return _success(request, order, replay=not created)


# ---------------------------------------------------------------- 2. track (查询进度) and 3. rate (评价)


def _too_many(request: HttpRequest, number: str) -> bool:
    ip = ratelimit.client_ip(request)
    return ratelimit.exceeded(ratelimit.limit("track_fail_ip"), ip) or ratelimit.exceeded(
        ratelimit.limit("track_fail_number"), number
    )


def _failed(request: HttpRequest, number: str) -> None:
    ratelimit.hit(ratelimit.limit("track_fail_ip"), ratelimit.client_ip(request))
    ratelimit.hit(ratelimit.limit("track_fail_number"), number)


def _track_page(request: HttpRequest, form: TrackForm, status: int = 200, **extra: Any) -> HttpResponse:
    return render(request, "public/track.html", {"nav": "track", "form": form, **extra}, status=status)


NOT_FOUND = "not_found"
BLOCKED = "blocked"


def _verified(request: HttpRequest, number: str, code: str) -> Order | str:
    if _too_many(request, number):
        return BLOCKED
    order = tracking.find(number, code)
    if order is None:
        _failed(request, number)
        return NOT_FOUND
    return order


def _refused(request: HttpRequest, form: TrackForm, outcome: str) -> HttpResponse:
    if outcome == BLOCKED:
        message = _("查询失败次数过多，请1小时后再试，或拨打12345热线查询。")
        return _track_page(request, form, status=429, lookup_error=message)
    message = _("未找到对应的诉求。请核对工单编号和查询码（见提交成功页面）。")
    return _track_page(request, form, lookup_error=message)


def _result_page(request: HttpRequest, order: Order, code: str, **extra: Any) -> HttpResponse:
    view = tracking.public_view(order)
    rating = ratings.current_rating(order)
    rating_form = extra.pop("rating_form", None)
    if rating_form is None and ratings.can_rate(order):
        rating_form = RatingForm(initial={"number": order.number, "code": code})
    context = {"nav": "track", "view": view, "rating": rating, "rating_form": rating_form, "code": code, **extra}
    return render(request, "public/result.html", context)


@require_http_methods(["GET", "POST"])
@friendly
def track(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _track_page(request, TrackForm(initial={"number": request.GET.get("number", "")[:30]}))
    form = TrackForm(request.POST)
    if not form.is_valid():
        return _track_page(request, form)
    number, code = form.cleaned_data["number"], form.cleaned_data["code"]
    outcome = _verified(request, number, code)
    if not isinstance(outcome, Order):
        return _refused(request, form, outcome)
    return _result_page(request, outcome, code)


@require_http_methods(["GET", "POST"])
@friendly
def rate(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseRedirect(reverse("public:track"))
    form = RatingForm(request.POST)
    track_form = TrackForm(request.POST)
    if not track_form.is_valid():
        return _track_page(request, track_form)
    number, code = track_form.cleaned_data["number"], track_form.cleaned_data["code"]
    outcome = _verified(request, number, code)
    if not isinstance(outcome, Order):
        return _refused(request, track_form, outcome)
    if not form.is_valid():
        return _result_page(request, outcome, code, rating_form=form)
    try:
        ratings.rate_outcome(
            outcome, satisfaction=form.cleaned_data["satisfaction"], comment=form.cleaned_data["comment"]
        )
    except ActionError as exc:
        return _result_page(request, outcome, code, rating_notice=exc.message)
    return _result_page(request, outcome, code, rated_now=True)


# ---------------------------------------------------------------- 4. league table (集中晾晒)


@require_GET
@friendly
def league_table(request: HttpRequest) -> HttpResponse:
    month = league.parse_month(request.GET.get("month"))
    notice = ""
    if month is None:
        month = league.this_month()
        notice = _("只能查看最近12个月，已显示本月。")
    data = league.table(month, request.GET.get("sort", "composite"))
    context = {"nav": "league", "months": league.recent_months(), "notice": notice, **data}
    return render(request, "public/league.html", context)
