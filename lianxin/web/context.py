"""Template context for every page: the left navigation of the signed-in user."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from lianxin.core.models import User
from lianxin.web.nav import items_for


def workbench(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {"nav_items": []}
    match = getattr(request, "resolver_match", None)
    current = f"{match.namespace}:{match.url_name}" if match and match.namespace else ""
    items = [
        {"url": reverse(item.url_name), "label": item.label, "active": item.url_name == current, "name": item.url_name}
        for item in items_for(user)
    ]
    return {"nav_items": items}
