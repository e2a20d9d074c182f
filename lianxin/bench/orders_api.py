"""Orders API benchmark: creates/s over HTTP, then list-page latency at 100k and 1M orders.

    python -m lianxin.bench.orders_api --database-url postgres://postgres@127.0.0.1:5432/lianxin_bench \
        [--creates 2000] [--orders 100000,1000000]

The database is prepared (migrate, reference data, demo users), the app is served by gunicorn, and a
threaded client drives it. Orders in the database are REPLACED by synthetic ones: use a database of
its own. Results go to bench-results/orders_api-<time>.json and a table is printed. See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lianxin_bench"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m lianxin.bench.orders_api", description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("LIANXIN_BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--creates", type=int, default=2000, help="creates per round (default 2000)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of creates; creates/s is their median")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads for creates (default 8)")
    parser.add_argument("--orders", default="100000,1000000", help="dataset sizes for list pages; '' skips")
    parser.add_argument("--list-repeats", type=int, default=40, help="samples per list request (default 40)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (default 3)")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (default 1)")
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class (default sync)")
    parser.add_argument("--skip-creates", action="store_true", help="only the list pages")
    parser.add_argument(
        "--batch-size", type=int, default=100, help="orders per POST /api/v1/orders/batch (default 100; 0 skips)"
    )
    parser.add_argument(
        "--batch-creates", type=int, default=5000, help="orders per round of batch creates (default 5000)"
    )
    parser.add_argument("--batch-concurrency", type=int, default=2, help="client threads for batch creates (default 2)")
    parser.add_argument(
        "--reuse-orders",
        action="store_true",
        help="keep the orders already in the database when they number SIZE to SIZE+10%% (creates then run on "
        "top of them, and a second run need not reload 1M orders)",
    )
    parser.add_argument("--no-events", action="store_true", help="bulk-load orders without timeline events")
    parser.add_argument("--no-explain", action="store_true", help="skip EXPLAIN (ANALYZE, BUFFERS) of list queries")
    parser.add_argument("--out", default="bench-results", help="directory for the JSON results")
    return parser.parse_args(argv)


def setup_django(database_url: str) -> None:
    if not database_url.startswith("postgres"):
        raise SystemExit("This benchmark needs PostgreSQL (bulk loading uses its SQL).")
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")
    import django

    django.setup()


def machine() -> dict[str, Any]:
    from django.db import connection

    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory_gib = 0.0
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        first = meminfo.read_text().splitlines()[0].split()
        memory_gib = round(int(first[1]) / 1024 / 1024, 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0]  # type: ignore[index]
        settings = {}
        for name in ("shared_buffers", "work_mem", "synchronous_commit", "effective_cache_size"):
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]  # type: ignore[index]
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    except OSError:
        commit = ""
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": memory_gib,
        "python": platform.python_version(),
        "postgres": version.split(",")[0],
        "postgres_settings": settings,
        "git_commit": commit,
        "load_average_1_5_15": [round(v, 2) for v in os.getloadavg()],
    }


def print_table(results: dict[str, Any]) -> None:
    out = sys.stdout
    out.write("\n== Creates (POST /api/v1/orders) ==\n")
    out.write(f"{'analysis':<10}{'creates/s':>10}{'rounds':>24}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}\n")
    for row in results.get("creates", []):
        rounds = ",".join(str(r) for r in row["creates_per_s_rounds"])
        out.write(
            f"{'on' if row['analyze'] else 'off':<10}{row['creates_per_s']:>10.1f}{rounds:>24}"
            f"{row['p50_ms']:>9.1f}{row['p95_ms']:>9.1f}{row['p99_ms']:>9.1f}{row['errors']:>8}\n"
        )
    for row in results.get("batch_creates", []):
        rounds = ",".join(str(r) for r in row["creates_per_s_rounds"])
        out.write(
            f"{'on' if row['analyze'] else 'off':<10}{row['creates_per_s']:>10.1f}{rounds:>24}"
            f"{row['batch_p50_ms']:>9.1f}{row['batch_p95_ms']:>9.1f}{row['batch_p99_ms']:>9.1f}{row['errors']:>8}"
            f"   batches of {row['batch_size']} (POST /api/v1/orders/batch; latency per batch)\n"
        )
    for row in results.get("queries_per_create", []):
        out.write(f"queries per create (analysis {'on' if row['analyze'] else 'off'}): {row['queries']}\n")
    datasets = results.get("lists", {})
    if not datasets:
        return
    sizes = list(datasets)
    out.write("\n== List pages, one request at a time (ms) ==\n")
    out.write(f"{'request':<18}" + "".join(f"{f'p50 @{s}':>14}{f'p95 @{s}':>14}" for s in sizes) + "\n")
    names = list(next(iter(datasets.values()))["requests"])
    for name in names:
        cells = ""
        for size in sizes:
            row = datasets[size]["requests"].get(name, {})
            cells += f"{row.get('p50_ms', float('nan')):>14.1f}{row.get('p95_ms', float('nan')):>14.1f}"
        out.write(f"{name:<18}{cells}\n")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    setup_django(args.database_url)
    from lianxin.bench import bulk, explain, prepare, scenarios
    from lianxin.bench.client import login
    from lianxin.bench.server import ServerOptions, running_server
    from lianxin.core.demo_users import DEMO_PASSWORD

    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    results: dict[str, Any] = {"started": stamp, "arguments": vars(args)}
    print("Preparing the database …", flush=True)
    results["prepared"] = prepare.prepare_database()
    results["machine"] = machine()
    options = ServerOptions(workers=args.workers, threads=args.threads, worker_class=args.worker_class)
    results["server"] = {"gunicorn": vars(options)}
    if not args.skip_creates and not args.reuse_orders:
        bulk.truncate_orders()
        results["queries_per_create"] = [prepare.count_queries(analyze=False), prepare.count_queries(analyze=True)]
    log_path = out_dir / f"orders_api-{stamp}.server.log"
    with running_server(args.database_url, options, log_path) as (base_url, pid):
        results["server"]["pid"] = pid
        tokens = {user: login(base_url, user, DEMO_PASSWORD) for user in ("calltaker", "dispatcher", "zjj")}
        if not args.skip_creates:
            results["creates"] = []
            for analyze in (False, True):
                print(f"Creates, analysis {'on' if analyze else 'off'}: {args.rounds} × {args.creates} …", flush=True)
                results["creates"].append(
                    scenarios.create_load(
                        base_url, tokens["calltaker"], args.creates, args.concurrency, analyze, args.rounds
                    )
                )
            if args.batch_size > 0:
                results["batch_creates"] = []
                for analyze in (False, True):
                    print(f"Batch creates of {args.batch_size}, analysis {'on' if analyze else 'off'} …", flush=True)
                    results["batch_creates"].append(
                        scenarios.batch_create_load(
                            base_url,
                            tokens["calltaker"],
                            args.batch_creates if not analyze else max(args.batch_size, args.batch_creates // 10),
                            args.batch_size,
                            args.batch_concurrency,
                            analyze,
                            args.rounds,
                        )
                    )
        results["lists"] = {}
        for size in [int(s) for s in args.orders.split(",") if s.strip()]:
            if args.reuse_orders and size <= bulk.order_count() < size * 1.1:
                print(f"Reusing the {size:,} orders already loaded", flush=True)
                loaded: dict[str, Any] = {"reused": True, "orders": size}
            else:
                print(f"Bulk-loading {size:,} orders …", flush=True)
                loaded = bulk.load_orders(size, events=not args.no_events)
                print(f"  loaded in {loaded['timings']['total_s']} s", flush=True)
            print(f"List pages at {size:,} orders: {args.list_repeats} samples each …", flush=True)
            requests = scenarios.list_latency(base_url, tokens, args.list_repeats)
            entry: dict[str, Any] = {"dataset": loaded, "requests": requests}
            if not args.no_explain:
                entry["explain"] = explain.explain_requests(scenarios.list_requests(), requests)
            results["lists"][str(size)] = entry
            _write(out_dir, stamp, results)
    results["load_average_at_end"] = [round(v, 2) for v in os.getloadavg()]
    path = _write(out_dir, stamp, results)
    print_table(results)
    print(f"\nResults: {path}")
    return 0


def _write(out_dir: Path, stamp: str, results: dict[str, Any]) -> Path:
    path = out_dir / f"orders_api-{stamp}.json"
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return path


if __name__ == "__main__":
    raise SystemExit(main())
