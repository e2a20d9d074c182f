"""Open311 settings, read at call time so that a deployment (or a test) can change them.

Each is a Django setting named LIANXIN_OPEN311_<NAME>; the defaults are Zhoushan's.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # The jurisdiction this server answers for; a different jurisdiction_id is 404, a missing one is fine.
    "JURISDICTION": "zhoushan.gov.cn",
    # "realtime": POST answers service_request_id; "batch": POST answers a token (GET tokens/{token} resolves it).
    "SERVICE_TYPE": "realtime",
    "CONTACT": "舟山市12345政务服务便民热线，电话 12345（Open311 接口问题请联系 open311@zhoushan.gov.cn）",
    "KEY_SERVICE": "向舟山市12345热线中心申请 Open311 API 密钥：open311@zhoushan.gov.cn",
    "ENDPOINT_TYPE": "production",
    # The changeset of discovery when no service question has changed since.
    "CHANGESET": "2025-01-01T00:00:00+08:00",
    "ADDRESS_PREFIX": ("浙江省", "舟山市"),
    # Orders from these channels are visible over GET requests; confidential orders and petitions never are.
    "PUBLIC_CHANNELS": ("open311",),
    # A second identical POST from the same key within this many seconds returns the first request.
    "DEDUP_SECONDS": 600,
    "MAX_REQUESTS": 1000,
    "WINDOW_DAYS": 90,
    "MAX_PAGE_SIZE": 1000,
}


def get(name: str) -> Any:
    return getattr(settings, f"LIANXIN_OPEN311_{name}", DEFAULTS[name])
