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


# Numbers as people write them in an appeal: mobiles, landlines with an area code, ID numbers.
_TEXT_MOBILE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![0-9])")
_TEXT_LANDLINE = re.compile(r"(?<![0-9])0\d{2,3}[- ]?\d{7,8}(?![0-9])")
_TEXT_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
HIDDEN_MARK = "【已隐去】"


def redact_text(text: str, *, hide_identity: bool, names: tuple[str, ...] = ()) -> str:
    """An appeal's free text as a viewer without the right to the raw data may read it.

    Masked (the default for most roles): phone and ID numbers keep only their ends, like the
    structured fields. Hidden (the unit reported on): numbers and the appellant's name are removed
    altogether, since the text itself must not tell that unit who complained.
    """
    if not text:
        return text
    if hide_identity:
        out = _TEXT_ID.sub(HIDDEN_MARK, text)
        out = _TEXT_MOBILE.sub(HIDDEN_MARK, out)
        out = _TEXT_LANDLINE.sub(HIDDEN_MARK, out)
        for name in sorted({n.strip() for n in names if len(n.strip()) >= 2}, key=len, reverse=True):
            out = out.replace(name, HIDDEN_MARK)
        return out
    out = _TEXT_ID.sub(lambda m: mask_id_number(m.group(0)), text)
    out = _TEXT_MOBILE.sub(lambda m: mask_phone(re.sub(r"\D", "", m.group(0))[-11:]), out)
    return _TEXT_LANDLINE.sub(lambda m: mask_phone(re.sub(r"\D", "", m.group(0))), out)
