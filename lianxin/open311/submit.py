"""POST requests: check the key, the rate limit and the form, then create an ordinary work order.

The order goes through the same path as every other channel: `draft_from_input` (intake analysis fills
what the client left blank) and `lianxin.orders.actions.create_order`, with channel "open311", the
description as its text and the category named by service_code.

Repeated submissions: the spec has no idempotency key. A second POST by the same key with the same form
(api_key aside) within LIANXIN_OPEN311_DEDUP_SECONDS returns the first request instead of a new one; a
client that wants retries to be safe for longer sends the extension header `Idempotency-Key`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import F
from django.http import QueryDict
from django.utils import timezone

from lianxin.core.errors import ActionError, InvalidInput
from lianxin.core.personal_data import normalise_phone
from lianxin.open311 import conf
from lianxin.open311.catalogue import find_service
from lianxin.open311.coords import gcj02_to_wgs84
from lianxin.open311.models import ApiKey, ApiKeyUsage, CoordinateSystem, Submission
from lianxin.open311.questions import APPEAL_TYPE_CODE, check_answers, questions_for
from lianxin.orders.actions import create_order
from lianxin.orders.actions.base import now
from lianxin.orders.choices import AppealType, Channel
from lianxin.orders.intake_hook import draft_from_input
from lianxin.orders.models import Order

MAX_DESCRIPTION = 4000
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")
_HTML = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
IDEMPOTENCY_HEADER = "Idempotency-Key"


class Open311Error(Exception):
    """An answer in the spec's error shape: HTTP status and one description per problem."""

    def __init__(self, status: int, *messages: str) -> None:
        super().__init__("; ".join(messages))
        self.status = status
        self.messages = list(messages)


class RateLimited(Open311Error):
    def __init__(self, limit: int) -> None:
        super().__init__(429, f"Rate limit of {limit} requests per minute exceeded for this api_key -- retry later.")


def authenticate(raw_key: str | None) -> ApiKey:
    """A missing, unknown or revoked api_key is 403 (spec)."""
    if not raw_key or not raw_key.strip():
        raise Open311Error(403, "api_key is required to create a service request.")
    key = None if _CONTROL.search(raw_key) else ApiKey.objects.filter(key=raw_key.strip()).first()
    if key is None:
        raise Open311Error(403, "Invalid api_key received -- can't proceed with create_request.")
    if not key.is_active:
        raise Open311Error(403, "This api_key has been revoked -- can't proceed with create_request.")
    return key


def consume_rate(key: ApiKey) -> None:
    """Count one request in this minute's row; the counter lives in the database, shared by all processes."""
    moment = timezone.now()
    minute = moment.replace(second=0, microsecond=0)
    with transaction.atomic():
        ApiKeyUsage.objects.get_or_create(api_key=key, minute=minute)
        taken = ApiKeyUsage.objects.filter(api_key=key, minute=minute, count__lt=key.rate_limit_per_minute).update(
            count=F("count") + 1
        )
    ApiKeyUsage.objects.filter(api_key=key, minute__lt=minute - dt.timedelta(hours=1)).delete()
    if not taken:
        raise RateLimited(key.rate_limit_per_minute)


@dataclass
class Form:
    category_code: str
    text: str
    latitude: float | None = None
    longitude: float | None = None
    received_coordinates: dict[str, Any] = field(default_factory=dict)
    address: str = ""
    address_id: str = ""
    email: str = ""
    phone: str = ""
    name: str = ""
    device_id: str = ""
    account_id: str = ""
    media_url: str = ""
    answers: dict[str, Any] = field(default_factory=dict)


def _value(data: QueryDict, name: str) -> str:
    """Empty and absent are the same (spec); control characters never reach an order."""
    return _CONTROL.sub("", data.get(name, "") or "").strip()


def _coordinate(raw: str, name: str, bound: float, problems: list[str]) -> float | None:
    if not _NUMBER.match(raw):
        problems.append(f"{name} must be a decimal number of degrees (WGS-84)")
        return None
    value = float(raw)
    if not math.isfinite(value) or abs(value) > bound:
        problems.append(f"{name} must be between -{bound:g} and {bound:g}")
        return None
    return value


def parse_form(data: QueryDict, key: ApiKey) -> Form:
    """Validate the form; 404 for an unknown service, 400 listing every other problem at once."""
    code = _value(data, "service_code")
    if not code:
        raise Open311Error(400, "service_code is required.")
    category = find_service(code)
    if category is None:
        raise Open311Error(404, f"service_code {code!r} not found.")
    problems: list[str] = []
    raw_description = (data.get("description", "") or "").replace("\r\n", "\n")
    text = _CONTROL.sub("", raw_description).strip()
    if len(text) > MAX_DESCRIPTION:
        problems.append(f"description must be at most {MAX_DESCRIPTION} characters")
    if _HTML.search(text):
        problems.append("description must be plain text: HTML or code is not accepted")
    form = Form(category_code=category.code, text=text or category.name)

    lat_raw, long_raw = _value(data, "lat"), _value(data, "long")
    form.address = _value(data, "address_string")
    form.address_id = _value(data, "address_id")
    if bool(lat_raw) != bool(long_raw):
        problems.append("lat and long must be given together")
    elif lat_raw:
        lat = _coordinate(lat_raw, "lat", 90, problems)
        lon = _coordinate(long_raw, "long", 180, problems)
        if lat is not None and lon is not None:
            form.received_coordinates = {"lat": lat, "long": lon, "datum": key.coordinates}
            if key.coordinates == CoordinateSystem.GCJ02:
                lat, lon = gcj02_to_wgs84(lat, lon)
            form.latitude, form.longitude = round(lat, 7), round(lon, 7)
    if not (lat_raw and long_raw) and not form.address and not form.address_id:
        problems.append("a location is required: lat and long, or address_string, or address_id")
    if len(form.address) > 300:
        problems.append("address_string must be at most 300 characters")
    if len(form.address_id) > 100:
        problems.append("address_id must be at most 100 characters")

    form.email = _value(data, "email")
    if form.email:
        try:
            validate_email(form.email)
        except ValidationError:
            problems.append("email is not a valid e-mail address")
    phone = _value(data, "phone")
    if phone:
        normalised = normalise_phone(phone)
        if normalised is None:
            problems.append("phone is not a valid Chinese mobile or landline number")
        form.phone = normalised or ""
    # Chinese names put the family name first.
    form.name = f"{_value(data, 'last_name')}{_value(data, 'first_name')}"
    if len(form.name) > 50:
        problems.append("first_name and last_name together must be at most 50 characters")
    form.device_id, form.account_id = _value(data, "device_id"), _value(data, "account_id")
    if len(form.device_id) > 100 or len(form.account_id) > 100:
        problems.append("device_id and account_id must be at most 100 characters")
    form.media_url = _value(data, "media_url")
    if form.media_url:
        try:
            URLValidator(schemes=["http", "https"])(form.media_url)
            if len(form.media_url) > 1000:
                raise ValidationError("too long")
        except ValidationError:
            problems.append("media_url must be an http(s) URL of at most 1000 characters")

    raw_answers: dict[str, list[str]] = {}
    for name, values in data.lists():
        match = _ATTRIBUTE.match(name)
        if match:
            raw_answers.setdefault(match.group(1), []).extend(_CONTROL.sub("", v) for v in values)
        elif name.startswith("attribute"):
            problems.append(f"{name} is not of the form attribute[CODE] or attribute[CODE][]")
    form.answers, answer_problems = check_answers(questions_for(category), raw_answers)
    problems.extend(answer_problems)
    if problems:
        raise Open311Error(400, *problems)
    return form


def body_hash(key: ApiKey, data: QueryDict) -> str:
    items = sorted((k, v) for k, values in data.lists() if k != "api_key" for v in values)
    return hashlib.sha256(f"{key.pk}\n{urlencode(items)}".encode()).hexdigest()


def _draft_values(form: Form, key: ApiKey) -> dict[str, Any]:
    category = find_service(form.category_code)
    values: dict[str, Any] = {
        "channel": Channel.OPEN311,
        "text": form.text,
        "category": category,
        "address": form.address,
        "latitude": form.latitude,
        "longitude": form.longitude,
        "appellant_name": form.name,
        "appellant_phones": [form.phone] if form.phone else [],
        "tags": [key.channel],
    }
    if form.answers.get(APPEAL_TYPE_CODE):
        values["appeal_type"] = form.answers[APPEAL_TYPE_CODE]
    return values


def _draft(form: Form, key: ApiKey) -> Any:
    try:
        return draft_from_input(_draft_values(form, key))
    except InvalidInput as exc:
        if exc.field != "appeal_type":
            raise
    # Neither the client nor the analysis named an appeal type: 其他, marked for the operator who accepts it.
    values = _draft_values(form, key)
    values["appeal_type"] = AppealType.OTHER
    values["tags"] = [*values["tags"], "诉求类型待确认"]
    return draft_from_input(values)


def submit(key: ApiKey, data: QueryDict, idempotency: str | None) -> tuple[Order, Submission, bool]:
    """Create the order (or find the one this same submission created); returns (order, submission, created)."""
    form = parse_form(data, key)
    digest = body_hash(key, data)
    idempotency = (idempotency or "").strip()[:60]
    with transaction.atomic():
        ApiKey.objects.select_for_update().filter(pk=key.pk).first()  # one submission per key at a time
        earlier = Submission.objects.filter(api_key=key)
        if idempotency:
            earlier = earlier.filter(idempotency_key=idempotency)
        else:
            since = now() - dt.timedelta(seconds=int(conf.get("DEDUP_SECONDS")))
            earlier = earlier.filter(body_hash=digest, created_at__gte=since, idempotency_key="")
        found = earlier.select_related("order").order_by("-created_at").first()
        if found is not None:
            return found.order, found, False
        try:
            draft = _draft(form, key)
            order, _created = create_order(
                None, draft, idempotency_key=f"open311:{key.pk}:{idempotency}" if idempotency else None
            )
        except ActionError as exc:
            status = 404 if exc.status_code == 404 else 400
            raise Open311Error(status, exc.message) from None
        submission = Submission.objects.create(
            order=order,
            api_key=key,
            body_hash=digest,
            idempotency_key=idempotency,
            created_at=now(),
            attributes=form.answers,
            media_url=form.media_url,
            address_id=form.address_id,
            email=form.email,
            device_id=form.device_id,
            account_id=form.account_id,
            coordinates_received=form.received_coordinates,
        )
    return order, submission, True
