"""The SQL behind each list request, run in-process, with EXPLAIN (ANALYZE, BUFFERS) of the slowest query."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lianxin.bench.scenarios import ListRequest
from lianxin.core.models import User


def explain_requests(requests: list[ListRequest], measured: dict[str, Any]) -> dict[str, Any]:
    """For each request (with the resolved cursor paths of `measured`): query count, slowest SQL and its plan."""
    clients: dict[str, Client] = {}
    report: dict[str, Any] = {}
    for request in requests:
        if request.user not in clients:
            client = Client()
            client.force_login(User.objects.get(username=request.user))
            clients[request.user] = client
        path = measured[request.name]["path"]
        clients[request.user].get(path)  # warm
        with CaptureQueriesContext(connection) as captured:
            response = clients[request.user].get(path)
        if response.status_code != 200:
            report[request.name] = {"error": response.status_code}
            continue
        queries = [q for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
        slowest = max(queries, key=lambda q: float(q["time"]))
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
            plan = [row[0] for row in cursor.fetchall()]
        report[request.name] = {
            "queries": len(captured.captured_queries),
            "slowest_ms": round(float(slowest["time"]) * 1000, 2),
            "sql": slowest["sql"],
            "plan": plan,
        }
    return report
