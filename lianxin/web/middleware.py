"""The workbench speaks Chinese unless the person chose English with the switch (a cookie).

Django's LocaleMiddleware would otherwise follow the browser's Accept-Language, so an operator whose
computer is set to English would get English pages without asking for them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ChineseByDefaultMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The JSON API keeps honouring Accept-Language for its clients.
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
