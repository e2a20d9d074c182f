"""MinHash signatures over character 3-gram shingles, LSH band keys and their byte format.

Everything here is deterministic across processes and machines (no use of Python's salted
``hash``), so signatures and band keys can be stored in the database and compared later.

Scheme (``SCHEME = 1``): ``NUM_PERM = 128`` permutations, ``BANDS = 32`` bands of ``ROWS = 4``.
With b=32, r=4 the probability that two texts share at least one band is 1-(1-J^4)^32:
J=0.3: 0.23, J=0.4: 0.56, J=0.5: 0.87, J=0.6: 0.99, J=0.7: 1.00. Near-duplicates are flagged
from J around 0.5 upwards (see :mod:`.scoring`), so the bands find them while rarely fetching
unrelated texts.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass

import numpy as np

from .normalize import normalize_for_compare

__all__ = [
    "BANDS",
    "NUM_PERM",
    "ROWS",
    "SCHEME",
    "Signature",
    "band_keys",
    "candidate_probability",
    "shingles",
    "signature",
    "signature_from_bytes",
    "signature_from_normalized",
    "signature_to_bytes",
    "similarity",
]

SCHEME = 1
NUM_PERM = 128
BANDS = 32
ROWS = 4
SHINGLE = 3
_EMPTY = np.uint32(0xFFFFFFFF)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)

_rng = np.random.Generator(np.random.PCG64(0x4C69616E78696E))  # "Lianxin"
_A = _rng.integers(1, 2**63, size=NUM_PERM, dtype=np.uint64) | np.uint64(1)
_B = _rng.integers(0, 2**63, size=NUM_PERM, dtype=np.uint64)
del _rng


@dataclass(frozen=True, eq=False)
class Signature:
    """A MinHash signature: ``NUM_PERM`` uint32 values; ``n_shingles`` 0 means an empty text."""

    values: np.ndarray
    n_shingles: int

    @property
    def is_empty(self) -> bool:
        return self.n_shingles == 0

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Signature)
            and self.n_shingles == other.n_shingles
            and bool(np.array_equal(self.values, other.values))
        )

    def __hash__(self) -> int:
        return hash(self.values.tobytes())


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser, vectorised over uint64."""
    x = x ^ (x >> np.uint64(30))
    x = x * _M1
    x = x ^ (x >> np.uint64(27))
    x = x * _M2
    return x ^ (x >> np.uint64(31))


def shingles(normalized: str) -> np.ndarray:
    """Distinct 64-bit hashes of the character 3-grams of an already normalised text."""
    if not normalized:
        return np.zeros(0, dtype=np.uint64)
    cp = np.frombuffer(normalized.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(cp) < SHINGLE:
        cp = np.concatenate([cp, np.zeros(SHINGLE - len(cp), dtype=np.uint64)])
    # Code points are < 2**21, so three of them pack into 63 bits without collisions.
    packed = (cp[:-2] << np.uint64(42)) | (cp[1:-1] << np.uint64(21)) | cp[2:]
    return np.unique(_mix(packed))


def signature_from_normalized(normalized: str) -> Signature:
    h = shingles(normalized)
    if len(h) == 0:
        return Signature(np.full(NUM_PERM, _EMPTY, dtype=np.uint32), 0)
    with np.errstate(over="ignore"):
        hv = (_A[:, None] * h[None, :] + _B[:, None]) >> np.uint64(32)
    return Signature(hv.min(axis=1).astype(np.uint32), len(h))


def signature(text: str | None) -> Signature:
    """MinHash signature of ``normalize_for_compare(text)``."""
    return signature_from_normalized(normalize_for_compare(text))


def band_keys(sig: Signature) -> list[int]:
    """``BANDS`` signed 64-bit keys, one per band; empty for an empty text.

    A key hashes the scheme number, the band number and the band's ``ROWS`` values, so keys of
    different bands or schemes never collide by construction.
    """
    if sig.is_empty:
        return []
    raw = sig.values.astype("<u4").tobytes()
    width = ROWS * 4
    keys = []
    for band in range(BANDS):
        digest = hashlib.blake2b(
            raw[band * width : (band + 1) * width],
            digest_size=8,
            person=struct.pack("<II", SCHEME, band),
        ).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the two shingle sets (0.0 if either text is empty)."""
    if a.is_empty or b.is_empty:
        return 0.0
    return float(np.count_nonzero(a.values == b.values)) / NUM_PERM


def signature_to_bytes(sig: Signature) -> bytes:
    """``<scheme u8><n_shingles u32><NUM_PERM x u32>`` little-endian: 517 bytes."""
    return struct.pack("<BI", SCHEME, sig.n_shingles) + sig.values.astype("<u4").tobytes()


def signature_from_bytes(data: bytes) -> Signature:
    if len(data) != 5 + NUM_PERM * 4:
        raise ValueError(f"a signature has {5 + NUM_PERM * 4} bytes, got {len(data)}")
    scheme, n = struct.unpack_from("<BI", data)
    if scheme != SCHEME:
        raise ValueError(f"signature scheme {scheme} is not the current scheme {SCHEME}")
    values = np.frombuffer(data, dtype="<u4", offset=5).astype(np.uint32)
    return Signature(values, int(n))


def candidate_probability(jaccard: float, bands: int = BANDS, rows: int = ROWS) -> float:
    """Probability that two texts with Jaccard ``jaccard`` share at least one band."""
    return float(1.0 - (1.0 - jaccard**rows) ** bands)
