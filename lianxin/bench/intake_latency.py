"""Intake analysis benchmark: similar-order index build at scale, suggest() latency on one core, memory.

    python -m lianxin.bench.intake_latency --database-url postgres://postgres@127.0.0.1:5432/lianxin_intakebench \
        [--index-size 1000000] [--texts 500] [--jobs 2] [--reuse-index] [--no-web] [--no-experiments]

Steps: prepare the database (migrate, reference data, demo users, intake models trained in a var dir
of the benchmark's own); REPLACE every order with --index-size synthetic ones (lianxin.bench.intake_data)
and rebuild the similar-order index as `manage.py rebuild_similar_index` does (`similar_index.rebuild`);
time the incremental path (`similar_index.index_orders`) on a sample; refresh_stop_bands(); then, in a
child process pinned to CPU 0, time suggest() with similarity on, analyze() alone and the similarity
query alone per text (wall, CPU of the process, CPU of its PostgreSQL backend), and read its RSS; EXPLAIN ANALYZE the candidate query and try stop-band thresholds and
candidate limits; serve the app with one gunicorn worker and read its RSS after warm-up. Results go to
bench-results/intake_latency-<time>.json and a table is printed. See docs/benchmarks-intake.md.
Use a database of its own: its orders are replaced.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lianxin_intakebench"
REPO = Path(__file__).resolve().parents[2]
TARGETS = {"p50_ms": 20.0, "p99_ms": 80.0, "rss_mb": 600.0}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m lianxin.bench.intake_latency", description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("LIANXIN_BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--index-size", type=int, default=1_000_000, help="synthetic orders indexed (default 1M)")
    parser.add_argument("--texts", type=int, default=500, help="texts timed for latency (default 500)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for the index build (default 2)")
    parser.add_argument("--var-dir", default=str(REPO / "var" / "bench-intake"), help="models and var files")
    parser.add_argument("--reuse-index", action="store_true", help="keep the orders and index already loaded")
    parser.add_argument("--sample", type=int, default=2000, help="orders re-indexed with index_orders (default 2000)")
    parser.add_argument("--no-web", action="store_true", help="skip the gunicorn worker RSS measurement")
    parser.add_argument("--no-experiments", action="store_true", help="skip EXPLAIN and threshold experiments")
    parser.add_argument("--out", default="bench-results", help="directory for the JSON results")
    parser.add_argument("--child", choices=["latency"], help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--candidate-limit", type=int, default=0, help="latency child only: override similar_index.CANDIDATE_LIMIT"
    )
    return parser.parse_args(argv)


def setup_django(database_url: str, var_dir: str) -> None:
    if not database_url.startswith("postgres"):
        raise SystemExit("This benchmark needs PostgreSQL (the index is bulk-loaded with COPY).")
    Path(var_dir).mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = database_url
    os.environ["LIANXIN_VAR_DIR"] = var_dir
    os.environ.pop("LIANXIN_MODELS_DIR", None)
    os.environ.pop("LIANXIN_LLM_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")
    import django

    django.setup()


def rss_mb(pid: int | str = "self") -> dict[str, float]:
    out: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key = line.split(":")[0]
        if key in ("VmRSS", "VmHWM"):
            out[key] = round(int(line.split()[1]) / 1024, 1)
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def summary_ms(seconds: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "p50_ms": round(statistics.median(ms), 2) if ms else 0.0,
        "p95_ms": round(pct(ms, 95), 2),
        "p99_ms": round(pct(ms, 99), 2),
        "max_ms": round(max(ms), 2) if ms else 0.0,
        "mean_ms": round(statistics.fmean(ms), 2) if ms else 0.0,
    }


def load_avg() -> str:
    return Path("/proc/loadavg").read_text().split(" ", 3)[:3].__str__()


# --- texts --------------------------------------------------------------------------------------------


def latency_texts(count: int, seed: int) -> list[dict[str, Any]]:
    """Gold texts, re-submissions of gold texts, and re-submissions of indexed orders (with their id)."""
    from lianxin.bench.intake_data import gold_texts
    from lianxin.intake.similar.evaluate import Doc, resubmit
    from lianxin.orders.models import Order

    rng = random.Random(seed)
    gold = gold_texts()[: max(1, count // 4)]
    out: list[dict[str, Any]] = [{"kind": "gold", "text": t} for t in gold]
    out += [{"kind": "gold_resubmission", "text": resubmit(Doc(t, "", "", ""), rng)[0].text} for t in gold]
    rest = max(0, count - len(out))
    top = Order.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    if rest and top:
        ids = sorted(rng.sample(range(1, top + 1), min(rest, top)))
        for pk, text in Order.objects.filter(pk__in=ids).values_list("pk", "text"):
            out.append(
                {"kind": "order_resubmission", "source": pk, "text": resubmit(Doc(text, "", "", ""), rng)[0].text}
            )
    rng.shuffle(out)
    return out[:count]


# --- child: latency on one core -------------------------------------------------------------------------


def on_cpu_ns(pid: int | str = "self") -> int:
    """Nanoseconds the process has run on a CPU (/proc/<pid>/schedstat): unlike wall time, not
    inflated by waiting for a CPU on a loaded machine, and precise enough for one call."""
    return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])


class Timer:
    """Per-call wall time, this process's CPU time and the PostgreSQL backend's CPU time."""

    def __init__(self, backend_pid: int) -> None:
        self.backend = backend_pid
        self.wall: list[float] = []
        self.cpu: list[float] = []
        self.db_cpu: list[float] = []

    def __call__(self, fn: Any, *args: Any) -> Any:
        c0, d0, t0 = time.process_time(), on_cpu_ns(self.backend), time.perf_counter()
        result = fn(*args)
        t1, d1, c1 = time.perf_counter(), on_cpu_ns(self.backend), time.process_time()
        self.wall.append(t1 - t0)
        self.cpu.append(c1 - c0)
        self.db_cpu.append((d1 - d0) / 1e9)
        return result

    def summary(self) -> dict[str, Any]:
        both = [a + b for a, b in zip(self.cpu, self.db_cpu, strict=True)]
        return {**summary_ms(self.wall), "cpu": summary_ms(self.cpu), "db_cpu": summary_ms(self.db_cpu),
                "cpu_incl_db": summary_ms(both)}  # fmt: skip


def child_latency(args: argparse.Namespace) -> dict[str, Any]:
    os.sched_setaffinity(0, {0})
    from django.db import connection
    from django.utils import timezone

    from lianxin.intake import service, similar_index
    from lianxin.intake.analysis import analyze

    if args.candidate_limit:
        similar_index.CANDIDATE_LIMIT = args.candidate_limit
    texts = latency_texts(args.texts, args.seed)
    rss_django = rss_mb()
    now = timezone.now()
    for item in texts[:10]:  # warm-up: models loaded, caches filled, connection open
        service.suggest(item["text"], now)
    rss_warm = rss_mb()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = int(cursor.fetchone()[0])  # type: ignore[index]
    total, analyze_only, query_only, similar_total = (Timer(backend) for _ in range(4))
    found = near = 0
    resubmissions = 0
    load_start = load_avg()
    for item in texts:
        text = item["text"]
        # suggest() comes first: it meets the text's index pages cold, as a new call would.
        result = total(service.suggest, text, now)
        analysis = analyze_only(analyze, text, now)
        q = similar_index.Query(
            text=text,
            town_code=analysis.value("town") or "",
            community_code=analysis.value("community") or "",
            received_at=now,
        )
        query_only(similar_index.query, q, service.SIMILAR_K * 2)
        similar_total(service._similar, analysis, text, now, None, None)
        if item.get("source"):
            resubmissions += 1
            hits = [m for m in result.similar if m["order_id"] == item["source"]]
            found += bool(hits)
            near += bool(hits and hits[0]["near_duplicate"])
    connection.close()
    return {
        "candidate_limit": similar_index.CANDIDATE_LIMIT,
        "affinity": sorted(os.sched_getaffinity(0)),
        "load_average_start": load_start,
        "load_average_end": load_avg(),
        "texts": len(texts),
        "kinds": {
            k: sum(1 for t in texts if t["kind"] == k) for k in ("gold", "gold_resubmission", "order_resubmission")
        },
        "suggest": total.summary(),
        "analyze_only": analyze_only.summary(),
        "similarity_query_only": query_only.summary(),
        "similar_with_order_fetch": similar_total.summary(),
        "resubmission_source_found": f"{found}/{resubmissions}",
        "resubmission_source_near_duplicate": f"{near}/{resubmissions}",
        "rss_after_django_mb": rss_django,
        "rss_after_warmup_mb": rss_warm,
        "rss_after_run_mb": rss_mb(),
    }


def run_child(args: argparse.Namespace, *extra: str) -> dict[str, Any]:
    command = [
        sys.executable, "-m", "lianxin.bench.intake_latency", "--child", "latency",
        "--database-url", args.database_url, "--var-dir", args.var_dir, "--texts", str(args.texts),
        "--seed", str(args.seed), *extra,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"latency child failed: {done.stderr[-2000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


# --- experiments: EXPLAIN, thresholds, candidate limits ---------------------------------------------------


def query_keys(text: str) -> list[int]:
    from lianxin.intake import similar, similar_index

    stop = similar_index.stop_bands()
    return [k for k in dict.fromkeys(similar.band_keys(similar.signature(text))) if k not in stop]


def explain(text: str, limit: int) -> dict[str, Any]:
    """EXPLAIN ANALYZE of the statement `similar_index.query` runs (first run: the text's pages may be cold)."""
    from django.db import connection
    from django.utils import timezone

    from lianxin.intake import similar_index

    keys = query_keys(text)
    saved, similar_index.CANDIDATE_LIMIT = similar_index.CANDIDATE_LIMIT, limit
    try:
        sql, params = similar_index.candidates_sql(keys, "", timezone.now())
    finally:
        similar_index.CANDIDATE_LIMIT = saved
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = [str(r[0]) for r in cursor.fetchall()]
        cursor.execute("SELECT count(*) FROM intake_similarityband WHERE band_key = ANY(%s)", [keys])
        postings = int(cursor.fetchone()[0])  # type: ignore[index]
    return {"keys": len(keys), "postings": postings, "plan": plan}


def time_queries(texts: list[dict[str, Any]]) -> dict[str, Any]:
    from django.utils import timezone

    from lianxin.intake import similar_index

    now = timezone.now()
    times = []
    found = 0
    resub = 0
    for item in texts:
        t0 = time.perf_counter()
        matches = similar_index.query(similar_index.Query(text=item["text"], received_at=now), k=10)
        times.append(time.perf_counter() - t0)
        if item.get("source"):
            resub += 1
            found += any(m.order_id == item["source"] and m.is_near_duplicate for m in matches)
    return {**summary_ms(times), "source_near_duplicate": f"{found}/{resub}"}


def experiments(texts: list[dict[str, Any]]) -> dict[str, Any]:
    """Query time and recall under stop-band thresholds and candidate limits (bench DB only; restored after)."""
    from django.db import connection

    from lianxin.intake import similar_index
    from lianxin.intake.similar.index import MAX_POSTINGS_PER_KEY

    os.sched_setaffinity(0, {0})
    out: dict[str, Any] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT percentile_disc(ARRAY[0.5, 0.99, 0.999, 1.0]) WITHIN GROUP (ORDER BY n) FROM "
            "(SELECT count(*) AS n FROM intake_similarityband GROUP BY band_key) s"
        )
        out["postings_per_key_p50_p99_p999_max"] = cursor.fetchone()[0]  # type: ignore[index]
    sample = texts[: min(len(texts), 200)]
    worst = max(sample[:50], key=lambda t: explain(t["text"], similar_index.CANDIDATE_LIMIT)["postings"])
    out["explain_worst"] = explain(worst["text"], similar_index.CANDIDATE_LIMIT)
    out["explain_typical"] = explain(sample[0]["text"], similar_index.CANDIDATE_LIMIT)
    runs: dict[str, Any] = {}
    default_limit = similar_index.CANDIDATE_LIMIT
    try:
        for threshold in (MAX_POSTINGS_PER_KEY, 500):
            t0 = time.perf_counter()
            stop = similar_index.refresh_stop_bands(threshold)
            refresh_s = time.perf_counter() - t0
            for limit in (default_limit, 20):
                similar_index.CANDIDATE_LIMIT = limit
                time_queries(sample[:10])  # warm
                runs[f"stop>{threshold},limit={limit}"] = {
                    "stop_bands": stop, "refresh_s": round(refresh_s, 1), **time_queries(sample)
                }  # fmt: skip
    finally:
        similar_index.CANDIDATE_LIMIT = default_limit
        similar_index.refresh_stop_bands(MAX_POSTINGS_PER_KEY)
    out["query_variants"] = runs
    return out


# --- web worker -------------------------------------------------------------------------------------------


def web_worker(args: argparse.Namespace, texts: list[dict[str, Any]]) -> dict[str, Any]:
    from lianxin.core.demo_users import DEMO_PASSWORD
    from lianxin.testing.local import free_port

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "LIANXIN_VAR_DIR": args.var_dir,
        "LIANXIN_DEBUG": "0",
        "LIANXIN_LOG_LEVEL": "ERROR",
    }
    command = [
        sys.executable, "-m", "gunicorn", "lianxin.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", "1", "--timeout", "120", "--log-level", "warning",
    ]  # fmt: skip
    log = Path(args.out) / "intake_latency-gunicorn.log"
    with log.open("ab") as fh:
        process = subprocess.Popen(command, env=env, stdout=fh, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        token = ""
        while time.monotonic() < deadline and not token:
            try:
                request = urllib.request.Request(
                    f"{base}/api/v1/auth/token",
                    data=json.dumps({"username": "calltaker", "password": DEMO_PASSWORD}).encode(),
                    headers={"Content-Type": "application/json"},
                )
                token = json.loads(urllib.request.urlopen(request, timeout=10).read())["token"]
            except OSError:
                time.sleep(0.5)
        if not token:
            raise RuntimeError("gunicorn did not answer")
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        worker = int(children[0])
        rss_idle = rss_mb(worker)
        times = []
        for i, item in enumerate(texts[:60]):
            request = urllib.request.Request(
                f"{base}/api/v1/intake/analyze",
                data=json.dumps({"text": item["text"]}).encode(),
                headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
            )
            t0 = time.perf_counter()
            body = urllib.request.urlopen(request, timeout=60).read()
            if i >= 20:  # the first 20 are the warm-up
                times.append(time.perf_counter() - t0)
            json.loads(body)
        return {
            "server": "gunicorn, 1 sync worker",
            "worker_rss_before_requests_mb": rss_idle,
            "worker_rss_after_warmup_mb": rss_mb(worker),
            "master_rss_mb": rss_mb(process.pid),
            "http_analyze": summary_ms(times),
        }
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- main ---------------------------------------------------------------------------------------------------


def prepare_database(reuse: bool) -> dict[str, Any]:
    from django.core.management import call_command

    from lianxin.core import reference_data
    from lianxin.core.demo_users import ensure_demo_users
    from lianxin.intake.setup import prepare

    out: dict[str, Any] = {}
    t0 = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    out["reference_data"] = reference_data.load()
    out["users"] = len(ensure_demo_users())
    if not reuse:
        from lianxin.bench.intake_data import truncate

        truncate()  # or prepare() would index the previous run's orders one by one
    t1 = time.perf_counter()
    out["prepare"] = prepare()
    out["prepare_s"] = round(time.perf_counter() - t1, 1)
    out["total_s"] = round(time.perf_counter() - t0, 1)
    return out


def index_orders_sample(sample: int) -> dict[str, Any]:
    """The incremental path (`index_orders`: batches into the indexed tables) on existing orders."""
    from lianxin.intake import similar_index
    from lianxin.orders.models import Order

    orders = list(Order.objects.select_related("town", "community").order_by("pk")[:sample])
    t0 = time.perf_counter()
    count = similar_index.index_orders(orders)
    seconds = time.perf_counter() - t0
    return {"orders": count, "s": round(seconds, 1), "orders_per_s": round(count / seconds) if seconds else 0}


def build(args: argparse.Namespace) -> dict[str, Any]:
    """Load the orders, then build the index as `manage.py rebuild_similar_index --jobs N` does."""
    from django.db import connection

    from lianxin.bench.intake_data import load_orders
    from lianxin.bench.intake_index import per_text_throughput
    from lianxin.intake import similar_index

    out: dict[str, Any] = {}
    if args.reuse_index:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM intake_similarityentry")
            out["reused_index_orders"] = int(cursor.fetchone()[0])  # type: ignore[index]
    else:
        out["load_orders"] = load_orders(args.index_size, seed=args.seed)
        load_start = load_avg()
        cpu0 = time.process_time()
        result = similar_index.rebuild(jobs=args.jobs)
        out["index_rebuild"] = {
            **dataclasses.asdict(result),
            "main_process_cpu_s": round(time.process_time() - cpu0, 1),
            "compute_orders_per_s_per_core": round(result.orders / result.compute_s) if result.compute_s else 0,
            "end_to_end_orders_per_s": round(result.orders / result.timings["total_s"]),
            "load_average_start": load_start,
            "load_average_end": load_avg(),
        }
        t0 = time.perf_counter()
        out["refresh_stop_bands"] = {"stop_bands": similar_index.refresh_stop_bands(), "s": 0.0}
        out["refresh_stop_bands"]["s"] = round(time.perf_counter() - t0, 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM orders_order ORDER BY random() LIMIT 3000")
        sample = [str(r[0]) for r in cursor.fetchall()]
        cursor.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('intake_similarityband')), "
            "pg_size_pretty(pg_total_relation_size('intake_similarityentry')), "
            "pg_size_pretty(pg_relation_size('simband_key_order')), (SELECT count(*) FROM intake_stopband)"
        )
        bands, entries, key_index, stop = cursor.fetchone()  # type: ignore[misc]
    out["sizes"] = {"band_table_total": bands, "entry_table_total": entries, "simband_key_order": key_index,
                    "stop_bands": stop}  # fmt: skip
    os.sched_setaffinity(0, {0})
    out["compute_one_core"] = per_text_throughput(sample)
    out["index_orders_sample"] = index_orders_sample(args.sample)
    os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))
    return out


def machine() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = str(cursor.fetchone()[0])  # type: ignore[index]
        cursor.execute("SHOW shared_buffers")
        shared = str(cursor.fetchone()[0])  # type: ignore[index]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO).stdout
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "postgres": version.split(",")[0],
        "shared_buffers": shared,
        "commit": commit.strip(),
        "load_average_start": load_avg(),
    }


def table(results: dict[str, Any]) -> str:
    rows: list[tuple[str, str]] = []
    b = results.get("build", {})
    if "load_orders" in b:
        lo = b["load_orders"]
        rows.append((f"load {lo['orders']:,} orders (COPY)", f"{lo['timings']['total_s']} s"))
        bi = b["index_rebuild"]
        rows.append(
            (
                "index rebuild (similar_index.rebuild)",
                f"{bi['timings']['total_s']:.0f} s, {bi['end_to_end_orders_per_s']}/s",
            )
        )
        rows.append(("  compute per core (in build)", f"{bi['compute_orders_per_s_per_core']} orders/s"))
        rows.append(
            (
                "refresh_stop_bands()",
                f"{b['refresh_stop_bands']['s']} s, {b['refresh_stop_bands']['stop_bands']} stop bands",
            )
        )
    c = b.get("compute_one_core", {})
    if c:
        rows.append(("signature+bands, per-text path, 1 core", f"{c['per_text_path_per_s']} texts/s"))
        rows.append(("signature+bands, batch path, 1 core", f"{c['batch_path_per_s']} texts/s"))
    s = b.get("index_orders_sample", {})
    if s:
        rows.append((f"index_orders() on {s['orders']} orders", f"{s['orders_per_s']} orders/s"))
    lat = results.get("latency", {})
    for key, label in (("suggest", "suggest() with similarity"), ("analyze_only", "  analyze() alone"),
                       ("similarity_query_only", "  similar_index.query()"),
                       ("similar_with_order_fetch", "  query + order fetch")):  # fmt: skip
        if key in lat:
            v = lat[key]
            rows.append((label + " (1 core)", f"p50 {v['p50_ms']} / p95 {v['p95_ms']} / p99 {v['p99_ms']} ms"))
    if lat:
        rows.append(("RSS after Django+models+warm-up", f"{lat['rss_after_warmup_mb'].get('VmRSS')} MB"))
        rows.append(("  found resubmission's source", lat["resubmission_source_found"]))
    web = results.get("web", {})
    if web:
        rows.append(("gunicorn worker RSS after warm-up", f"{web['worker_rss_after_warmup_mb'].get('VmRSS')} MB"))
        h = web["http_analyze"]
        rows.append(("POST /api/v1/intake/analyze", f"p50 {h['p50_ms']} / p99 {h['p99_ms']} ms"))
    width = max(len(r[0]) for r in rows) if rows else 10
    return "\n".join(f"{a.ljust(width)}  {v}" for a, v in rows)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    setup_django(args.database_url, args.var_dir)
    if args.child == "latency":
        print(json.dumps(child_latency(args), default=str))
        return 0
    Path(args.out).mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "benchmark": "intake_latency",
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "args": {k: v for k, v in vars(args).items() if k != "child"},
        "targets": TARGETS,
    }
    results["machine"] = machine()
    print("preparing database …", flush=True)
    results["prepare"] = prepare_database(args.reuse_index)
    print("loading orders and building the index …", flush=True)
    results["build"] = build(args)
    print("timing suggest() on one core …", flush=True)
    results["latency"] = run_child(args)
    texts = latency_texts(args.texts, args.seed)
    if not args.no_experiments:
        print("EXPLAIN and query variants …", flush=True)
        results["experiments"] = experiments([t for t in texts if t["kind"] == "order_resubmission"] or texts)
    if not args.no_web:
        print("web worker …", flush=True)
        results["web"] = web_worker(args, texts)
    results["machine"]["load_average_end"] = load_avg()
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = Path(args.out) / f"intake_latency-{stamp}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    print(table(results))
    print(f"\nresults: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
