"""Save PNGs of the public citizen pages at phone (390×844) and desktop (1366×768) size into screenshots/.

Usage:  .venv/bin/python scripts/screenshots_public.py [--port N] [--out screenshots]

Works on a throw-away copy of the demo database (var/lianxin.sqlite3, made by `make setup`; built afresh
when missing), so the appeal it submits and the rating it gives never touch the demo data. Starts
`manage.py runserver` on that copy and drives Debian's Chromium through Playwright.
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from lianxin.testing.local import CHROMIUM, CHROMIUM_ARGS, free_port, wait_for

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"390": {"width": 390, "height": 844}, "1366": {"width": 1366, "height": 768}}
APPEAL = "普陀区沈家门街道东海中路的路灯已经坏了一个多星期，晚上一片漆黑，老人孩子出行很不安全，希望尽快派人维修。"


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout


def prepare_database(env: dict[str, str], var_dir: Path) -> None:
    source = ROOT / "var" / "lianxin.sqlite3"
    if source.exists():
        with sqlite3.connect(source) as src, sqlite3.connect(var_dir / "lianxin.sqlite3") as dst:
            src.backup(dst)  # consistent even while a demo server writes to the original
    manage(env, "migrate", "--noinput", "-v0")
    count = "from lianxin.orders.models import Order; print(Order.objects.count())"
    if manage(env, "shell", "-c", count).strip().splitlines()[-1] == "0":
        manage(env, "load_demo")


def demo_cases(env: dict[str, str], status: str) -> list[tuple[str, str]]:
    """Number and verification code of the two newest demo orders in a status (one per screen size)."""
    code = (
        "from lianxin.orders.models import Order;"
        f"qs=Order.objects.filter(status='{status}', parent__isnull=True, lead_unit__isnull=False)"
        ".exclude(reply_text='').order_by('-received_at')[:2];"
        "print('|'.join(f'{o.number} {o.verify_code}' for o in qs))"
    )
    line = manage(env, "shell", "-c", code).strip().splitlines()[-1]
    cases = [tuple(item.split()) for item in line.split("|") if item.strip()]
    return [(c[0], c[1]) for c in cases if len(c) == 2]


def solve(page: Any) -> str:
    a, op, b = re.match(r"(\d+)\s*([+−-])\s*(\d+)", page.inner_text(".captcha .q")).groups()  # type: ignore[union-attr]
    return str(int(a) + int(b) if op == "+" else int(a) - int(b))


def fill_appeal(page: Any) -> None:
    page.goto("/public/submit/")
    page.fill("#id_text", APPEAL)
    page.click("label:has-text('求助')")
    page.select_option("#id_district", "330903")
    page.select_option("#id_town", "330903001")
    page.fill("#id_address", "东海中路与海印路交叉口")
    page.fill("#id_name", "陈女士")


def track(page: Any, number: str, verify: str) -> None:
    page.goto("/public/track/")
    page.fill("#id_number", number)
    page.fill("#id_code", verify)
    page.click("main form button")
    page.wait_for_load_state()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--out", default=str(ROOT / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="lianxin-public-shots-") as tmp:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update({"LIANXIN_VAR_DIR": tmp, "DJANGO_ALLOW_ASYNC_UNSAFE": "true"})
        prepare_database(env, Path(tmp))
        replied = demo_cases(env, "replied")
        closed = demo_cases(env, "closed")
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", "--insecure", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(base + "/public/")
            shoot(base, out, replied, closed)
        finally:
            server.terminate()
            server.wait(timeout=10)


def shoot(base: str, out: Path, replied: list[tuple[str, str]], closed: list[tuple[str, str]]) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        for index, (size, viewport) in enumerate(SIZES.items()):
            phone = size == "390"
            context = browser.new_context(
                base_url=base, viewport=viewport, locale="zh-CN", is_mobile=phone, has_touch=phone
            )
            page = context.new_page()

            def save(name: str, full: bool = True, page: Any = page, size: str = size) -> None:
                page.wait_for_timeout(200)
                target = out / f"public-{name}-{size}.png"
                page.screenshot(path=str(target), full_page=full)
                print(target)

            page.goto("/public/")
            save("01-home")
            page.goto("/public/submit/")
            save("02-submit")
            fill_appeal(page)
            page.fill("#id_phone", "1385700")
            page.fill("#id_captcha", str(int(solve(page)) + 1))
            page.click("#submit-appeal")
            page.wait_for_selector(".alert.bad")
            save("03-submit-errors")
            page.fill("#id_phone", "13857001234")
            page.fill("#id_captcha", solve(page))
            page.click("#submit-appeal")
            page.wait_for_selector("#case-number")
            save("04-submitted")
            page.click("text=现在查看进度")
            page.wait_for_selector("#status")
            save("05-track-new")
            page.goto("/public/track/")
            save("06-track")
            track(page, "ZS2026010100000001", "123456")
            save("07-track-not-found")
            if len(replied) > index:
                track(page, *replied[index])
                save("08-track-replied-rate")
                page.click("#rating-form label:has-text('基本满意')")
                page.fill("#id_comment", "路灯已修好，希望以后巡查更及时。")
                page.click("#rating-form button")
                page.wait_for_selector("#rating-thanks")
                save("09-rated")
            if closed:
                track(page, *closed[0])
                save("10-track-closed")
            page.goto("/public/league/")
            save("11-league-top", full=False)
            save("11-league")
            page.goto("/public/no-such-page/")
            save("12-not-found")
            page.goto("/public/submit/")
            with page.expect_navigation():
                page.click("button[value=en]")
            save("13-submit-en")
            page.goto("/public/league/")
            save("14-league-en")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
