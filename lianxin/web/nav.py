"""Which pages each role may use, and where it lands after login."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lianxin.core.models import Role, User


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    roles: frozenset[str]


ALL = frozenset(Role.values)
NAV: list[NavItem] = [
    NavItem(
        "web:intake",
        _("话务受理"),
        frozenset(
            {Role.CALL_TAKER, Role.DISPATCHER, Role.PETITION_OFFICER, Role.GRID_WORKER, Role.VISITOR, Role.ADMIN}
        ),
    ),
    NavItem("web:dispatch", _("派单"), frozenset({Role.DISPATCHER, Role.PETITION_OFFICER, Role.ADMIN})),
    NavItem("web:inbox", _("承办"), frozenset({Role.HANDLER})),
    NavItem("web:callback", _("回访"), frozenset({Role.CALLBACK_AGENT, Role.DISPATCHER, Role.ADMIN})),
    NavItem("web:dashboard", _("督办"), frozenset({Role.SUPERVISOR, Role.DISPATCHER, Role.ADMIN})),
    NavItem("web:orders", _("工单查询"), ALL),
]
LANDING: dict[str, str] = {
    Role.CALL_TAKER: "web:intake",
    Role.DISPATCHER: "web:dispatch",
    Role.HANDLER: "web:inbox",
    Role.CALLBACK_AGENT: "web:callback",
    Role.SUPERVISOR: "web:dashboard",
    Role.ADMIN: "web:dashboard",
    Role.PETITION_OFFICER: "web:intake",
    Role.GRID_WORKER: "web:intake",
    Role.VISITOR: "web:intake",
}


def role_of(user: User) -> str:
    return Role.ADMIN if user.is_superuser else user.role


def may_use(user: User, url_name: str) -> bool:
    return any(item.url_name == url_name and role_of(user) in item.roles for item in NAV)


def items_for(user: User) -> list[NavItem]:
    return [item for item in NAV if role_of(user) in item.roles]


def landing_url(user: User) -> str:
    return reverse(LANDING.get(role_of(user), "web:orders"))
