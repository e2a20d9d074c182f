"""Bulk-load synthetic orders with INSERT … SELECT generate_series: a million orders in about a minute.

Distributions (documented in docs/benchmarks.md): channels, appeal types and urgency as in a city
hotline; categories skewed (a few categories carry most orders); towns and their districts from the
loaded reference data; received_at spread evenly over the last three years with ids rising with time;
statuses by age (old orders are finished, recent ones are in every open state); a lead unit and an
Assignment (with unit_path) for every dispatched order, a co-unit for some, a withdrawn one for
returned orders; a few timeline events per order.
"""

from __future__ import annotations

import random
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from lianxin.bench.corpus import SURNAMES, appeals
from lianxin.core.models import Category, Organisation, OrgKind, User

ORDER_TABLES = ("orders_orderevent", "orders_assignment", "orders_order")

CHANNEL_WEIGHTS = {
    "hotline": 52, "web": 20, "grid": 8, "visit": 3, "petition_letter": 2, "petition_visit": 1,
    "petition_online": 4, "open311": 3, "partner": 5, "excel": 2,
}  # fmt: skip
APPEAL_TYPE_WEIGHTS = {
    "complaint": 36, "consult": 24, "help": 22, "report": 7, "suggestion": 6, "praise": 2, "other": 3,
}  # fmt: skip
URGENCY_WEIGHTS = {"normal": 92, "urgent": 7, "emergency": 1}


def weighted_slots(weights: Mapping[Any, float], slots: int = 1000) -> list[Any]:
    """A list in which each value appears in proportion to its weight: pick one uniformly."""
    total = sum(weights.values())
    out: list[Any] = []
    for value, weight in weights.items():
        out += [value] * max(1, round(weight / total * slots))
    return out


@dataclass
class Lookups:
    channels: list[str]
    appeal_types: list[str]
    urgencies: list[str]
    cat_ids: list[int]
    cat_units: list[int]  # unit id, 0 for the order's town, -1 for its district
    town_ids: list[int]
    town_districts: list[int]
    co_units: list[int]
    texts: list[str]
    names: list[str]
    calltaker: int
    dispatcher: int
    hotline: int
    zjj_categories: int


def lookups(seed: int = 2026, zjj_boost: float = 1.6) -> Lookups:
    rng = random.Random(seed)
    units = {o.code: o.pk for o in Organisation.objects.filter(kind__in=[OrgKind.DEPARTMENT, OrgKind.UTILITY])}
    zjj = units.get("dept-zjj")
    leaves = list(Category.objects.filter(level=3, is_active=True).order_by("code"))
    rng.shuffle(leaves)
    # Zipf-like: the first categories carry most orders (物业, 噪声, 路灯 … in a real hotline).
    cat_weights: dict[int, float] = {}
    cat_unit: dict[int, int] = {}
    for rank, cat in enumerate(leaves, start=1):
        unit = cat.default_unit_id or (0 if cat.territorial == "@town" else -1 if cat.territorial else 0)
        cat_unit[cat.pk] = unit
        boost = zjj_boost if unit == zjj else 1.0
        cat_weights[cat.pk] = boost / rank**0.7
    cat_slots = weighted_slots(cat_weights, 4000)
    towns = list(Organisation.objects.filter(kind=OrgKind.TOWN).order_by("code"))
    town_weights = {t.pk: rng.uniform(1, 6) for t in towns}
    town_slots = weighted_slots(town_weights, 1000)
    district_of = {t.pk: t.parent_id for t in towns}
    users = {u.username: u for u in User.objects.filter(username__in=["calltaker", "dispatcher"])}
    texts = [a.text for a in appeals()]
    rng.shuffle(texts)
    return Lookups(
        channels=weighted_slots(CHANNEL_WEIGHTS),
        appeal_types=weighted_slots(APPEAL_TYPE_WEIGHTS),
        urgencies=weighted_slots(URGENCY_WEIGHTS),
        cat_ids=cat_slots,
        cat_units=[cat_unit[c] for c in cat_slots],
        town_ids=town_slots,
        town_districts=[district_of[t] or 0 for t in town_slots],
        co_units=sorted(units.values()),
        texts=texts[:800],
        names=[s + g for s in SURNAMES for g in ("先生", "女士", "建国", "丽娟", "志强", "秀英")],
        calltaker=users["calltaker"].pk,
        dispatcher=users["dispatcher"].pk,
        hotline=Organisation.objects.get(code="hotline-center").pk,
        zjj_categories=sum(1 for c in leaves if cat_unit[c.pk] == zjj),
    )


ORDER_COLUMNS = """
    id, number, verify_code, idempotency_key, created_by_id, channel, appeal_type, petition_kind, urgency,
    category_id, status, title, text, summary, tags, appellant_name, appellant_phones, appellant_id_number,
    appellant_key, is_anonymous, is_confidential, reported_unit_id, district_id, town_id, community_id, address,
    latitude, longitude, lead_unit_id, parent_id, received_at, dispatched_at, signed_at, replied_at, closed_at,
    accept_due, sign_due, reply_due, callback_due, deadline_exact, rule_version, was_overdue, sign_late,
    reminded_at, escalated_at, supervised, reply_text, contacted, solved, satisfaction, redo_count, return_count,
    extension_count, type_changed, is_repeat, ai_suggestions, ai_model_version, version, updated_at
"""

INSERT_ORDERS = f"""
INSERT INTO orders_order ({ORDER_COLUMNS})
SELECT
    a.id,
    'ZS' || to_char(a.recv AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || lpad(a.id::text, 8, '0'),
    lpad(floor(a.r9 * 1000000)::int::text, 6, '0'),
    NULL, %(calltaker)s, a.channel, a.appeal_type,
    CASE WHEN a.channel IN ('petition_letter', 'petition_visit', 'petition_online') THEN 'claim' ELSE '' END,
    a.urgency, a.category_id, b.status,
    left(a.text, 24), a.text, '', '[]'::jsonb,
    CASE WHEN a.anonymous THEN '' ELSE a.name END,
    jsonb_build_array(a.phone), '', md5(a.phone), a.anonymous, a.confidential, NULL,
    a.district_id, a.town_id, NULL, '', NULL, NULL,
    CASE WHEN c.dispatched_at IS NULL THEN NULL
         WHEN a.cat_unit = 0 THEN a.town_id WHEN a.cat_unit = -1 THEN a.district_id ELSE a.cat_unit END,
    NULL, a.recv, c.dispatched_at, d.signed_at, e.replied_at, f.closed_at,
    a.recv + interval '2 hours',
    c.dispatched_at + interval '1 day',
    c.dispatched_at + CASE a.urgency WHEN 'emergency' THEN interval '1 day' WHEN 'urgent' THEN interval '3 days'
                                     ELSE interval '10 days' END,
    e.replied_at + interval '3 days',
    true, 1,
    COALESCE(e.replied_at > c.dispatched_at + interval '10 days', false)
        OR (b.status IN ('handling', 'return_requested') AND now() > c.dispatched_at + interval '10 days'),
    COALESCE(d.signed_at > c.dispatched_at + interval '1 day', false),
    NULL, NULL, a.r10 < 0.01,
    CASE WHEN e.replied_at IS NULL THEN ''
         WHEN b.status = 'answered' THEN '已当场解答政策口径，市民表示清楚。'
         ELSE '经现场核查，已协调相关方处理完毕，并告知诉求人处理结果。' END,
    g.contacted,
    CASE WHEN g.contacted THEN a.r7 < 0.8 END,
    CASE WHEN NOT COALESCE(g.contacted, false) THEN '' WHEN a.r8 < 0.75 THEN 'satisfied'
         WHEN a.r8 < 0.9 THEN 'basically' ELSE 'unsatisfied' END,
    (b.status IN ('closed', 'called_back') AND a.r9 < 0.02)::int,
    (c.dispatched_at IS NOT NULL AND a.r1 < 0.04)::int,
    (d.signed_at IS NOT NULL AND a.r10 > 0.97)::int,
    false, false, '{{}}'::jsonb, '',
    1 + (c.dispatched_at IS NOT NULL)::int * 2 + (d.signed_at IS NOT NULL)::int + (e.replied_at IS NOT NULL)::int
      + (f.closed_at IS NOT NULL)::int,
    now()
FROM (
    SELECT
        x.*,
        (%(cat_ids)s::bigint[])[x.icat] AS category_id,
        (%(cat_units)s::bigint[])[x.icat] AS cat_unit,
        (%(town_ids)s::bigint[])[x.itown] AS town_id,
        (%(town_districts)s::bigint[])[x.itown] AS district_id,
        extract(epoch FROM now() - x.recv) / 86400.0 AS age_days,
        extract(epoch FROM now() - x.recv) / 86400.0 / (2 + 20 * x.r_stage) AS score
    FROM (
        SELECT
            %(base)s + g AS id,
            %(start)s::timestamptz + ((g - 1) + random()) * %(step_s)s * interval '1 second' AS recv,
            (%(channels)s::text[])[1 + floor(random() * %(n_channels)s)::int] AS channel,
            (%(appeal_types)s::text[])[1 + floor(random() * %(n_appeal_types)s)::int] AS appeal_type,
            (%(urgencies)s::text[])[1 + floor(random() * %(n_urgencies)s)::int] AS urgency,
            (%(texts)s::text[])[1 + floor(random() * %(n_texts)s)::int] AS text,
            (%(names)s::text[])[1 + floor(random() * %(n_names)s)::int] AS name,
            '1' || (ARRAY['3', '5', '7', '8'])[1 + floor(random() * 4)::int]
                || lpad(floor(random() * 1000000000)::bigint::text, 9, '0') AS phone,
            1 + floor(random() * %(n_cats)s)::int AS icat,
            1 + floor(random() * %(n_towns)s)::int AS itown,
            random() < 0.05 AS anonymous,
            random() < 0.03 AS confidential,
            random() AS r_answer, random() AS r_stage, random() AS r1, random() AS r2, random() AS r3,
            random() AS r4, random() AS r5, random() AS r6, random() AS r7, random() AS r8, random() AS r9,
            random() AS r10
        FROM generate_series(1, %(n)s) AS g
        OFFSET 0
    ) AS x
    OFFSET 0
) AS a
CROSS JOIN LATERAL (
    SELECT CASE
        WHEN a.r_answer < 0.28 THEN 'answered'
        WHEN a.age_days > 45 THEN
            CASE WHEN a.r_stage < 0.982 THEN 'closed' WHEN a.r_stage < 0.99 THEN 'called_back'
                 WHEN a.r_stage < 0.997 THEN 'replied' ELSE 'handling' END
        WHEN a.age_days < 0.1 THEN
            CASE WHEN a.r_stage < 0.3 THEN 'received' WHEN a.r_stage < 0.6 THEN 'awaiting_dispatch'
                 ELSE 'dispatched' END
        -- recent orders: the older, the further along; `score` spreads them over the open states
        WHEN a.score < 0.03 THEN 'awaiting_dispatch' WHEN a.score < 0.1 THEN 'dispatched'
        WHEN a.score < 0.65 THEN CASE WHEN a.r1 < 0.04 THEN 'return_requested' ELSE 'handling' END
        WHEN a.score < 0.8 THEN 'replied' WHEN a.score < 0.95 THEN 'called_back' ELSE 'closed'
    END AS status
    OFFSET 0
) AS b
CROSS JOIN LATERAL (
    SELECT CASE WHEN b.status IN ('received', 'awaiting_dispatch', 'answered') THEN NULL
                ELSE a.recv + least((0.3 + 5 * a.r2) * interval '1 hour', (now() - a.recv) * 0.2) END
           AS dispatched_at
    OFFSET 0
) AS c
CROSS JOIN LATERAL (
    SELECT CASE WHEN c.dispatched_at IS NULL OR b.status = 'dispatched'
                     OR (b.status = 'return_requested' AND a.r3 < 0.5) THEN NULL
                ELSE c.dispatched_at + least((0.2 + 12 * a.r3) * interval '1 hour', (now() - c.dispatched_at) * 0.3)
           END AS signed_at
    OFFSET 0
) AS d
CROSS JOIN LATERAL (
    SELECT CASE WHEN b.status = 'answered' THEN a.recv + (3 + 10 * a.r2) * interval '1 minute'
                WHEN b.status IN ('replied', 'called_back', 'closed') THEN
                    d.signed_at + least((1 + 9 * a.r4) * interval '1 day', (now() - d.signed_at) * 0.6)
           END AS replied_at
    OFFSET 0
) AS e
CROSS JOIN LATERAL (
    SELECT CASE WHEN b.status = 'answered' THEN e.replied_at
                WHEN b.status = 'closed' THEN
                    e.replied_at + least((1 + 2 * a.r5) * interval '1 day', (now() - e.replied_at) * 0.5)
           END AS closed_at
    OFFSET 0
) AS f
CROSS JOIN LATERAL (
    SELECT CASE WHEN b.status IN ('called_back', 'closed') AND c.dispatched_at IS NOT NULL THEN a.r6 < 0.92 END
           AS contacted
    OFFSET 0
) AS g
"""

INSERT_ASSIGNMENTS = """
INSERT INTO orders_assignment (order_id, unit_id, unit_path, role, state, dispatched_at, signed_at, replied_at,
                               reply_text)
SELECT o.id, u.id, u.path, x.role, x.state, x.at, x.signed_at, x.replied_at, ''
FROM orders_order o
CROSS JOIN LATERAL (VALUES
    -- the lead unit
    (o.lead_unit_id, 'lead',
     CASE WHEN o.replied_at IS NOT NULL THEN 'replied' WHEN o.signed_at IS NOT NULL THEN 'signed'
          ELSE 'dispatched' END,
     o.dispatched_at, o.signed_at, o.replied_at),
    -- a co-unit for about 8 %% of dispatched orders
    (CASE WHEN o.id %% 100 < 8 THEN (%(co_units)s::bigint[])[1 + (o.id * 7919) %% %(n_co)s] END, 'co',
     CASE WHEN o.replied_at IS NOT NULL THEN 'replied' WHEN o.signed_at IS NOT NULL THEN 'signed'
          ELSE 'dispatched' END,
     o.dispatched_at, o.signed_at, NULL::timestamptz),
    -- the unit that returned the order before it was redispatched
    (CASE WHEN o.return_count > 0 THEN (%(co_units)s::bigint[])[1 + (o.id * 104729) %% %(n_co)s] END, 'lead',
     'withdrawn', o.dispatched_at - interval '1 day', NULL::timestamptz, NULL::timestamptz)
) AS x(unit_id, role, state, at, signed_at, replied_at)
JOIN core_organisation u ON u.id = x.unit_id
WHERE o.lead_unit_id IS NOT NULL AND (x.unit_id <> o.lead_unit_id OR x.role = 'lead' AND x.state <> 'withdrawn')
"""

INSERT_EVENTS = """
INSERT INTO orders_orderevent (order_id, seq, kind, at, actor_id, actor_role, actor_unit_id, reason, old_status,
                               new_status, data, deadline, rule_version)
SELECT o.id, x.seq, x.kind, x.at, x.actor, x.role, x.unit, '', x.old, x.new, '{}'::jsonb, NULL, 1
FROM orders_order o
CROSS JOIN LATERAL (VALUES
    (1, 'created', o.received_at, %(calltaker)s, 'call_taker', %(hotline)s, '', 'received'),
    (2, 'answered', CASE WHEN o.status = 'answered' THEN o.closed_at END, %(calltaker)s, 'call_taker',
     %(hotline)s, 'received', 'answered'),
    (2, 'accepted', CASE WHEN o.status NOT IN ('received', 'answered') THEN o.received_at + interval '8 minutes'
                    END, %(calltaker)s, 'call_taker', %(hotline)s, 'received', 'awaiting_dispatch'),
    (3, 'dispatched', o.dispatched_at, %(dispatcher)s, 'dispatcher', %(hotline)s, 'awaiting_dispatch',
     'dispatched'),
    (4, 'signed', o.signed_at, NULL, 'handler', o.lead_unit_id, 'dispatched', 'handling'),
    (5, 'replied', CASE WHEN o.status <> 'answered' THEN o.replied_at END, NULL, 'handler', o.lead_unit_id,
     'handling', 'replied'),
    (6, 'closed', CASE WHEN o.status <> 'answered' THEN o.closed_at END, %(dispatcher)s, 'callback_agent',
     %(hotline)s, 'called_back', 'closed')
) AS x(seq, kind, at, actor, role, unit, old, new)
WHERE x.at IS NOT NULL
"""


def _secondary_indexes(tables: Sequence[str]) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of indexes that back no constraint: dropped during a load."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            ORDER BY i.indexname
            """,
            [list(tables)],
        )
        return [(str(name), str(definition)) for name, definition in cursor.fetchall()]


FLAG_REPEATS = """
UPDATE orders_order o SET is_repeat = true
FROM (
    SELECT id, received_at,
           lag(received_at) OVER (PARTITION BY appellant_key ORDER BY received_at, id) AS previous
    FROM orders_order WHERE appellant_key <> ''
) p
WHERE o.id = p.id AND p.previous >= p.received_at - interval '30 days'
"""


def order_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM orders_order")
        return int(cursor.fetchone()[0])  # type: ignore[index]


def truncate_orders() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE orders_orderevent, orders_assignment, orders_extensionrequest, orders_returnrequest, "
            "orders_order RESTART IDENTITY CASCADE"
        )


def load_orders(count: int, years: float = 3.0, events: bool = True, seed: float = 0.42) -> dict[str, Any]:
    """Replace every order with `count` synthetic ones; returns timings and the resulting shape."""
    look = lookups()
    timings: dict[str, float] = {}
    started = time.perf_counter()
    truncate_orders()
    indexes = _secondary_indexes(ORDER_TABLES)
    span_s = years * 365 * 86400
    params: dict[str, Any] = {
        "n": count,
        "base": 0,
        "step_s": span_s / max(count, 1),
        "channels": look.channels,
        "n_channels": len(look.channels),
        "appeal_types": look.appeal_types,
        "n_appeal_types": len(look.appeal_types),
        "urgencies": look.urgencies,
        "n_urgencies": len(look.urgencies),
        "texts": look.texts,
        "n_texts": len(look.texts),
        "names": look.names,
        "n_names": len(look.names),
        "cat_ids": look.cat_ids,
        "cat_units": look.cat_units,
        "n_cats": len(look.cat_ids),
        "town_ids": look.town_ids,
        "town_districts": look.town_districts,
        "n_towns": len(look.town_ids),
        "co_units": look.co_units,
        "n_co": len(look.co_units),
        "calltaker": look.calltaker,
        "dispatcher": look.dispatcher,
        "hotline": look.hotline,
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT now() - make_interval(secs => %s)", [span_s])
        params["start"] = cursor.fetchone()[0]  # type: ignore[index]
    # Dropped inside the load's transaction: a failed load rolls the drops back too.
    with transaction.atomic(), connection.cursor() as cursor:
        # The rows are consistent by construction: skip the deferred foreign-key triggers (bench DB only).
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("SELECT setseed(%s)", [seed])
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        step = time.perf_counter()
        cursor.execute(INSERT_ORDERS, params)
        timings["orders_s"] = time.perf_counter() - step
        step = time.perf_counter()
        cursor.execute(INSERT_ASSIGNMENTS, params)
        timings["assignments_s"] = time.perf_counter() - step
        if events:
            step = time.perf_counter()
            cursor.execute(INSERT_EVENTS, params)
            timings["events_s"] = time.perf_counter() - step
        step = time.perf_counter()
        for _name, definition in indexes:
            cursor.execute(definition)
        timings["indexes_s"] = time.perf_counter() - step
        step = time.perf_counter()
        cursor.execute(FLAG_REPEATS)  # as intake flags them: the same appellant within the 30 days before
        timings["repeat_flags_s"] = time.perf_counter() - step
        cursor.execute("SELECT setval(pg_get_serial_sequence('orders_order', 'id'), GREATEST(%s, 1))", [count])
    step = time.perf_counter()
    with connection.cursor() as cursor:
        for table in ORDER_TABLES:
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    timings["vacuum_analyze_s"] = time.perf_counter() - step
    timings["total_s"] = time.perf_counter() - started
    return {"orders": count, "timings": {k: round(v, 1) for k, v in timings.items()}, **dataset_shape()}


def dataset_shape() -> dict[str, Any]:
    """Counts that say whether the synthetic data looks like a city's: for the report."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT status, count(*) FROM orders_order GROUP BY 1 ORDER BY 2 DESC")
        statuses = dict(cursor.fetchall())
        cursor.execute("SELECT count(*) FROM orders_assignment")
        assignments = cursor.fetchone()[0]  # type: ignore[index]
        cursor.execute("SELECT count(*) FROM orders_orderevent")
        events = cursor.fetchone()[0]  # type: ignore[index]
        cursor.execute(
            """
            SELECT count(DISTINCT a.order_id) FROM orders_assignment a JOIN core_organisation u ON u.id = a.unit_id
            WHERE u.code = 'dept-zjj' AND a.state IN ('dispatched', 'signed', 'replied')
            """
        )
        zjj = cursor.fetchone()[0]  # type: ignore[index]
        cursor.execute(
            """
            SELECT count(*) FROM orders_order WHERE (status = 'dispatched' AND sign_due < now())
               OR (status IN ('handling', 'return_requested') AND reply_due < now())
            """
        )
        overdue = cursor.fetchone()[0]  # type: ignore[index]
        cursor.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('orders_order')), "
            "pg_size_pretty(pg_total_relation_size('orders_assignment')), "
            "pg_size_pretty(pg_total_relation_size('orders_orderevent'))"
        )
        sizes = cursor.fetchone()
    return {
        "statuses": statuses,
        "assignments": assignments,
        "events": events,
        "zjj_orders": zjj,
        "overdue_orders": overdue,
        "sizes": {"orders": sizes[0], "assignments": sizes[1], "events": sizes[2]} if sizes else {},
    }
