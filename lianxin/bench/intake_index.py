"""A bulk path for (re)building the similar-order index: batched MinHash and COPY into the two tables.

The per-order path (`similar_index.index_orders`) computes one signature with a dozen small numpy
calls, 32 `hashlib.blake2b` constructions and one Django model per band row, then inserts with
`bulk_create`. Here, for a batch of texts:

* normalisation and `place_hint` stay per text (regular expressions; identical results);
* the shingles of the whole batch are hashed, de-duplicated per text (one lexsort) and min-hashed in
  one (128 × shingles) array operation with `np.minimum.reduceat`;
* band keys hash the same bytes with pre-built `blake2b` states (`.copy()` is cheaper than a new one);
* entries go out as COPY text, bands as binary COPY built by numpy (26 bytes a row), while the
  band table's secondary indexes are dropped and rebuilt afterwards.

`check_equivalence` proves the signatures and band keys are byte-identical to `lianxin.intake.similar`.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import struct
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lianxin.intake import similar
from lianxin.intake.similar import minhash
from lianxin.intake.similar.normalize import normalize_for_compare, place_hint

SIG_BYTES = 5 + minhash.NUM_PERM * 4
_PROTO = [
    hashlib.blake2b(digest_size=8, person=struct.pack("<II", minhash.SCHEME, band)) for band in range(minhash.BANDS)
]
_BAND_WIDTH = minhash.ROWS * 4
_SUB_BATCH = 16
# One binary COPY tuple of (band_key bigint, order_id bigint).
BAND_ROW = np.dtype([("n", ">i2"), ("l1", ">i4"), ("key", ">i8"), ("l2", ">i4"), ("order", ">i8")])
COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
COPY_TRAILER = struct.pack(">h", -1)

# (order_id, text, town_code, community_code, appellant_hash, received_at as text)
Row = tuple[int, str, str, str, str, str]


def signatures_batch(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(values uint32 [n, NUM_PERM], n_shingles int64 [n]) — the same as `similar.signature` per text."""
    normalized = [normalize_for_compare(t) for t in texts]
    return signatures_from_normalized(normalized)


def signatures_from_normalized(normalized: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    n = len(normalized)
    values = np.full((n, minhash.NUM_PERM), 0xFFFFFFFF, dtype=np.uint32)
    counts = np.zeros(n, dtype=np.int64)
    batch_idx = [i for i, s in enumerate(normalized) if len(s) >= minhash.SHINGLE]
    for i, s in enumerate(normalized):  # 1–2 characters: padded, as minhash.shingles does
        if 0 < len(s) < minhash.SHINGLE:
            sig = minhash.signature_from_normalized(s)
            values[i], counts[i] = sig.values, sig.n_shingles
    if not batch_idx:
        return values, counts
    parts = [normalized[i] for i in batch_idx]
    lengths = np.fromiter((len(s) for s in parts), dtype=np.int64, count=len(parts))
    cp = np.frombuffer("".join(parts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    n_sh = lengths - (minhash.SHINGLE - 1)
    # Start positions of every 3-gram inside its own text.
    seg = np.repeat(np.arange(len(parts)), n_sh)
    offset_in_seg = np.arange(int(n_sh.sum())) - np.repeat(np.cumsum(n_sh) - n_sh, n_sh)
    pos = np.repeat(starts, n_sh) + offset_in_seg
    packed = (cp[pos] << np.uint64(42)) | (cp[pos + 1] << np.uint64(21)) | cp[pos + 2]
    h = minhash._mix(packed)
    order = np.lexsort((h, seg))
    h, seg = h[order], seg[order]
    keep = np.ones(len(h), dtype=bool)
    keep[1:] = (h[1:] != h[:-1]) | (seg[1:] != seg[:-1])
    h, seg = h[keep], seg[keep]
    uniq = np.bincount(seg, minlength=len(parts))
    seg_starts = np.concatenate([[0], np.cumsum(uniq)[:-1]])
    idx = np.asarray(batch_idx)
    counts[idx] = uniq
    ends = seg_starts + uniq
    # Sub-batches keep the (NUM_PERM × shingles) temporaries in cache; in-place ufuncs avoid copies.
    for lo in range(0, len(parts), _SUB_BATCH):
        hi = min(lo + _SUB_BATCH, len(parts))
        a, b = int(seg_starts[lo]), int(ends[hi - 1])
        hv = np.multiply(minhash._A[:, None], h[None, a:b])
        hv += minhash._B[:, None]
        hv >>= np.uint64(32)
        mins = np.minimum.reduceat(hv, seg_starts[lo:hi] - a, axis=1)  # [NUM_PERM, texts]
        values[idx[lo:hi]] = mins.T
    return values, counts


def band_keys_batch(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """int64 [n, BANDS]; rows of empty texts are meaningless (callers skip them by counts == 0)."""
    raw = values.astype("<u4").tobytes()
    per_text = minhash.NUM_PERM * 4
    digests = []
    for t in range(len(values)):
        base = t * per_text
        for band in range(minhash.BANDS):
            hasher = _PROTO[band].copy()
            hasher.update(raw[base + band * _BAND_WIDTH : base + (band + 1) * _BAND_WIDTH])
            digests.append(hasher.digest())
    return np.frombuffer(b"".join(digests), dtype="<i8").reshape(len(values), minhash.BANDS).astype(np.int64)


def _copy_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


@dataclass
class Chunk:
    entries: str  # COPY text lines for intake_similarityentry
    bands: bytes  # binary COPY tuples for intake_similarityband (no header)
    orders: int
    band_rows: int
    compute_s: float


def compute_chunk(rows: Sequence[Row]) -> Chunk:
    """Signatures, band keys and text places of one chunk, serialised for COPY."""
    started = time.perf_counter()
    texts = [r[1] for r in rows]
    values, counts = signatures_batch(texts)
    keys = band_keys_batch(values, counts)
    head = struct.pack("<B", minhash.SCHEME)
    lines = []
    band_orders = []
    band_keys = []
    for i, (order_id, text, town, community, appellant, received) in enumerate(rows):
        sig = head + struct.pack("<I", int(counts[i])) + values[i].astype("<u4").tobytes()
        place = place_hint(text) or ""
        lines.append(
            f"{order_id}\t{minhash.SCHEME}\t\\\\x{sig.hex()}\t{_copy_text(town)}\t{_copy_text(community)}\t"
            f"{_copy_text(place)}\t{_copy_text(appellant)}\t{received}\n"
        )
        if counts[i]:
            band_orders.append(np.full(minhash.BANDS, order_id, dtype=np.int64))
            band_keys.append(keys[i])
    band_rows = np.zeros(len(band_keys) * minhash.BANDS, dtype=BAND_ROW)
    if band_keys:
        band_rows["n"] = 2
        band_rows["l1"] = 8
        band_rows["l2"] = 8
        band_rows["key"] = np.concatenate(band_keys)
        band_rows["order"] = np.concatenate(band_orders)
    return Chunk("".join(lines), band_rows.tobytes(), len(rows), len(band_rows), time.perf_counter() - started)


def check_equivalence(texts: Sequence[str]) -> int:
    """Raise if the batch path differs from `lianxin.intake.similar` on any text; returns texts checked."""
    values, counts = signatures_batch(texts)
    keys = band_keys_batch(values, counts)
    for i, text in enumerate(texts):
        sig = similar.signature(text)
        if sig.n_shingles != counts[i] or not np.array_equal(sig.values, values[i]):
            raise AssertionError(f"signature differs for text {i}: {text[:40]!r}")
        if sig.n_shingles and similar.band_keys(sig) != [int(k) for k in keys[i]]:
            raise AssertionError(f"band keys differ for text {i}: {text[:40]!r}")
    return len(texts)


def per_text_throughput(texts: Sequence[str]) -> dict[str, float]:
    """What `index_orders` computes per order (signature, band keys, text place), one text at a time."""
    started = time.perf_counter()
    for text in texts:
        sig = similar.signature(text)
        similar.band_keys(sig)
        similar.signature_to_bytes(sig)
        place_hint(text)
    per_text = time.perf_counter() - started
    started = time.perf_counter()
    for i in range(0, len(texts), 500):
        compute_chunk([(i, t, "", "", "", "2026-01-01 00:00:00+08") for t in texts[i : i + 500]])
    batch = time.perf_counter() - started
    return {
        "texts": len(texts),
        "per_text_path_per_s": round(len(texts) / per_text),
        "batch_path_per_s": round(len(texts) / batch),
        "speedup": round(per_text / batch, 2),
    }


BAND_SECONDARY_INDEXES = ("simband_key_order", "simband_order")
ENTRY_SECONDARY_INDEXES = ("simentry_appellant",)


@dataclass
class BuildResult:
    orders: int = 0
    band_rows: int = 0
    compute_s: float = 0.0  # summed over workers
    timings: dict[str, float] = field(default_factory=dict)


def _read_rows(cursor: Any, chunk: int) -> Iterator[list[Row]]:
    while True:
        rows = cursor.fetchmany(chunk)
        if not rows:
            return
        yield [(int(r[0]), str(r[1]), r[2] or "", r[3] or "", r[4] or "", str(r[5])) for r in rows]


ORDERS_TO_INDEX = """
SELECT o.id, o.text, t.code, c.code, o.appellant_key, o.received_at::text
FROM orders_order o
LEFT JOIN core_organisation t ON t.id = o.town_id
LEFT JOIN core_organisation c ON c.id = o.community_id
ORDER BY o.id
"""


def rebuild_index(jobs: int = 2, chunk: int = 2000) -> BuildResult:
    """Replace the whole similar-order index from orders_order (bench DB: foreign-key triggers skipped).

    Reads orders with a server-side cursor, computes chunks in `jobs` worker processes and streams
    both COPYs from this process; the band table's secondary indexes are rebuilt at the end.
    """
    import psycopg
    from django.db import connection

    result = BuildResult()
    started = time.perf_counter()
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE intake_similarityband, intake_similarityentry, intake_stopband RESTART IDENTITY")
        for name in BAND_SECONDARY_INDEXES + ENTRY_SECONDARY_INDEXES:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    reader = psycopg.connect(**params)
    writer = psycopg.connect(**params)
    ctx = multiprocessing.get_context("fork")
    try:
        with reader.cursor(name="lianxin_bench_index") as src, writer.cursor() as dst:
            dst.execute("SET session_replication_role = replica")
            src.itersize = chunk
            src.execute(ORDERS_TO_INDEX)
            with (
                ctx.Pool(jobs) as pool,
                dst.copy(
                    "COPY intake_similarityband (band_key, order_id) FROM STDIN WITH (FORMAT binary)"
                ) as bands_copy,
            ):
                bands_copy.write(COPY_HEADER)
                entries: list[str] = []
                for part in pool.imap(compute_chunk, _read_rows(src, chunk)):
                    bands_copy.write(part.bands)
                    entries.append(part.entries)
                    result.orders += part.orders
                    result.band_rows += part.band_rows
                    result.compute_s += part.compute_s
                bands_copy.write(COPY_TRAILER)
            result.timings["compute_and_copy_bands_s"] = time.perf_counter() - started
            step = time.perf_counter()
            with dst.copy(
                "COPY intake_similarityentry (order_id, scheme, signature, town_code, community_code, text_place, "
                "appellant_hash, received_at) FROM STDIN"
            ) as entries_copy:
                for block in entries:
                    entries_copy.write(block)
            result.timings["copy_entries_s"] = time.perf_counter() - step
            writer.commit()
        reader.commit()
    finally:
        reader.close()
        writer.close()
    step = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute('CREATE INDEX "simband_key_order" ON intake_similarityband (band_key, order_id)')
        result.timings["index_band_key_order_s"] = time.perf_counter() - step
        step = time.perf_counter()
        cursor.execute('CREATE INDEX "simband_order" ON intake_similarityband (order_id)')
        cursor.execute('CREATE INDEX "simentry_appellant" ON intake_similarityentry (appellant_hash, received_at)')
        result.timings["index_others_s"] = time.perf_counter() - step
        step = time.perf_counter()
        cursor.execute("VACUUM (ANALYZE) intake_similarityband")
        cursor.execute("VACUUM (ANALYZE) intake_similarityentry")
        result.timings["vacuum_analyze_s"] = time.perf_counter() - step
    result.timings["total_s"] = time.perf_counter() - started
    return result
