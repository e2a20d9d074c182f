"""Phones and ID numbers: validation, normalisation, masking, and a keyed hash for matching."""

from __future__ import annotations

import hashlib
import hmac
import re

import phonenumbers
from django.conf import settings

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")


def id_check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 check digit of a mainland resident ID number (GB 11643)."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def normalise_id_number(value: str) -> str | None:
    """The ID number upper-cased, or None when its form or check digit is wrong."""
    candidate = value.strip().upper()
    if not _ID_RE.match(candidate) or id_check_digit(candidate[:17]) != candidate[17]:
        return None
    return candidate


def normalise_phone(value: str) -> str | None:
    """Digits only (mobile 1xxxxxxxxxx, or a landline with area code 0xxx-xxxxxxx); None when invalid."""
    raw = re.sub(r"[\s\-()（）]", "", value)
    if raw.startswith("+86"):
        raw = raw[3:]
    try:
        parsed = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    digits = re.sub(r"\D", "", national)
    if len(digits) == 11 and digits.startswith("1"):
        return digits
    area, _, local = national.partition(" ")
    return area + "-" + re.sub(r"\D", "", local)


def mask_phone(phone: str) -> str:
    digits = phone.replace("-", "")
    if len(digits) < 7:
        return "*" * len(phone)
    return f"{digits[:3]}****{digits[-4:]}"


def mask_id_number(value: str) -> str:
    return f"{value[:6]}********{value[-4:]}" if len(value) == 18 else "*" * len(value)


def mask_name(name: str) -> str:
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def appellant_key(phones: list[str], id_number: str = "") -> str:
    """A keyed hash that tells 'same appellant' without storing who it is in the index."""
    basis = id_number or (phones[0] if phones else "")
    if not basis:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), basis.encode(), hashlib.sha256).hexdigest()[:32]
