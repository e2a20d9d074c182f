"""The GeoReport v2 methods. Plain Django views: no session, no CSRF, every answer in the spec's shape."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import uuid
from collections.abc import Callable
from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.views.decorators.csrf import csrf_exempt

from lianxin.core.serializer_fields import EARLIEST_DATE, LATEST_DATE
from lianxin.open311 import catalogue, conf, formats
from lianxin.open311.mapping import PUBLIC_NOTES, as_request, public_orders
from lianxin.open311.models import Submission
from lianxin.open311.questions import parse_w3c
from lianxin.open311.submit import IDEMPOTENCY_HEADER, Open311Error, RateLimited, authenticate, consume_rate, submit
from lianxin.orders.actions.base import now
from lianxin.orders.choices import FINISHED_STATUSES
from lianxin.orders.models import Order, OrderEvent

logger = logging.getLogger(__name__)
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
View = Callable[..., HttpResponse]


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes")


def _all_values(params: Any) -> list[str]:
    return [v for _name, values in params.lists() for v in values]


def open311(*methods: str) -> Callable[[View], View]:
    """Format check, method check, jurisdiction check, and the spec's error shape for every failure."""

    def wrap(view: View) -> View:
        @csrf_exempt
        @functools.wraps(view)
        def run(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
            if fmt not in formats.FORMATS:
                return formats.errors("xml", 404, f"Format {fmt!r} is not offered: use .xml or .json.")
            allowed = (*methods, "HEAD") if "GET" in methods else methods
            if request.method not in allowed:
                response = formats.errors(fmt, 405, f"Method {request.method} is not allowed here.")
                response["Allow"] = ", ".join(allowed)
                return response
            try:
                params = request.POST if request.method == "POST" else request.GET
                if any("\x00" in v for v in (*kwargs.values(), *request.GET.keys(), *_all_values(request.GET))):
                    raise Open311Error(400, "Parameters must not contain NUL (\\u0000) characters.")
                jurisdiction = (params.get("jurisdiction_id") or "").strip()
                if jurisdiction and jurisdiction != conf.get("JURISDICTION"):
                    raise Open311Error(404, f"jurisdiction_id {jurisdiction!r} not found.")
                return view(request, fmt, **kwargs)
            except RateLimited as exc:
                response = formats.errors(fmt, exc.status, *exc.messages)
                response["Retry-After"] = "60"
                return response
            except Open311Error as exc:
                return formats.errors(fmt, exc.status, *exc.messages)
            except RequestDataTooBig:
                return formats.errors(fmt, 413, "The request body is too large.")
            except (MultiPartParserError, TooManyFieldsSent, TooManyFilesSent) as exc:
                return formats.errors(fmt, 400, f"The form could not be read: {exc}")
            except Exception:  # the spec's "general service error": never a 500 page
                logger.exception("Open311 %s %s failed", request.method, request.path)
                return formats.errors(fmt, 400, "General service error: the request could not be processed.")

        return run

    return wrap


@open311("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    changeset = catalogue.changeset()
    body = {
        "changeset": changeset,
        "contact": conf.get("CONTACT"),
        "key_service": conf.get("KEY_SERVICE"),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": request.build_absolute_uri("/open311/v2"),
                "changeset": changeset,
                "type": conf.get("ENDPOINT_TYPE"),
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return formats.render(fmt, "discovery", body)


@open311("GET")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    return formats.render(fmt, "services", catalogue.service_list())


@open311("GET")
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    category = catalogue.find_service(code)
    if category is None:
        raise Open311Error(404, f"service_code {code!r} not found.")
    return formats.render(fmt, "service_definition", catalogue.definition(category))


@open311("GET", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    return _query(request, fmt)


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    key = authenticate(request.POST.get("api_key"))
    consume_rate(key)
    order, submission, _created = submit(key, request.POST, request.headers.get(IDEMPOTENCY_HEADER))
    item: dict[str, Any] = {}
    if conf.get("SERVICE_TYPE") == "batch":
        item["token"] = str(submission.token)
    else:
        item["service_request_id"] = order.number
    item["service_notice"] = _notice(order)
    item["account_id"] = submission.account_id or None
    return formats.render(fmt, "service_requests", [item])


def _notice(order: Order) -> str:
    due = order.reply_due
    text = f"已受理，工单编号 {order.number}"
    if due is not None:
        from lianxin.open311.mapping import w3c

        text += f"，预计答复时间 {w3c(due)}"
    return text


def _csv(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _date(params: Any, name: str) -> dt.datetime | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    moment = parse_w3c(raw)
    if moment is None:
        raise Open311Error(400, f"{name} must be a W3C date-time with a timezone, e.g. 2025-01-01T00:00:00Z.")
    if not EARLIEST_DATE <= moment.date() <= LATEST_DATE:
        raise Open311Error(400, f"{name} must be between {EARLIEST_DATE} and {LATEST_DATE}.")
    return moment


def _filtered(params: Any) -> QuerySet[Order]:
    qs = public_orders()
    ids = _csv(params.get("service_request_id"))
    if ids:  # overrides every other argument (spec)
        return qs.filter(number__in=ids)
    codes = _csv(params.get("service_code"))
    if codes:
        qs = qs.filter(category__code__in=codes)
    window = dt.timedelta(days=int(conf.get("WINDOW_DAYS")))
    start, end = _date(params, "start_date"), _date(params, "end_date")
    if start is None and end is None:
        end = now()
        start = end - window
    elif start is None:
        assert end is not None
        start = end - window
    elif end is None:
        end = start + window
    if end < start:
        raise Open311Error(400, "end_date must not be before start_date.")
    if end - start > window:
        raise Open311Error(400, f"start_date and end_date may not span more than {window.days} days.")
    qs = qs.filter(received_at__gte=start, received_at__lte=end)
    statuses = {s.lower() for s in _csv(params.get("status"))}
    if statuses - {"open", "closed"}:
        raise Open311Error(400, "status must be open, closed, or both (comma-separated).")
    if statuses == {"open"}:
        qs = qs.exclude(status__in=list(FINISHED_STATUSES))
    elif statuses == {"closed"}:
        qs = qs.filter(status__in=list(FINISHED_STATUSES))
    return qs


def _page_number(params: Any, name: str, default: int, upper: int) -> int:
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= upper:
        raise Open311Error(400, f"{name} must be a whole number from 1 to {upper}.")
    return int(raw)


def _with_notes(qs: QuerySet[Order]) -> QuerySet[Order]:
    events = OrderEvent.objects.filter(kind__in=list(PUBLIC_NOTES)).select_related("actor_unit").order_by("seq")
    return qs.prefetch_related(Prefetch("events", queryset=events))


def _query(request: HttpRequest, fmt: str) -> HttpResponse:
    params = request.GET
    extensions = _truthy(params.get("extensions"))
    qs = _filtered(params).order_by("-received_at", "-id")
    limit = int(conf.get("MAX_REQUESTS"))
    headers: dict[str, str] = {}
    if extensions:
        qs = _with_notes(qs)
        page_size = _page_number(params, "page_size", limit, int(conf.get("MAX_PAGE_SIZE")))
        page = _page_number(params, "page", 1, 10**6)
        total = qs.count()
        rows = list(qs[(page - 1) * page_size : page * page_size])
        headers = {"X-Total-Count": str(total), "X-Page": str(page), "X-Page-Size": str(page_size)}
        if page * page_size < total:
            query = params.copy()
            query["page"] = str(page + 1)
            headers["Link"] = f'<{request.build_absolute_uri(request.path)}?{query.urlencode()}>; rel="next"'
    else:
        rows = list(qs[:limit])
    response = formats.render(fmt, "service_requests", [as_request(o, extensions) for o in rows])
    for name, value in headers.items():
        response[name] = value
    return response


@open311("GET")
def request_detail(request: HttpRequest, fmt: str, request_id: str) -> HttpResponse:
    extensions = _truthy(request.GET.get("extensions"))
    qs = public_orders().filter(number=request_id)
    order = (_with_notes(qs) if extensions else qs).first()
    if order is None:
        raise Open311Error(404, f"service_request_id {request_id!r} not found.")
    return formats.render(fmt, "service_requests", [as_request(order, extensions)])


@open311("GET")
def token(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    try:
        value = uuid.UUID(token)
    except ValueError:
        raise Open311Error(404, f"token {token!r} not found.") from None
    submission = Submission.objects.filter(token=value).select_related("order").first()
    if submission is None or not public_orders().filter(pk=submission.order_id).exists():
        raise Open311Error(404, f"token {token!r} not found.")
    body = [{"service_request_id": submission.order.number, "token": str(submission.token)}]
    return formats.render(fmt, "service_requests", body)


@csrf_exempt
def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    fmt = "json" if path.endswith(".json") else "xml"
    base = path.removesuffix(f".{fmt}")
    return formats.errors(fmt, 404, f"No Open311 resource at /open311/v2/{base} (see /open311/v2/discovery.xml).")
