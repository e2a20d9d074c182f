"""Database preparation (the same steps `manage.py load_demo --orders 0` takes) and per-request query counts."""

from __future__ import annotations

import json
import random
from typing import Any

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lianxin.bench.corpus import appeals, create_payload
from lianxin.core import reference_data
from lianxin.core.demo_users import DEMO_PASSWORD, ensure_demo_users
from lianxin.orders.deadline_rules import DEFAULT_RULES
from lianxin.orders.models import DeadlineRuleSet


def prepare_database() -> dict[str, int]:
    """Migrate, then load reference data, the deadline rules and one demo user per role; idempotent."""
    call_command("migrate", interactive=False, verbosity=0)
    counts = reference_data.load()
    DeadlineRuleSet.objects.get_or_create(
        version=1, defaults={"name": "舟山市默认时限规则", "rules": DEFAULT_RULES, "is_current": True}
    )
    counts["users"] = len(ensure_demo_users())
    return counts


def _shape(sql: str) -> str:
    """A query without its values, so the report says which queries a request runs."""
    head = sql.split(" WHERE ")[0]
    return head if len(head) <= 160 else head[:120] + " … " + head[-30:]


def count_queries(analyze: bool, repeats: int = 3) -> dict[str, Any]:
    """Queries one POST /api/v1/orders runs (token auth, validation, create, response), in-process."""
    client = Client()
    token = client.post(
        "/api/v1/auth/token",
        {"username": "calltaker", "password": DEMO_PASSWORD},
        content_type="application/json",
    ).json()["token"]
    rng = random.Random(5)
    counts: list[int] = []
    shapes: list[str] = []
    for index in range(repeats):
        body = create_payload(appeals()[index], rng, analyze=analyze)
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                "/api/v1/orders",
                json.dumps(body, ensure_ascii=False),
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Token {token}",
                HTTP_IDEMPOTENCY_KEY=f"bench-queries-{analyze}-{index}-{rng.random()}",
            )
        if response.status_code != 201:
            raise RuntimeError(f"create failed: {response.status_code} {response.content[:300]!r}")
        counts.append(len(captured.captured_queries))
        shapes = [_shape(q["sql"]) for q in captured.captured_queries]
    return {"analyze": analyze, "queries": counts[-1], "per_run": counts, "statements": shapes}
