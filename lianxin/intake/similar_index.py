"""The database implementation of the similar-order index (same plan as similar.InMemorySimilarIndex).

1. candidates: orders sharing LSH band keys with the query (stop-bands skipped), plus the same
   appellant's orders of the last year;
2. their stored signatures and metadata are scored with similar.score_candidate;
3. the best k come back, near-duplicates first.

Writing: `index_order` on each new order, `index_pending` for orders not yet indexed (batched), and
`rebuild` for the whole index (on PostgreSQL: fresh tables loaded with COPY and swapped in).
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import re
import struct
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.pool import AsyncResult
from typing import Any

import numpy as np
from django.db import OperationalError, connection, transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from lianxin.intake import similar
from lianxin.intake.models import SimilarityBand, SimilarityEntry, StopBand
from lianxin.intake.similar import batch
from lianxin.intake.similar.index import APPELLANT_WINDOW, MAX_POSTINGS_PER_KEY, with_text_place
from lianxin.intake.similar.scoring import score_meta
from lianxin.orders.models import Order

logger = logging.getLogger(__name__)

# Measured at 1M orders: 50 finds the original as often as 200 and scores four times fewer signatures.
CANDIDATE_LIMIT = 50
APPELLANT_LIMIT = 50
# Stop bands change when the nightly job recounts them; a web process need not ask for every query.
STOP_BANDS_TTL = 300.0
CHUNK = 2000

ENTRY_COLUMNS = (
    "order_id", "scheme", "signature", "town_code", "community_code", "text_place", "appellant_hash", "received_at",
)  # fmt: skip
# (order id, text, town code, community code, appellant key, received_at): what indexing reads of an order.
ORDER_FIELDS = ("pk", "text", "town__code", "community__code", "appellant_key", "received_at")
OrderRow = tuple[int, str, str | None, str | None, str, dt.datetime]


@dataclass(frozen=True)
class Query:
    text: str
    town_code: str = ""
    community_code: str = ""
    appellant_hash: str = ""
    received_at: dt.datetime | None = None


# --- writing ---------------------------------------------------------------------------------------------


def _meta_of(order: Order) -> similar.OrderMeta:
    return similar.OrderMeta(
        community_code=order.community.code if order.community else None,
        town_code=order.town.code if order.town else None,
        appellant_hash=order.appellant_key or None,
        received_at=order.received_at,
    )


def index_order(order: Order, *, new: bool = False) -> None:
    """Add or refresh one order; safe to run twice. `new` skips the clean-up a fresh order cannot need."""
    sig = similar.signature(order.text)
    meta = with_text_place(_meta_of(order), order.text)
    with transaction.atomic():
        if new and not SimilarityEntry.objects.filter(order=order).exists():
            SimilarityEntry.objects.create(order=order, **_entry_values(sig, meta, order))
            SimilarityBand.objects.bulk_create(SimilarityBand(band_key=k, order=order) for k in similar.band_keys(sig))
            return
        SimilarityEntry.objects.update_or_create(order=order, defaults=_entry_values(sig, meta, order))
        SimilarityBand.objects.filter(order=order).delete()
        SimilarityBand.objects.bulk_create(SimilarityBand(band_key=k, order=order) for k in similar.band_keys(sig))


def _entry_values(sig: similar.Signature, meta: similar.OrderMeta, order: Order) -> dict[str, object]:
    return {
        "scheme": similar.SCHEME,
        "signature": similar.signature_to_bytes(sig),
        "town_code": meta.town_code or "",
        "community_code": meta.community_code or "",
        "text_place": meta.text_place or "",
        "appellant_hash": meta.appellant_hash or "",
        "received_at": order.received_at,
    }


def _entries(rows: Sequence[OrderRow], computed: batch.IndexRows) -> list[tuple[Any, ...]]:
    scheme = str(similar.SCHEME)
    return [
        (r[0], scheme, computed.signatures[i], r[2] or "", r[3] or "", computed.places[i], r[4] or "", r[5])
        for i, r in enumerate(rows)
    ]


def _bands(computed: batch.IndexRows) -> tuple[np.ndarray, np.ndarray]:
    """(band keys, order ids) as flat int64 arrays; orders with an empty text have no bands."""
    keep = computed.counts > 0
    ids = np.asarray(computed.order_ids, dtype=np.int64)[keep]
    keys = computed.keys[keep].reshape(-1)
    return keys, np.repeat(ids, similar.BANDS)


def _insert(rows: Sequence[OrderRow], computed: batch.IndexRows, entry_table: str, band_table: str) -> None:
    """Plain INSERTs (any backend): for the incremental paths, where the tables keep their indexes."""
    qn = connection.ops.quote_name
    received = SimilarityEntry._meta.get_field("received_at")
    entries = [(*e[:-1], received.get_db_prep_save(e[-1], connection)) for e in _entries(rows, computed)]
    keys, ids = _bands(computed)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {qn(entry_table)} ({', '.join(ENTRY_COLUMNS)}) VALUES ({', '.join(['%s'] * 8)})", entries
        )
        cursor.executemany(
            f"INSERT INTO {qn(band_table)} (band_key, order_id) VALUES (%s, %s)",
            list(zip(keys.tolist(), ids.tolist(), strict=True)),
        )


def _write(rows: Sequence[OrderRow]) -> int:
    """Replace the index rows of these orders."""
    if not rows:
        return 0
    computed = batch.compute([(r[0], r[1]) for r in rows])
    ids = [r[0] for r in rows]
    with transaction.atomic():
        SimilarityBand.objects.filter(order_id__in=ids).delete()
        SimilarityEntry.objects.filter(order_id__in=ids).delete()
        _insert(rows, computed, SimilarityEntry._meta.db_table, SimilarityBand._meta.db_table)
    return len(rows)


def index_orders(orders: Iterable[Order], batch_size: int = CHUNK) -> int:
    """(Re)index these orders, a batch at a time; safe to run twice."""
    count = 0
    rows: list[OrderRow] = []
    for order in orders:
        rows.append(
            (
                order.pk,
                order.text,
                order.town.code if order.town else None,
                order.community.code if order.community else None,
                order.appellant_key,
                order.received_at,
            )
        )
        if len(rows) >= batch_size:
            count += _write(rows)
            rows.clear()
    return count + _write(rows)


def _pending_orders() -> Any:
    # NOT EXISTS plans as an anti-join; NOT IN (subquery) degenerates on millions of rows in PostgreSQL.
    return Order.objects.filter(~Exists(SimilarityEntry.objects.filter(order_id=OuterRef("pk"))))


def count_pending() -> int:
    return int(_pending_orders().count())


def index_pending(batch_size: int = CHUNK) -> int:
    """Index the orders that have no index entry yet (e.g. created while indexing failed)."""
    count = 0
    last = 0
    while True:
        rows: list[OrderRow] = list(
            _pending_orders().filter(pk__gt=last).order_by("pk").values_list(*ORDER_FIELDS)[:batch_size]
        )
        if not rows:
            return count
        count += _write(rows)
        last = rows[-1][0]


def refresh_stop_bands(threshold: int | None = None) -> int:
    """Recount over-common band keys (a background job: one GROUP BY over the whole band table)."""
    if threshold is None:
        threshold = MAX_POSTINGS_PER_KEY
    common = (
        SimilarityBand.objects.values("band_key")
        .annotate(n=Count("order_id"))
        .filter(n__gt=threshold)
        .values_list("band_key", "n")
    )
    rows = [StopBand(band_key=k, postings=n) for k, n in common]
    with transaction.atomic():
        StopBand.objects.all().delete()
        StopBand.objects.bulk_create(rows)
    forget_stop_bands()
    return len(rows)


# --- rebuilding the whole index ----------------------------------------------------------------------------


@dataclass
class RebuildResult:
    orders: int = 0
    band_rows: int = 0
    stop_bands: int = 0
    caught_up: int = 0  # orders created during the rebuild, indexed while the tables were swapped
    compute_s: float = 0.0  # summed over worker processes
    timings: dict[str, float] = field(default_factory=dict)


def _order_chunks(chunk: int, after: int = 0) -> Iterator[list[OrderRow]]:
    """Every order in id order, by keyset pages: no cursor stays open while the COPYs use the connection."""
    last = after
    while True:
        rows: list[OrderRow] = list(Order.objects.filter(pk__gt=last).order_by("pk").values_list(*ORDER_FIELDS)[:chunk])
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _computed(chunks: Iterator[list[OrderRow]], jobs: int) -> Iterator[tuple[list[OrderRow], batch.IndexRows, float]]:
    """Compute chunks in `jobs` worker processes, in order, a few chunks ahead of the writer."""
    if jobs <= 1:
        for rows in chunks:
            yield rows, *batch.compute_timed([(r[0], r[1]) for r in rows])
        return
    # spawn: the task lives in a module without Django, and the workers must not share this
    # process's database connection.
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        ahead: deque[tuple[list[OrderRow], AsyncResult[tuple[batch.IndexRows, float]]]] = deque()
        for rows in chunks:
            ahead.append((rows, pool.apply_async(batch.compute_timed, ([(r[0], r[1]) for r in rows],))))
            while len(ahead) > 2 * jobs or (ahead and ahead[0][1].ready()):
                done, pending = ahead.popleft()
                yield done, *pending.get()
        while ahead:
            done, pending = ahead.popleft()
            yield done, *pending.get()


def rebuild(
    jobs: int = 1,
    chunk: int = CHUNK,
    progress: Callable[[int], None] | None = None,
    maintenance_work_mem: str = "1GB",
) -> RebuildResult:
    """Recompute the whole index from the orders, replacing it at once; safe while the app runs.

    On PostgreSQL the index is built in fresh tables (COPY, then their indexes) and swapped in under
    a short exclusive lock, so suggestions keep using the old index meanwhile and a failure leaves it
    untouched. Elsewhere it is rewritten in place in one transaction.
    """
    if connection.vendor == "postgresql":
        result = _rebuild_postgresql(jobs, chunk, progress, maintenance_work_mem)
    else:
        result = _rebuild_in_place(jobs, chunk, progress)
    forget_stop_bands()
    return result


def _rebuild_in_place(jobs: int, chunk: int, progress: Callable[[int], None] | None) -> RebuildResult:
    result = RebuildResult()
    started = time.perf_counter()
    entry_table, band_table = SimilarityEntry._meta.db_table, SimilarityBand._meta.db_table
    with transaction.atomic():
        SimilarityBand.objects.all().delete()
        SimilarityEntry.objects.all().delete()
        for rows, computed, cpu in _computed(_order_chunks(chunk), jobs):
            _insert(rows, computed, entry_table, band_table)
            result.orders += len(rows)
            result.band_rows += int((computed.counts > 0).sum()) * similar.BANDS
            result.compute_s += cpu
            if progress:
                progress(result.orders)
        result.timings["load_s"] = time.perf_counter() - started
        result.stop_bands = refresh_stop_bands()
    result.timings["total_s"] = time.perf_counter() - started
    return result


# One binary COPY tuple of intake_similarityband (id bigint, band_key bigint, order_id bigint).
_BAND_ROW = np.dtype(
    [("n", ">i2"), ("l1", ">i4"), ("id", ">i8"), ("l2", ">i4"), ("key", ">i8"), ("l3", ">i4"), ("order", ">i8")]
)
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
_COPY_TRAILER = struct.pack(">h", -1)
_INDEX_DEF = re.compile(r"^CREATE (UNIQUE )?INDEX (\S+) ON (ONLY )?(\S+) ")


def _band_copy(keys: np.ndarray, ids: np.ndarray, first_id: int) -> bytes:
    out = np.zeros(len(keys), dtype=_BAND_ROW)
    out["n"] = 3
    out["l1"] = out["l2"] = out["l3"] = 8
    out["id"] = np.arange(first_id, first_id + len(keys), dtype=np.int64)
    out["key"] = keys
    out["order"] = ids
    return _COPY_HEADER + out.tobytes() + _COPY_TRAILER


@dataclass
class _Shadow:
    """A table being rebuilt beside the live one, and what has to be carried over to it."""

    live: str
    new: str
    indexes: list[tuple[str, str]]  # (live name, statement creating it on the new table under a temporary name)
    renames: list[tuple[str, str]]  # (temporary name, live name): indexes and constraint-backed indexes
    foreign_keys: list[tuple[str, str]]  # (name, definition)
    sequence: tuple[str, str] | None  # (identity column, its sequence's name)


def _shadow(cursor: Any, live: str) -> _Shadow:
    qn = connection.ops.quote_name
    new = f"{live}_rebuild"
    cursor.execute(
        """
        SELECT ic.relname, pg_get_indexdef(i.indexrelid), con.conname, pg_get_constraintdef(con.oid)
        FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
        LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid
        WHERE i.indrelid = %s::regclass ORDER BY ic.relname
        """,
        [live],
    )
    indexes: list[tuple[str, str]] = []
    renames: list[tuple[str, str]] = []
    for n, (name, indexdef, constraint, constraint_def) in enumerate(cursor.fetchall()):
        temporary = f"{new}_{n}"
        if constraint:
            statement = f"ALTER TABLE {qn(new)} ADD CONSTRAINT {qn(temporary)} {constraint_def}"
        else:
            match = _INDEX_DEF.match(indexdef)
            if match is None:
                raise RuntimeError(f"cannot carry index {name} over to the rebuilt table: {indexdef}")
            statement = f"CREATE {match.group(1) or ''}INDEX {qn(temporary)} ON {qn(new)} {indexdef[match.end() :]}"
        indexes.append((name, statement))
        renames.append((temporary, name))
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'",
        [live],
    )
    foreign_keys = [(str(a), str(b)) for a, b in cursor.fetchall()]
    cursor.execute(
        "SELECT a.attname, s.relname FROM pg_attribute a "
        "JOIN pg_class s ON s.oid = pg_get_serial_sequence(%s, a.attname)::regclass "
        "WHERE a.attrelid = %s::regclass AND a.attidentity <> '' AND NOT a.attisdropped",
        [qn(live), live],
    )
    found = cursor.fetchone()
    return _Shadow(live, new, indexes, renames, foreign_keys, (str(found[0]), str(found[1])) if found else None)


def _rebuild_postgresql(
    jobs: int, chunk: int, progress: Callable[[int], None] | None, maintenance_work_mem: str
) -> RebuildResult:
    qn = connection.ops.quote_name
    result = RebuildResult()
    started = time.perf_counter()
    entry_table, band_table = SimilarityEntry._meta.db_table, SimilarityBand._meta.db_table
    last_id = 0
    # One transaction: the new tables are invisible to others until the swap commits, a failure
    # leaves nothing behind, and COPY FREEZE (allowed into a table created in the same transaction)
    # writes the rows frozen and all-visible, so index-only scans work without a VACUUM first.
    with transaction.atomic(), connection.cursor() as cursor:
        entry, band = _shadow(cursor, entry_table), _shadow(cursor, band_table)
        for shadow in (entry, band):
            cursor.execute(f"CREATE TABLE {qn(shadow.new)} (LIKE {qn(shadow.live)} INCLUDING ALL EXCLUDING INDEXES)")
        raw = cursor.cursor  # psycopg's own cursor under Django's wrapper, for COPY
        band_columns = f"{qn(SimilarityBand._meta.pk.column)}, band_key, order_id"
        next_band_id = 1
        for rows, computed, cpu in _computed(_order_chunks(chunk), jobs):
            keys, ids = _bands(computed)
            with raw.copy(f"COPY {qn(band.new)} ({band_columns}) FROM STDIN WITH (FORMAT binary, FREEZE)") as cp:
                cp.write(_band_copy(keys, ids, next_band_id))
            next_band_id += len(keys)
            with raw.copy(f"COPY {qn(entry.new)} ({', '.join(ENTRY_COLUMNS)}) FROM STDIN WITH (FREEZE)") as cp:
                for values in _entries(rows, computed):
                    cp.write_row(values)
            result.orders += len(rows)
            result.band_rows += len(keys)
            result.compute_s += cpu
            last_id = rows[-1][0]
            if progress:
                progress(result.orders)
        result.timings["compute_and_copy_s"] = time.perf_counter() - started
        if band.sequence:  # ids were given in the COPY; rows inserted later take the next ones
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, %s), %s, false)",
                [qn(band.new), band.sequence[0], next_band_id],
            )

        step = time.perf_counter()
        cursor.execute("SELECT set_config('maintenance_work_mem', %s, true)", [maintenance_work_mem])
        for shadow in (band, entry):
            for _name, statement in shadow.indexes:
                cursor.execute(statement)
            cursor.execute(f"ANALYZE {qn(shadow.new)}")
        result.timings["indexes_and_analyze_s"] = time.perf_counter() - step

        step = time.perf_counter()
        cursor.execute(f"DELETE FROM {qn(StopBand._meta.db_table)}")
        cursor.execute(
            f"INSERT INTO {qn(StopBand._meta.db_table)} (band_key, postings) "
            f"SELECT band_key, count(*) FROM {qn(band.new)} GROUP BY band_key HAVING count(*) > %s",
            [MAX_POSTINGS_PER_KEY],
        )
        result.stop_bands = cursor.rowcount
        result.timings["stop_bands_s"] = time.perf_counter() - step

        step = time.perf_counter()
        _lock_live_tables(cursor, entry_table, band_table)
        result.timings["lock_wait_s"] = time.perf_counter() - step
        step = time.perf_counter()
        # Orders created since they were read were indexed into the live tables; index them again here.
        for rows in _order_chunks(chunk, after=last_id):
            computed = batch.compute([(r[0], r[1]) for r in rows])
            _insert(rows, computed, entry.new, band.new)
            result.caught_up += len(rows)
        # Deferred foreign-key checks of rows written earlier in an enclosing transaction would keep
        # the live tables from being dropped: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for shadow in (band, entry):
            cursor.execute(f"DROP TABLE {qn(shadow.live)}")
            cursor.execute(f"ALTER TABLE {qn(shadow.new)} RENAME TO {qn(shadow.live)}")
            for temporary, name in shadow.renames:
                cursor.execute(f"ALTER INDEX {qn(temporary)} RENAME TO {qn(name)}")
            if shadow.sequence:  # the live one went with its table; the new one takes its name
                column, sequence = shadow.sequence
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [qn(shadow.live), column])
                cursor.execute(f"ALTER SEQUENCE {cursor.fetchone()[0]} RENAME TO {qn(sequence)}")
        result.timings["swap_s"] = time.perf_counter() - step

    step = time.perf_counter()
    _restore_foreign_keys(entry, band)
    result.timings["foreign_keys_s"] = time.perf_counter() - step
    step = time.perf_counter()
    # Orders committed late with an id below the last one read (concurrent transactions).
    result.caught_up += index_pending(chunk)
    result.timings["pending_s"] = time.perf_counter() - step
    result.timings["total_s"] = time.perf_counter() - started
    return result


def _lock(cursor: Any, statement: str, attempts: int = 30) -> None:
    """Take a lock without queueing every reader behind a long wait (or deadlocking): short tries, retried."""
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                cursor.execute("SET LOCAL lock_timeout = '2s'")
                cursor.execute(statement)
                cursor.execute("SET LOCAL lock_timeout TO DEFAULT")
            return
        except OperationalError:  # lock timeout or deadlock: rolled back to the savepoint, nothing held
            if attempt == attempts - 1:
                raise
            logger.info("similar index rebuild: tables busy, retrying %r", statement)
            time.sleep(1.0)


def _lock_live_tables(cursor: Any, entry_table: str, band_table: str) -> None:
    qn = connection.ops.quote_name
    _lock(cursor, f"LOCK TABLE {qn(entry_table)}, {qn(band_table)} IN ACCESS EXCLUSIVE MODE")


def _restore_foreign_keys(entry: _Shadow, band: _Shadow) -> None:
    """Add the swapped-in tables' foreign keys to orders, then check them without blocking anyone.

    Not inside the swap: adding a foreign key locks orders_order against writes, and a request that
    wrote an order and then waits for the similar index would deadlock with the swap.
    """
    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(
            cursor,
            f"LOCK TABLE {qn(Order._meta.db_table)}, {qn(entry.live)}, {qn(band.live)} IN SHARE ROW EXCLUSIVE MODE",
        )
        # Orders deleted during the rebuild took their rows from the old tables only.
        cursor.execute(
            f"DELETE FROM {qn(entry.live)} e WHERE NOT EXISTS (SELECT 1 FROM {qn(Order._meta.db_table)} o "
            "WHERE o.id = e.order_id) RETURNING e.order_id"
        )
        gone = [r[0] for r in cursor.fetchall()]
        if gone:
            cursor.execute(f"DELETE FROM {qn(band.live)} WHERE order_id = ANY(%s)", [gone])
        for shadow in (entry, band):
            for name, definition in shadow.foreign_keys:
                # NOT VALID is instant; VALIDATE below reads every row under a lock that blocks no one.
                cursor.execute(f"ALTER TABLE {qn(shadow.live)} ADD CONSTRAINT {qn(name)} {definition} NOT VALID")
    with connection.cursor() as cursor:
        for shadow in (entry, band):
            for name, _definition in shadow.foreign_keys:
                cursor.execute(f"ALTER TABLE {qn(shadow.live)} VALIDATE CONSTRAINT {qn(name)}")


# --- querying ---------------------------------------------------------------------------------------------

_stop_bands: tuple[float, frozenset[int]] = (-1e9, frozenset())


def stop_bands() -> frozenset[int]:
    global _stop_bands
    loaded_at, keys = _stop_bands
    if time.monotonic() - loaded_at > STOP_BANDS_TTL:
        keys = frozenset(StopBand.objects.values_list("band_key", flat=True))
        _stop_bands = (time.monotonic(), keys)
    return keys


def forget_stop_bands() -> None:
    global _stop_bands
    _stop_bands = (-1e9, frozenset())


def candidates_sql(keys: Sequence[int], appellant_hash: str, since: dt.datetime) -> tuple[str, list[Any]]:
    """The stored rows of the orders sharing the most band keys with the query and of the appellant's latest.

    One statement, so that the candidates and their rows come back in a single round trip; each
    limited part sits in a derived table, which SQLite also accepts inside a UNION. Plain SQL: the
    ORM would spend more CPU building it than the database spends running it.
    """
    qn = connection.ops.quote_name
    band, entry = qn(SimilarityBand._meta.db_table), qn(SimilarityEntry._meta.db_table)
    parts: list[str] = []
    params: list[Any] = []
    if keys:
        parts.append(
            f"SELECT c.order_id FROM (SELECT order_id FROM {band} WHERE band_key IN ({', '.join(['%s'] * len(keys))}) "
            "GROUP BY order_id ORDER BY COUNT(*) DESC, order_id DESC LIMIT %s) c"
        )
        params += [*keys, CANDIDATE_LIMIT]
    if appellant_hash:
        parts.append(
            f"SELECT a.order_id FROM (SELECT order_id FROM {entry} WHERE appellant_hash = %s AND received_at >= %s "
            "ORDER BY received_at DESC LIMIT %s) a"
        )
        params += [appellant_hash, connection.ops.adapt_datetimefield_value(since), APPELLANT_LIMIT]
    sql = (
        "SELECT order_id, signature, community_code, town_code, appellant_hash, received_at, text_place "
        f"FROM {entry} WHERE scheme = %s AND order_id IN ({' UNION '.join(parts)})"
    )
    return sql, [str(similar.SCHEME), *params]


def _datetime_from_db(value: Any) -> dt.datetime:
    """What the ORM would make of a raw datetime column: PostgreSQL gives aware datetimes, SQLite naive UTC."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value
    column = SimilarityEntry._meta.get_field("received_at").get_col(SimilarityEntry._meta.db_table)
    for converter in connection.ops.get_db_converters(column):
        value = converter(value, column, connection)
    return value  # type: ignore[no-any-return]


def query(q: Query, k: int = 10, exclude: int | None = None) -> list[similar.Match]:
    sig = similar.signature(q.text)
    stop = stop_bands()
    keys = [key for key in dict.fromkeys(similar.band_keys(sig)) if key not in stop]
    received = q.received_at or timezone.now()
    if not keys and not q.appellant_hash:
        return []
    with connection.cursor() as cursor:
        cursor.execute(*candidates_sql(keys, q.appellant_hash, received - APPELLANT_WINDOW))
        rows = [r for r in cursor.fetchall() if r[0] != exclude]
    if not rows:
        return []
    values, counts = batch.signatures_from_bytes_batch([bytes(r[1]) for r in rows])
    sims = batch.similarities(sig, values, counts).tolist()
    meta = with_text_place(
        similar.OrderMeta(
            community_code=q.community_code or None,
            town_code=q.town_code or None,
            appellant_hash=q.appellant_hash or None,
            received_at=received,
        ),
        q.text,
    )
    matches = []
    for (order_id, _sig, community, town, appellant, received_at, place), sim in zip(rows, sims, strict=True):
        same_appellant = bool(q.appellant_hash) and appellant == q.appellant_hash
        if sim < 0.1 and not same_appellant:  # unrelated but for a few shared shingles
            continue
        stored = similar.OrderMeta(
            community_code=community or None,
            town_code=town or None,
            appellant_hash=appellant or None,
            received_at=_datetime_from_db(received_at),
            text_place=place or None,
        )
        s = score_meta(meta, stored, sim)
        matches.append(similar.Match(order_id, s.score, s.text_similarity, s.reasons, s.is_near_duplicate))
    matches.sort(key=lambda m: (not m.is_near_duplicate, -m.score, m.order_id))
    return matches[:k]
