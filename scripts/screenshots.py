"""Save a 1366×768 PNG of each workbench page into screenshots/ (git-ignored).

Usage:  .venv/bin/python scripts/screenshots.py [--port N] [--out screenshots]

Starts `manage.py runserver` on the demo data of the current LIANXIN_VAR_DIR (run `make setup` first),
logs in as each role with Debian's Chromium through Playwright, and saves one PNG per page.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from lianxin.testing.local import CHROMIUM, CHROMIUM_ARGS, free_port, wait_for

ROOT = Path(__file__).resolve().parent.parent
TRANSCRIPT = (
    "您好，我姓陈，电话13857001234。普陀区沈家门街道东海中路的路灯已经坏了一个多星期，"
    "晚上一片漆黑，老人孩子出行很不安全，希望尽快派人维修。"
)


def first_order_path(role_filter: str) -> str:
    """An order detail path for the screenshots, looked up in the demo database."""
    code = (
        "import django,os;os.environ.setdefault('DJANGO_SETTINGS_MODULE','lianxin.settings');django.setup();"
        "from lianxin.orders.models import Order;"
        f"o=Order.objects.filter({role_filter}).order_by('-id').first();print(o.pk if o else '')"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    pk = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""
    return f"/orders/{pk}/" if pk else "/orders/"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--out", default=str(ROOT / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DJANGO_ALLOW_ASYNC_UNSAFE": "true"}
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", "--insecure", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(base + "/login/")
        from playwright.sync_api import sync_playwright

        handling = first_order_path("status='handling', lead_unit__code='dept-zjj'")
        detail = first_order_path("status='handling'")
        shots: list[tuple[str, str | None, str]] = [
            ("01-login", None, "/login/"),
            ("02-intake", "calltaker", "/intake/"),
            ("03-intake-suggestions", "calltaker", "/intake/#typed"),
            ("04-dispatch", "dispatcher", "/dispatch/"),
            ("05-inbox", "zjj", "/inbox/"),
            ("06-order-detail-handler", "zjj", handling),
            ("07-order-detail-dispatcher", "dispatcher", detail),
            ("08-callback", "callback", "/callback/"),
            ("09-dashboard", "supervisor", "/dashboard/"),
            ("10-orders", "calltaker", "/orders/"),
            ("11-not-found", "zjj", "/orders/999999999/"),
            ("12-dashboard-en", "supervisor", "/dashboard/#en"),
        ]
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            for name, user, path in shots:
                context = browser.new_context(base_url=base, viewport={"width": 1366, "height": 768})
                page = context.new_page()
                if user:
                    page.goto("/login/")
                    page.fill("input[name=username]", user)
                    page.fill("input[name=password]", "lianxin2026")
                    with page.expect_navigation():
                        page.click("[data-testid=login-submit]")
                if path.endswith("#en"):
                    page.goto(path[:-3])
                    with page.expect_navigation():
                        page.click("[data-testid=lang-en]")
                else:
                    page.goto(path.split("#")[0])
                if path.endswith("#typed"):
                    page.fill("[data-testid=intake-text]", TRANSCRIPT)
                    page.dispatch_event("[data-testid=intake-text]", "keyup")
                    page.wait_for_selector("[data-testid=suggestions]", timeout=15000)
                page.wait_for_timeout(600)
                target = out / f"{name}.png"
                page.screenshot(path=str(target))
                print(target)
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
