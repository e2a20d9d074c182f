"""Sign-in and sign-out; each role lands on its own page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect

from lianxin.core.models import User
from lianxin.web.nav import landing_url


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        user = self.request.user
        return landing_url(user) if isinstance(user, User) else "/"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["demo_users"] = ["calltaker", "dispatcher", "zjj", "shenjiamen", "callback", "supervisor"]
        return context


class LogoutView(auth_views.LogoutView):
    next_page = "/login/"


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if isinstance(user, User) and user.is_authenticated:
        return HttpResponseRedirect(landing_url(user))
    return redirect("web:login")
