"""Per-client rate limits kept in the database, so every web process and thread sees the same counts.

A client is known by a keyed hash of its IP address (the raw address is personal data and is not stored).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import random
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from lianxin.public.models import RateHit


@dataclass(frozen=True)
class Limit:
    scope: str
    max_hits: int
    window: dt.timedelta


# Zhoushan defaults; a deployment can override any of them in settings.LIANXIN_PUBLIC_LIMITS.
DEFAULT_LIMITS = {
    "submit": (5, 3600),  # new appeals per IP per hour
    "captcha_fail_ip": (20, 3600),  # wrong CAPTCHA answers per IP per hour (guessing 0–18 is otherwise cheap)
    "track_fail_ip": (10, 3600),  # wrong case number / code pairs per IP per hour
    "track_fail_number": (20, 86400),  # wrong codes tried against one case number per day
}


def limit(scope: str) -> Limit:
    overrides = getattr(settings, "LIANXIN_PUBLIC_LIMITS", {})
    max_hits, seconds = overrides.get(scope, DEFAULT_LIMITS[scope])
    return Limit(scope, int(max_hits), dt.timedelta(seconds=int(seconds)))


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the address a trusted reverse proxy put in X-Forwarded-For (when configured)."""
    proxies = int(getattr(settings, "LIANXIN_TRUSTED_PROXY_COUNT", 0))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return str(request.META.get("REMOTE_ADDR", ""))


def hashed(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"public-rate:{value}".encode(), hashlib.sha256).hexdigest()[:40]


def used(rule: Limit, key: str) -> int:
    since = timezone.now() - rule.window
    return RateHit.objects.filter(scope=rule.scope, key=hashed(key), at__gte=since).count()


def exceeded(rule: Limit, key: str) -> bool:
    return used(rule, key) >= rule.max_hits


def hit(rule: Limit, key: str) -> None:
    moment = timezone.now()
    RateHit.objects.create(scope=rule.scope, key=hashed(key), at=moment)
    if random.random() < 0.05:  # now and then, forget hits older than any window
        RateHit.objects.filter(at__lt=moment - dt.timedelta(days=2)).delete()
