"""Signatures, band keys and scores of many texts at once: for (re)building the index and for queries.

Results are byte-identical to the one-text functions of :mod:`.minhash` (the tests check it); only
the work is arranged differently:

* the shingles of a whole batch are hashed, de-duplicated per text (one lexsort) and min-hashed in
  (NUM_PERM × shingles) array operations with ``np.minimum.reduceat``;
* band keys hash the same bytes as :func:`.minhash.band_keys`, from pre-built ``blake2b`` states
  (``.copy()`` is cheaper than constructing one with a personalisation);
* stored signatures are compared with the query's in one array comparison.

Pure numpy, no Django: :func:`compute` runs in worker processes of the index rebuild.
"""

from __future__ import annotations

import hashlib
import struct
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import minhash
from .normalize import normalize_for_compare, place_hint

__all__ = [
    "SIGNATURE_BYTES",
    "IndexRows",
    "band_keys_batch",
    "compute",
    "compute_timed",
    "signature_bytes_batch",
    "signatures_batch",
    "signatures_from_bytes_batch",
    "signatures_from_normalized",
    "similarities",
]

SIGNATURE_BYTES = 5 + minhash.NUM_PERM * 4
_PROTO = [
    hashlib.blake2b(digest_size=8, person=struct.pack("<II", minhash.SCHEME, band)) for band in range(minhash.BANDS)
]
_BAND_WIDTH = minhash.ROWS * 4
# Texts min-hashed together: keeps the (NUM_PERM × shingles) uint64 temporaries within the CPU cache.
_SUB_BATCH = 16


def signatures_batch(texts: Sequence[str | None]) -> tuple[np.ndarray, np.ndarray]:
    """(values uint32 [n, NUM_PERM], n_shingles int64 [n]): ``minhash.signature`` of each text."""
    return signatures_from_normalized([normalize_for_compare(t) for t in texts])


def signatures_from_normalized(normalized: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    n = len(normalized)
    values = np.full((n, minhash.NUM_PERM), 0xFFFFFFFF, dtype=np.uint32)
    counts = np.zeros(n, dtype=np.int64)
    batch_idx = [i for i, s in enumerate(normalized) if len(s) >= minhash.SHINGLE]
    for i, s in enumerate(normalized):
        if 0 < len(s) < minhash.SHINGLE:  # padded to one shingle, as minhash.shingles does
            sig = minhash.signature_from_normalized(s)
            values[i], counts[i] = sig.values, sig.n_shingles
    if not batch_idx:
        return values, counts
    parts = [normalized[i] for i in batch_idx]
    lengths = np.fromiter((len(s) for s in parts), dtype=np.int64, count=len(parts))
    cp = np.frombuffer("".join(parts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    n_sh = lengths - (minhash.SHINGLE - 1)
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
    for lo in range(0, len(parts), _SUB_BATCH):
        hi = min(lo + _SUB_BATCH, len(parts))
        a, b = int(seg_starts[lo]), int(ends[hi - 1])
        hv = np.multiply(minhash._A[:, None], h[None, a:b])
        hv += minhash._B[:, None]
        hv >>= np.uint64(32)
        mins = np.minimum.reduceat(hv, seg_starts[lo:hi] - a, axis=1)
        values[idx[lo:hi]] = mins.T
    return values, counts


def band_keys_batch(values: np.ndarray) -> np.ndarray:
    """int64 [n, BANDS]; the rows of empty texts are meaningless (callers skip them by count)."""
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


def signature_bytes_batch(values: np.ndarray, counts: np.ndarray) -> list[bytes]:
    """``minhash.signature_to_bytes`` of each row."""
    out = np.empty((len(values), SIGNATURE_BYTES), dtype=np.uint8)
    out[:, 0] = minhash.SCHEME
    out[:, 1:5] = counts.astype("<u4").view(np.uint8).reshape(-1, 4)
    out[:, 5:] = values.astype("<u4").view(np.uint8).reshape(len(values), -1)
    return [row.tobytes() for row in out]


def signatures_from_bytes_batch(blobs: Sequence[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """(values uint32 [n, NUM_PERM], n_shingles int64 [n]) of stored signatures of the current scheme."""
    if not blobs:
        return np.zeros((0, minhash.NUM_PERM), dtype=np.uint32), np.zeros(0, dtype=np.int64)
    raw = np.frombuffer(b"".join(blobs), dtype=np.uint8)
    if len(raw) != len(blobs) * SIGNATURE_BYTES:
        raise ValueError(f"a signature has {SIGNATURE_BYTES} bytes")
    rows = raw.reshape(len(blobs), SIGNATURE_BYTES)
    if np.any(rows[:, 0] != minhash.SCHEME):
        raise ValueError(f"a signature is not of the current scheme {minhash.SCHEME}")
    counts = np.ascontiguousarray(rows[:, 1:5]).view("<u4").reshape(-1).astype(np.int64)
    values = np.ascontiguousarray(rows[:, 5:]).view("<u4").astype(np.uint32)
    return values, counts


def similarities(query: minhash.Signature, values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """``minhash.similarity(query, row)`` for every row, as float64 (0.0 where either text is empty)."""
    if query.is_empty or len(values) == 0:
        return np.zeros(len(values), dtype=np.float64)
    same = np.count_nonzero(values == query.values, axis=1) / minhash.NUM_PERM
    same[counts == 0] = 0.0
    return same.astype(np.float64)


@dataclass
class IndexRows:
    """What the index stores for a batch of orders; ``keys`` rows of empty texts are to be skipped."""

    order_ids: list[int]
    signatures: list[bytes]
    counts: np.ndarray  # n_shingles, int64 [n]
    keys: np.ndarray  # int64 [n, BANDS]
    places: list[str]  # normalize.place_hint, "" when none


def compute(rows: Sequence[tuple[int, str]]) -> IndexRows:
    """Signatures, band keys and text places of (order id, text) rows."""
    texts = [t or "" for _, t in rows]
    values, counts = signatures_batch(texts)
    return IndexRows(
        order_ids=[int(i) for i, _ in rows],
        signatures=signature_bytes_batch(values, counts),
        counts=counts,
        keys=band_keys_batch(values),
        places=[place_hint(t) or "" for t in texts],
    )


def compute_timed(rows: Sequence[tuple[int, str]]) -> tuple[IndexRows, float]:
    """:func:`compute` and the CPU seconds it took: the task of the rebuild's worker processes."""
    started = time.process_time()
    computed = compute(rows)
    return computed, time.process_time() - started
