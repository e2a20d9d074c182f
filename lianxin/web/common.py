"""What every workbench view shares: sign-in and role checks, running an action, safe redirects."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from lianxin.core.models import User
from lianxin.web.nav import may_use

V = TypeVar("V", bound=Callable[..., HttpResponseBase])
PENDING_POST = "web_pending_post"


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def current_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _login_redirect(request: HttpRequest) -> HttpResponse:
    """Send the person to the login page with a message, and bring them back afterwards."""
    had_session = settings.SESSION_COOKIE_NAME in request.COOKIES
    if had_session:
        messages.warning(request, _("登录已过期，请重新登录；登录后将回到原来的页面。"))
    else:
        messages.info(request, _("请先登录。"))
    target = request.get_full_path()
    if is_htmx(request):
        current = request.headers.get("HX-Current-URL", "")
        parts = urlsplit(current)
        target = parts.path + (f"?{parts.query}" if parts.query else "") if current else "/"
    if request.method == "POST" and not is_htmx(request):
        # Keep what was typed: the page offers it again after login.
        data = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        request.session[PENDING_POST] = {"path": target, "data": data}
    url = settings.LOGIN_URL + "?" + urlencode({"next": target})
    if is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def restored_post(request: HttpRequest) -> dict[str, str] | None:
    """What the person had typed when their session expired, if it was on this page."""
    pending = request.session.get(PENDING_POST)
    if not pending or pending.get("path") != request.path:
        return None
    del request.session[PENDING_POST]
    return dict(pending.get("data") or {})


def workbench_view(url_name: str | None = None) -> Callable[[V], V]:
    """Require a signed-in user; with `url_name`, also a role that may use that page (else 404)."""

    def decorate(view: V) -> V:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return _login_redirect(request)
            if url_name is not None and not may_use(current_user(request), url_name):
                raise Http404(_("页面不存在或无权访问"))
            return view(request, *args, **kwargs)

        return cast(V, wrapper)

    return decorate


def safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default
