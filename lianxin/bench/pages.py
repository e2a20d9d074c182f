"""Operator pages benchmark: server time of the workbench pages over HTTP, and what a browser sees.

    python -m lianxin.bench.pages --database-url postgres://postgres@127.0.0.1:5432/lianxin_bench \
        [--repeats 20] [--browser-repeats 10] [--orders 1000000] [--workers 3] [--no-browser] [--no-explain]

Steps: prepare the database (migrate, reference data, demo users; idempotent), train the intake models
into a var dir of the benchmark's own when missing (no similar-order indexing: that takes hours at 1M
orders), collect static files there; bulk-load --orders synthetic orders only when the database holds
fewer (lianxin.bench.bulk: REPLACES every order); serve the app with gunicorn; then
  1. HTTP (keep-alive http.client, session cookie from the login form): time to first byte and to the
     last byte of the inbox (zjj), the dashboard and its map data (supervisor, default period), the
     intake page and the suggestions endpoint (calltaker, a realistic transcript), interleaved,
     --repeats samples each;
  2. headless Chromium (Playwright, Debian's /usr/bin/chromium): on the intake page, type a transcript
     and time from the last keystroke to the phone and town suggestions showing (the htmx debounce,
     read from the page, included; also reported without it), and the first render (navigation start
     to the load event) of the inbox, the dashboard and the intake page, with a warm HTTP cache and
     cold (a fresh browser context: nothing cached, its renderer started before the navigation); for the
     dashboard also navigation start to both charts drawn (its "lianxin:charts-drawn" performance mark:
     the charts are drawn after the load event);
  3. in-process (Django test client): server time, queries and SQL time per page, and EXPLAIN (ANALYZE,
     BUFFERS) of the slowest query.
Results go to bench-results/pages-<time>.json and a table is printed. See docs/benchmarks-pages.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lianxin_bench"
REPO = Path(__file__).resolve().parents[2]
CHARTS_MARK = "lianxin:charts-drawn"  # set by app.js once the dashboard's charts are drawn
TARGETS = {"suggestions_visible_after_typing_ms": 300.0, "first_render_ms": 500.0}
# A hotline transcript as a call-taker types it: a name, a mobile number, a town and the problem.
TRANSCRIPT = (
    "您好，我姓陈，电话13857001234。普陀区沈家门街道东海中路的路灯已经坏了一个多星期，"
    "晚上一片漆黑，老人孩子出行很不安全，希望尽快派人维修。"
)
# (name, user, method, path): the HTTP requests timed, round after round.
REQUESTS = [
    ("inbox", "zjj", "GET", "/inbox/"),
    ("dashboard", "supervisor", "GET", "/dashboard/"),
    ("dashboard_map", "supervisor", "GET", "/dashboard/map/"),  # fetched by the dashboard after its load event
    ("intake", "calltaker", "GET", "/intake/"),
    ("suggestions", "calltaker", "POST", "/intake/analyze/"),
]
BROWSER_PAGES = [
    ("inbox", "zjj", "/inbox/"),
    ("dashboard", "supervisor", "/dashboard/"),
    ("intake", "calltaker", "/intake/"),
]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m lianxin.bench.pages", description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("LIANXIN_BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--repeats", type=int, default=20, help="HTTP samples per request (default 20)")
    parser.add_argument("--browser-repeats", type=int, default=10, help="browser samples per measure (default 10)")
    parser.add_argument(
        "--orders", type=int, default=1_000_000, help="bulk-load this many orders if fewer exist (0: never)"
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (default 3)")
    parser.add_argument("--var-dir", default=str(REPO / "var" / "bench-pages"), help="models, static files, logs")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium measurements")
    parser.add_argument("--no-explain", action="store_true", help="skip the in-process query profile")
    parser.add_argument("--out", default="bench-results", help="directory for the JSON results")
    return parser.parse_args(argv)


def setup_django(database_url: str, var_dir: str) -> None:
    if not database_url.startswith("postgres"):
        raise SystemExit("This benchmark needs PostgreSQL.")
    Path(var_dir).mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = database_url
    os.environ["LIANXIN_VAR_DIR"] = var_dir
    os.environ.pop("LIANXIN_MODELS_DIR", None)
    os.environ.pop("LIANXIN_LLM_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    import django

    django.setup()


def prepare(orders: int) -> dict[str, Any]:
    """Migrate + reference data + demo users, intake models (training only), static files, the orders."""
    from django.conf import settings
    from django.core.management import call_command

    from lianxin.bench import bulk
    from lianxin.bench import prepare as bench_prepare
    from lianxin.intake.analysis import MODELS
    from lianxin.intake.setup import models_missing
    from lianxin.intake.training import CORPUS, read_jsonl, train_all
    from lianxin.orders.models import Order

    done: dict[str, Any] = {"database": bench_prepare.prepare_database()}
    models_dir = Path(settings.MODELS_DIR)
    if models_missing(models_dir):
        print(f"Training intake models into {models_dir} …", flush=True)
        done["trained_models"] = train_all(read_jsonl(CORPUS), models_dir)
        MODELS.reset()
    call_command("collectstatic", interactive=False, verbosity=0)
    count = Order.objects.count()
    if orders and count < orders:
        print(f"{count:,} orders < {orders:,}: bulk-loading {orders:,} (replaces them) …", flush=True)
        done["bulk_load"] = _bulk_load(bulk, orders)
        count = Order.objects.count()
    done["orders"] = count
    return done


def _bulk_load(bulk: Any, orders: int) -> dict[str, Any]:
    result: dict[str, Any] = bulk.load_orders(orders)
    return result


# --- server ------------------------------------------------------------------------------------------------


@contextmanager
def running_server(database_url: str, var_dir: str, workers: int, log_path: Path) -> Iterator[tuple[str, int]]:
    """gunicorn with the benchmark's var dir (models, collected static files); stops only its own process."""
    from lianxin.testing.local import free_port

    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "lianxin.settings",
        "LIANXIN_DEBUG": "0",
        "LIANXIN_VAR_DIR": var_dir,
        "LIANXIN_LOG_LEVEL": "ERROR",
    }
    command = [
        sys.executable, "-m", "gunicorn", "lianxin.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--keep-alive", "30", "--timeout", "120", "--log-level", "warning",
    ]  # fmt: skip
    with log_path.open("ab") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log_path}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/login/")
                conn.getresponse().read()
                conn.close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not answer within 90 s") from None
                time.sleep(0.3)
        yield base_url, process.pid
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# --- HTTP --------------------------------------------------------------------------------------------------


class Session:
    """One keep-alive connection with the cookies of a logged-in user (login form with its CSRF token)."""

    def __init__(self, base_url: str) -> None:
        parts = urllib.parse.urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, bytes, float, float]:
        """(status, body, time to first byte ms, total ms); the headers arrive with the first byte."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Accept-Encoding": "identity"}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                first = time.perf_counter()
                raw = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()  # an idle keep-alive connection closed by the server: once, not counted
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
                if attempt == 2:
                    raise
                continue
            done = time.perf_counter()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
            if response.will_close:
                self.conn.close()
            return response.status, raw, (first - started) * 1000, (done - started) * 1000
        raise AssertionError("unreachable")

    def login(self, username: str, password: str) -> None:
        _, page, _, _ = self.request("GET", "/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not match:
            raise RuntimeError("no CSRF token on the login page")
        form = {"csrfmiddlewaretoken": match.group(1).decode(), "username": username, "password": password}
        status, _, _, _ = self.request("POST", "/login/", form)
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login as {username} failed: {status}")


def http_latency(base_url: str, repeats: int, warmup: int = 3) -> dict[str, Any]:
    from lianxin.bench.stats import summary
    from lianxin.core.demo_users import DEMO_PASSWORD

    sessions: dict[str, Session] = {}
    for _name, user, _method, _path in REQUESTS:
        if user not in sessions:
            sessions[user] = Session(base_url)
            sessions[user].login(user, DEMO_PASSWORD)
    samples: dict[str, dict[str, list[float]]] = {name: {"ttfb": [], "total": []} for name, *_ in REQUESTS}
    sizes: dict[str, int] = {}
    for round_no in range(warmup + repeats):  # warm-up rounds: every worker loads the intake models once
        for name, user, method, path in REQUESTS:
            form = {"text": TRANSCRIPT} if method == "POST" else None
            status, body, ttfb, total = sessions[user].request(method, path, form)
            if status != 200:
                raise RuntimeError(f"{name}: {method} {path} answered {status}: {body[:300]!r}")
            if name == "suggestions" and b"suggestion-phones" not in body:
                raise RuntimeError("suggestions: no phone suggestion in the panel")
            sizes[name] = len(body)
            if round_no >= warmup:
                samples[name]["ttfb"].append(ttfb)
                samples[name]["total"].append(total)
    return {
        name: {
            "user": user,
            "request": f"{method} {path}",
            "bytes": sizes[name],
            "ttfb": summary(samples[name]["ttfb"]),
            "total": summary(samples[name]["total"]),
        }
        for name, user, method, path in REQUESTS
    }


# --- browser -----------------------------------------------------------------------------------------------

# Installed before any page script: the time of the last keyup in the textarea, and the moment the phone
# and town suggestions are in the panel (mutation) and painted (the frame after it).
WATCH_JS = """
window.__bench = {lastKey: 0, inserted: 0, painted: 0};
document.addEventListener('keyup', (e) => {
  if (e.target && e.target.id === 'id_text') { window.__bench.lastKey = performance.now(); }
}, true);
document.addEventListener('DOMContentLoaded', () => {
  const panel = document.getElementById('suggestions');
  if (!panel) return;
  new MutationObserver(() => {
    const b = window.__bench;
    if (b.inserted || !b.lastKey) return;
    if (panel.querySelector('[data-testid=suggestion-phones]') && panel.querySelector('[data-testid=suggestion-town]')) {
      b.inserted = performance.now();
      requestAnimationFrame(() => setTimeout(() => { b.painted = performance.now(); }, 0));
    }
  }).observe(panel, {childList: true, subtree: true});
});
"""

NAVIGATION_JS = """() => {
  const n = performance.getEntriesByType('navigation')[0];
  return {ttfb: n.responseStart, response_end: n.responseEnd, dom_content_loaded: n.domContentLoadedEventEnd,
          load: n.loadEventEnd, transfer_bytes: n.transferSize};
}"""
CHARTS_JS = f"""() => {{
  const m = performance.getEntriesByName('{CHARTS_MARK}');
  return m.length ? m[0].startTime : null;
}}"""
HAS_CHARTS_JS = "() => document.getElementById('chart-loader') !== null"


def _debounce_ms(page: Any) -> int:
    """The keyup delay of the suggestions panel, as the intake page declares it (hx-trigger)."""
    trigger = page.get_attribute("#id_text", "hx-trigger") or ""
    match = re.search(r"keyup[^,]*delay:(\d+)ms", trigger)
    if not match:
        raise RuntimeError(f"no keyup delay in the intake textarea's hx-trigger: {trigger!r}")
    return int(match.group(1))


def _visit(page: Any, path: str) -> dict[str, Any]:
    """Navigation timing of one visit; for a page with charts, also navigation start to charts drawn."""
    page.goto(path, wait_until="load")
    nav: dict[str, Any] = page.evaluate(NAVIGATION_JS)
    if page.evaluate(HAS_CHARTS_JS):
        page.wait_for_function(f"performance.getEntriesByName('{CHARTS_MARK}').length > 0", timeout=30_000)
        nav["charts_drawn"] = page.evaluate(CHARTS_JS)
    return nav


def _type_transcript(page: Any, text: str, chunk: int = 4, pause_s: float = 0.08) -> None:
    """Type as a call-taker with an IME does: a few characters committed at a time, a keyup after each."""
    page.focus("#id_text")
    for start in range(0, len(text), chunk):
        page.keyboard.insert_text(text[start : start + chunk])
        page.dispatch_event("#id_text", "keyup")
        time.sleep(pause_s)  # under the debounce (150 ms): only the last keyup fires a request


def browser_latency(base_url: str, repeats: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    from lianxin.bench.stats import summary
    from lianxin.testing.browser import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, login_as

    if not CHROMIUM.exists():
        return {"skipped": f"{CHROMIUM} not found"}
    result: dict[str, Any] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            pages = {}
            for user in ("calltaker", "zjj", "supervisor"):
                context = browser.new_context(base_url=base_url, viewport=VIEWPORT, locale="zh-CN")
                context.set_default_timeout(60_000)
                page = context.new_page()
                login_as(page, user)
                pages[user] = page

            # 1. Suggestions after typing stops.
            page = pages["calltaker"]
            page.add_init_script(WATCH_JS)
            rows: dict[str, list[float]] = {k: [] for k in ("visible", "painted", "request_start", "response_end")}
            debounce = 0
            for attempt in range(2 + repeats):  # 2 warm-up
                page.goto("/intake/", wait_until="load")
                page.wait_for_function("window.htmx !== undefined")
                debounce = _debounce_ms(page)
                _type_transcript(page, TRANSCRIPT)
                page.wait_for_function("window.__bench.painted > 0", timeout=30_000)
                timing = page.evaluate(
                    """() => {
                      const b = window.__bench;
                      const r = performance.getEntriesByType('resource').filter(e => e.name.includes('/intake/analyze/'));
                      const last = r[r.length - 1];
                      return {lastKey: b.lastKey, inserted: b.inserted, painted: b.painted, requests: r.length,
                              requestStart: last ? last.startTime : null, responseEnd: last ? last.responseEnd : null};
                    }"""
                )
                if attempt < 2:
                    continue
                rows["visible"].append(timing["inserted"] - timing["lastKey"])
                rows["painted"].append(timing["painted"] - timing["lastKey"])
                if timing["requestStart"] is not None:
                    rows["request_start"].append(timing["requestStart"] - timing["lastKey"])
                    rows["response_end"].append(timing["responseEnd"] - timing["lastKey"])
                result.setdefault("analyze_requests_per_typing", []).append(timing["requests"])
            result["suggestions"] = {
                "visible_after_last_key": summary(rows["visible"]),
                "visible_minus_debounce": summary([v - debounce for v in rows["visible"]]),
                "painted_after_last_key": summary(rows["painted"]),
                "request_sent_after_last_key": summary(rows["request_start"]),
                "response_end_after_last_key": summary(rows["response_end"]),
                "debounce_ms": debounce,
            }

            # 2. First render: navigation start to the load event, warm HTTP cache (an operator's n-th visit),
            #    and cold: the first visit in a fresh context (same session cookie, nothing cached, renderer started).
            renders: dict[str, Any] = {}
            for name, user, path in BROWSER_PAGES:
                page = pages[user]
                samples: dict[str, list[float]] = {"load": [], "ttfb": [], "dom_content_loaded": []}
                cold: dict[str, list[float]] = {"load": [], "ttfb": [], "dom_content_loaded": []}
                for attempt in range(2 + repeats):
                    nav = _visit(page, path)
                    if attempt >= 2:
                        for key in samples:
                            samples[key].append(nav[key])
                        if "charts_drawn" in nav:
                            samples.setdefault("charts_drawn", []).append(nav["charts_drawn"])
                session = [{"name": c["name"], "value": c["value"], "url": base_url} for c in page.context.cookies()]
                for _attempt in range(max(3, repeats // 2)):
                    fresh = browser.new_context(base_url=base_url, viewport=VIEWPORT, locale="zh-CN")
                    try:
                        fresh.add_cookies(session)  # type: ignore[arg-type]  # a TypedDict Playwright does not export
                        blank = fresh.new_page()
                        # The context's renderer starts before the timed navigation: on this machine its start-up
                        # would otherwise compete with the server for the same two cores (a user's browser does not).
                        blank.goto("about:blank")
                        blank.wait_for_timeout(500)
                        nav = _visit(blank, path)
                    finally:
                        fresh.close()
                    for key in ("load", "ttfb", "dom_content_loaded"):
                        cold[key].append(nav[key])
                    if "charts_drawn" in nav:
                        cold.setdefault("charts_drawn", []).append(nav["charts_drawn"])
                renders[name] = {
                    "user": user,
                    "path": path,
                    **{k: summary(v) for k, v in samples.items()},
                    "cold": {k: summary(v) for k, v in cold.items()},
                }
            result["first_render"] = renders
        finally:
            browser.close()
    return result


# --- in-process query profile ------------------------------------------------------------------------------


def query_profile(samples: int = 5) -> dict[str, Any]:
    """Per page: server time and SQL time (medians of `samples`), queries, the slowest query's EXPLAIN."""
    from statistics import median

    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from lianxin.core.models import User

    report: dict[str, Any] = {}
    clients: dict[str, Client] = {}
    for name, user, method, path in REQUESTS:
        if user not in clients:
            clients[user] = Client()
            clients[user].force_login(User.objects.get(username=user))
        client = clients[user]

        def call(client: Client = client, method: str = method, path: str = path) -> Any:
            return client.post(path, {"text": TRANSCRIPT}) if method == "POST" else client.get(path)

        call()  # warm
        walls, sqls = [], []
        for _ in range(samples):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                response = call()
            walls.append((time.perf_counter() - started) * 1000)
            queries = captured.captured_queries
            sqls.append(sum(float(q["time"]) for q in queries) * 1000)
        entry: dict[str, Any] = {
            "status": response.status_code,
            "wall_ms": round(median(walls), 1),
            "queries": len(queries),
            "sql_ms": round(median(sqls), 1),
            "samples": samples,
            "top": [
                {"ms": round(float(q["time"]) * 1000, 1), "sql": q["sql"][:400]}
                for q in sorted(queries, key=lambda q: -float(q["time"]))[:5]
            ],
        }
        selects = [i for i, q in enumerate(queries) if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
        if selects:
            at = max(selects, key=lambda i: float(queries[i]["time"]))
            slowest = queries[at]
            # Settings the page made for this query (SET LOCAL just before it) apply to its plan too.
            settings: list[str] = []
            for q in reversed(queries[:at]):
                if not q["sql"].upper().startswith("SET LOCAL"):
                    break
                settings.insert(0, q["sql"])
            with transaction.atomic(), connection.cursor() as cursor:
                for statement in settings:
                    cursor.execute(statement)
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
                entry["slowest"] = {
                    "ms": round(float(slowest["time"]) * 1000, 1),
                    "settings": settings,
                    "sql": slowest["sql"],
                    "plan": [row[0] for row in cursor.fetchall()],
                }
        report[name] = entry
    return report


# --- report ------------------------------------------------------------------------------------------------


def print_table(results: dict[str, Any]) -> None:
    out = sys.stdout
    out.write(f"\n== HTTP, one request at a time, {results['arguments']['repeats']} samples (ms) ==\n")
    out.write(
        f"{'request':<15}{'user':<12}{'TTFB p50':>10}{'TTFB p95':>10}{'full p50':>10}{'full p95':>10}{'KiB':>7}\n"
    )
    for name, row in results.get("http", {}).items():
        out.write(
            f"{name:<15}{row['user']:<12}{row['ttfb']['p50_ms']:>10.1f}{row['ttfb']['p95_ms']:>10.1f}"
            f"{row['total']['p50_ms']:>10.1f}{row['total']['p95_ms']:>10.1f}{row['bytes'] / 1024:>7.1f}\n"
        )
    profile = results.get("queries", {})
    if profile:
        samples = next(iter(profile.values())).get("samples", 1)
        out.write(f"\n== In-process (Django test client), medians of {samples} (ms) ==\n")
        out.write(f"{'request':<15}{'server':>8}{'SQL':>8}{'queries':>9}  slowest query\n")
        for name, prof in profile.items():
            slowest = prof.get("slowest", {})
            out.write(
                f"{name:<15}{prof['wall_ms']:>8.1f}{prof['sql_ms']:>8.1f}{prof['queries']:>9}"
                f"  {slowest.get('ms', '')} ms {slowest.get('sql', '')[:60]}\n"
            )
    browser = results.get("browser", {})
    if "suggestions" in browser:
        s = browser["suggestions"]
        out.write("\n== Chromium: intake suggestions after the last keystroke (ms) ==\n")
        for key in ("request_sent_after_last_key", "response_end_after_last_key", "visible_after_last_key",
                    "painted_after_last_key", "visible_minus_debounce"):  # fmt: skip
            out.write(f"{key:<30}p50 {s[key]['p50_ms']:>8.1f}   p95 {s[key]['p95_ms']:>8.1f}\n")
        target = TARGETS["suggestions_visible_after_typing_ms"]
        out.write(f"target: visible ≤ {target:.0f} ms after typing stops (debounce {s['debounce_ms']} ms included)\n")
    if "first_render" in browser:
        out.write("\n== Chromium: first render, navigation start → load event (ms) ==\n")
        out.write(f"{'page':<12}{'TTFB p50':>10}{'DCL p50':>10}{'load p50':>10}{'load p95':>10}")
        out.write(f"{'cold TTFB':>11}{'cold p50':>10}{'cold p95':>10}\n")
        for name, row in browser["first_render"].items():
            out.write(
                f"{name:<12}{row['ttfb']['p50_ms']:>10.1f}{row['dom_content_loaded']['p50_ms']:>10.1f}"
                f"{row['load']['p50_ms']:>10.1f}{row['load']['p95_ms']:>10.1f}"
                f"{row['cold']['ttfb']['p50_ms']:>11.1f}{row['cold']['load']['p50_ms']:>10.1f}"
                f"{row['cold']['load']['p95_ms']:>10.1f}\n"
            )
        for name, row in browser["first_render"].items():
            if "charts_drawn" in row:
                warm, cold = row["charts_drawn"], row["cold"]["charts_drawn"]
                out.write(
                    f"{name}: navigation start → charts drawn p50 {warm['p50_ms']:.1f} / p95 {warm['p95_ms']:.1f}"
                    f" (cold {cold['p50_ms']:.1f} / {cold['p95_ms']:.1f})\n"
                )
        out.write(f"target: ≤ {TARGETS['first_render_ms']:.0f} ms with 1,000,000 orders (cold: nothing cached)\n")
    out.write(
        f"\nload average at start / end: {results['load_average_at_start']} / {results.get('load_average_at_end')}\n"
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    var_dir = str(Path(args.var_dir).resolve())
    setup_django(args.database_url, var_dir)
    from lianxin.bench.orders_api import machine

    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    results: dict[str, Any] = {"started": stamp, "arguments": vars(args), "targets": TARGETS}
    results["load_average_at_start"] = [round(v, 2) for v in os.getloadavg()]
    print("Preparing the database …", flush=True)
    results["prepared"] = prepare(args.orders)
    results["machine"] = machine()
    log_path = out_dir / f"pages-{stamp}.server.log"
    with running_server(args.database_url, var_dir, args.workers, log_path) as (base_url, pid):
        results["server"] = {"workers": args.workers, "worker_class": "sync", "pid": pid}
        print(f"HTTP: {args.repeats} samples of each page …", flush=True)
        results["http"] = http_latency(base_url, args.repeats, warmup=max(3, 2 * args.workers))
        _write(out_dir, stamp, results)
        if not args.no_browser:
            print(f"Chromium: {args.browser_repeats} samples each …", flush=True)
            results["browser"] = browser_latency(base_url, args.browser_repeats)
            _write(out_dir, stamp, results)
    if not args.no_explain:
        print("Query profile (in-process) …", flush=True)
        results["queries"] = query_profile()
    results["load_average_at_end"] = [round(v, 2) for v in os.getloadavg()]
    results["medians_note"] = "p50 is the median; the machine may be shared: see load averages"
    path = _write(out_dir, stamp, results)
    print_table(results)
    print(f"\nResults: {path}")
    return 0


def _write(out_dir: Path, stamp: str, results: dict[str, Any]) -> Path:
    path = out_dir / f"pages-{stamp}.json"
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return path


if __name__ == "__main__":
    raise SystemExit(main())
