"""Shared fixtures: the Zhoushan reference data and one user per role, loaded once per test database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from rest_framework.test import APIClient

pytest_plugins = ["lianxin.testing.browser"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    from lianxin.core import reference_data
    from lianxin.core.demo_users import ensure_demo_users
    from lianxin.orders.deadline_rules import DEFAULT_RULES
    from lianxin.orders.models import DeadlineRuleSet

    with django_db_blocker.unblock():
        reference_data.load()
        DeadlineRuleSet.objects.get_or_create(
            version=1, defaults={"name": "默认", "rules": DEFAULT_RULES, "is_current": True}
        )
        ensure_demo_users()
    yield


@pytest.fixture
def users(db: Any) -> dict[str, Any]:
    from lianxin.core.models import User

    return {u.username: u for u in User.objects.select_related("organisation")}


@pytest.fixture
def api(users: dict[str, Any]) -> Any:
    """api('dispatcher') gives an APIClient logged in as that demo user."""

    def client_for(username: str | None = None) -> APIClient:
        client = APIClient()
        if username:
            client.force_authenticate(users[username])
        return client

    return client_for


@pytest.fixture(autouse=True)
def _fresh_shared_state() -> Iterator[None]:
    """Per-process caches of the calendar and rules must not carry one test's rolled-back rows into the next."""
    from lianxin.orders.actions.base import forget_shared_state

    forget_shared_state()
    yield
    forget_shared_state()
