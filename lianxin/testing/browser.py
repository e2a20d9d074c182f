"""Pytest plugin for browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Fixtures (names are stable; other apps' browser tests use them):
- ``live_server``   pytest-django's live server (tests using it run with ``transactional_db``);
- ``browser_page``  a fresh Playwright page whose ``base_url`` is the live server, so ``page.goto("/login/")`` works;
- ``login_as``      the helper ``login_as(page, username)`` as a fixture (also importable from this module).

Mark browser tests with ``@pytest.mark.browser``. Without /usr/bin/chromium they are skipped with a reason.

A live-server or other transactional test (``django_db(transaction=True)``) runs outside a transaction
and Django flushes every table afterwards; this plugin loads the reference data and demo users again
after such a test so the tests that follow find them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from lianxin.testing.local import CHROMIUM, CHROMIUM_ARGS

if TYPE_CHECKING:
    from playwright.sync_api import ViewportSize

VIEWPORT: ViewportSize = {"width": 1366, "height": 768}
DEMO_PASSWORD = "lianxin2026"
DEFAULT_TIMEOUT_MS = 15_000

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be usable there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def load_reference_data() -> None:
    """The same rows conftest.py loads once per session: reference data, deadline rules, demo users."""
    from lianxin.core import reference_data
    from lianxin.core.demo_users import ensure_demo_users
    from lianxin.orders.deadline_rules import DEFAULT_RULES
    from lianxin.orders.models import DeadlineRuleSet

    reference_data.load()
    DeadlineRuleSet.objects.get_or_create(
        version=1, defaults={"name": "默认", "rules": DEFAULT_RULES, "is_current": True}
    )
    ensure_demo_users()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    yield
    if nextitem is None:  # the session is over and the test database is already gone
        return
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    transactional = marker is not None and bool(marker.kwargs.get("transaction"))
    if "live_server" not in names and "transactional_db" not in names and not transactional:
        return
    from pytest_django.plugin import blocking_manager_key

    blocker = item.config.stash.get(blocking_manager_key, None)
    if blocker is None:
        return
    with blocker.unblock():
        load_reference_data()


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Any]:
    """One headless Chromium for the session (Debian's package; Playwright's download is not used)."""
    if not CHROMIUM.exists():
        pytest.skip("browser tests need Debian's Chromium at /usr/bin/chromium (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is in requirements-dev.txt
        pytest.skip("browser tests need the 'playwright' Python package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_page(chromium_browser: Any, live_server: Any) -> Iterator[Any]:
    """A new page (own cookies) at 1366×768 with base_url set to the live server."""
    context = chromium_browser.new_context(base_url=live_server.url, viewport=VIEWPORT, locale="zh-CN")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def login_as(page: Any, username: str, password: str = DEMO_PASSWORD, next_url: str = "") -> None:
    """Log in through the login page as a demo user and wait until the landing page has loaded."""
    page.goto("/login/" + (f"?next={next_url}" if next_url else ""))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("[data-testid=login-submit]")


@pytest.fixture(name="login_as")
def login_as_fixture() -> Any:
    return login_as
