"""Chinese error pages for the public part: a person never sees a bare 500 or Django's English pages."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.csrf import csrf_failure as django_csrf_failure

log = logging.getLogger("lianxin.public")
PUBLIC_PREFIX = "/public/"

View = Callable[..., HttpResponse]


def error_page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    return render(request, "public/error.html", {"title": title, "message": message, "status": status}, status=status)


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return error_page(request, 404, _("页面不存在"), _("您访问的页面不存在或已移动，请从下方链接继续。"))


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return error_page(
            request, 500, _("系统暂时繁忙"), _("很抱歉，系统暂时无法处理您的请求。请稍后再试，或拨打12345热线。")
        )
    except Exception:  # the page itself failed: plain Chinese text, never a traceback
        log.exception("public error page failed")
        return HttpResponse(
            "系统暂时繁忙，请稍后再试，或拨打12345热线。", status=500, content_type="text/plain; charset=utf-8"
        )


def friendly(view: View) -> View:
    """Log an unexpected failure and show the Chinese error page instead of a stack trace."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Exception:
            log.exception("public page failed: %s", request.path)
            return server_error(request)

    return wrapped


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Settings.CSRF_FAILURE_VIEW: a friendly page under /public/, Django's own page elsewhere."""
    if not request.path.startswith(PUBLIC_PREFIX):
        return django_csrf_failure(request, reason)
    if request.method == "POST" and request.path == reverse("public:submit"):
        from lianxin.public.views import appeal_after_csrf_failure

        return friendly(appeal_after_csrf_failure)(request)
    return error_page(
        request,
        403,
        _("页面已过期"),
        _("为保护您的信息安全，页面停留过久或浏览器禁用了Cookie时无法提交。请返回上一页，刷新后重新提交。"),
    )
