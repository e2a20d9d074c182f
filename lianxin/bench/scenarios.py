"""What is measured over HTTP: creates under concurrent load, and list pages one request at a time."""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from lianxin.bench.client import Api, Reply, run_load
from lianxin.bench.corpus import appeals, create_payload
from lianxin.bench.stats import median, summary


def create_load(
    base_url: str, token: str, total: int, concurrency: int, analyze: bool, rounds: int, warmup: int = 50
) -> dict[str, Any]:
    """`rounds` runs of `total` creates each; creates/s is the median over rounds, latencies are pooled."""
    corpus = appeals()
    offset = random.Random(11).randrange(len(corpus))

    def job(api: Api, index: int) -> tuple[Reply, bool, str]:
        rng = random.Random(index * 7 + int(analyze))
        body = create_payload(corpus[(offset + index) % len(corpus)], rng, analyze=analyze)
        reply = api.post("/api/v1/orders", body, headers={"Idempotency-Key": f"bench-{uuid.uuid4().hex}"})
        ok = reply.status == 201
        model = reply.body.get("ai", {}).get("model_version", "") if ok and isinstance(reply.body, dict) else ""
        return reply, ok, model or "(no analysis model)"

    run_load(base_url, token, warmup, concurrency, job)
    runs = []
    latencies: list[float] = []
    errors = 0
    seen: dict[str, int] = {}
    samples: list[str] = []
    for _ in range(rounds):
        result = run_load(base_url, token, total, concurrency, job)
        runs.append(round(result.per_second, 1))
        latencies += result.latencies_ms
        errors += result.errors
        samples += result.error_samples
        for key, value in result.seen.items():
            seen[key] = seen.get(key, 0) + value
    return {
        "analyze": analyze,
        "concurrency": concurrency,
        "creates_per_round": total,
        "creates_per_s": median(runs),
        "creates_per_s_rounds": runs,
        "errors": errors,
        "error_samples": samples[:5],
        "analysis_model_versions": seen,
        **summary(latencies),
    }


def batch_create_load(
    base_url: str, token: str, total: int, batch_size: int, concurrency: int, analyze: bool, rounds: int
) -> dict[str, Any]:
    """Bulk intake: `total` orders per round sent as POST /api/v1/orders/batch of `batch_size` each."""
    corpus = appeals()
    offset = random.Random(13).randrange(len(corpus))

    def job(api: Api, index: int) -> tuple[Reply, bool, str]:
        rng = random.Random(index * 11 + int(analyze))
        items = []
        for position in range(batch_size):
            item = create_payload(corpus[(offset + index * batch_size + position) % len(corpus)], rng, analyze)
            items.append({**item, "idempotency_key": f"bench-batch-{uuid.uuid4().hex}"})
        reply = api.post("/api/v1/orders/batch", {"orders": items})
        ok = reply.status == 201 and isinstance(reply.body, dict) and reply.body.get("created") == batch_size
        return reply, ok, "batch"

    requests = max(1, total // batch_size)
    run_load(base_url, token, max(2, concurrency), concurrency, job)
    runs: list[float] = []
    latencies: list[float] = []
    errors = 0
    samples: list[str] = []
    for _ in range(rounds):
        result = run_load(base_url, token, requests, concurrency, job)
        runs.append(round(result.per_second * batch_size, 1))
        latencies += result.latencies_ms
        errors += result.errors
        samples += result.error_samples
    return {
        "analyze": analyze,
        "batch_size": batch_size,
        "concurrency": concurrency,
        "creates_per_round": requests * batch_size,
        "creates_per_s": median(runs),
        "creates_per_s_rounds": runs,
        "errors": errors,
        "error_samples": samples[:5],
        **{f"batch_{k}": v for k, v in summary(latencies).items()},
    }


@dataclass
class ListRequest:
    name: str
    user: str
    path: str
    description: str


def month_ago(months: int) -> tuple[dt.date, dt.date]:
    today = dt.date.today()
    year, month = today.year, today.month - months
    while month <= 0:
        year, month = year - 1, month + 12
    first = dt.date(year, month, 1)
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def list_requests() -> list[ListRequest]:
    start, end = month_ago(1)
    old_start, old_end = month_ago(13)
    window = urlencode(
        {
            "received_after": f"{old_start.isoformat()}T00:00:00+08:00",
            "received_before": f"{(old_end + dt.timedelta(days=1)).isoformat()}T00:00:00+08:00",
            "category": "01",
        }
    )
    kpi = urlencode({"start": start.isoformat(), "end": end.isoformat()})
    return [
        ListRequest("first_page", "dispatcher", "/api/v1/orders", "dispatcher, no filter, newest first"),
        ListRequest("status_handling", "dispatcher", "/api/v1/orders?status=handling", "status filter"),
        ListRequest("status_closed", "dispatcher", "/api/v1/orders?status=closed", "status filter (common status)"),
        ListRequest("district", "dispatcher", "/api/v1/orders?district=330903", "district filter (普陀区)"),
        ListRequest("overdue", "dispatcher", "/api/v1/orders?overdue=true", "overdue=true"),
        ListRequest("unit_zjj", "dispatcher", "/api/v1/orders?unit=dept-zjj", "unit filter (市住建局)"),
        ListRequest("zjj_own", "zjj", "/api/v1/orders", "handling unit's own list (user zjj)"),
        ListRequest("zjj_handling", "zjj", "/api/v1/orders?status=handling", "handling unit's work queue"),
        ListRequest("next_page", "dispatcher", "@next:/api/v1/orders", "second page via the cursor"),
        ListRequest("zjj_next_page", "zjj", "@next:/api/v1/orders", "handling unit's second page via the cursor"),
        ListRequest("range_category", "dispatcher", f"/api/v1/orders?{window}", "a month a year ago + category 01*"),
        ListRequest("kpi_month", "dispatcher", f"/api/v1/kpis?{kpi}", f"KPIs {start:%Y-%m}, all units"),
    ]


def _resolve(api: Api, request: ListRequest) -> str:
    """`@next:PATH`: the cursor URL of PATH's second page, as a client would follow it."""
    if not request.path.startswith("@next:"):
        return request.path
    first = api.get(request.path.removeprefix("@next:"))
    next_url = first.body.get("next") if isinstance(first.body, dict) else None
    if not next_url:
        raise RuntimeError(f"{request.name}: the first page has no next link")
    parts = urlsplit(next_url)
    return f"{parts.path}?{parts.query}"


def list_latency(base_url: str, tokens: dict[str, str], repeats: int, warmup: int = 3) -> dict[str, Any]:
    """Each request `repeats` times, one at a time, interleaved so that noise hits them all alike."""
    apis = {user: Api(base_url, token) for user, token in tokens.items()}
    requests = list_requests()
    paths = {r.name: _resolve(apis[r.user], r) for r in requests}
    samples: dict[str, list[float]] = {r.name: [] for r in requests}
    rows: dict[str, int] = {}
    for round_index in range(warmup + repeats):
        for request in requests:
            reply = apis[request.user].get(paths[request.name])
            if reply.status != 200:
                raise RuntimeError(f"{request.name}: {reply.status} {str(reply.body)[:300]}")
            if round_index >= warmup:
                samples[request.name].append(reply.elapsed_ms)
            body = reply.body
            rows[request.name] = len(body.get("results", [])) if isinstance(body, dict) else 0
    for api in apis.values():
        api.close()
    return {
        r.name: {"description": r.description, "user": r.user, "path": paths[r.name], "rows": rows[r.name],
                 **summary(samples[r.name])}
        for r in requests
    }  # fmt: skip


def wait_quiet(seconds: float = 2.0) -> None:
    time.sleep(seconds)
