"""Similar-order index: the interface and an in-memory reference implementation.

The database implementation (written by the integrator) keeps the same interface and the same
query plan, with two tables (see the package README):

1. candidates = order ids sharing at least one LSH band key with the query, plus recent orders
   of the same appellant;
2. their stored signatures and metadata are scored with :func:`score_candidate`;
3. the best ``k`` are returned, near-duplicates first.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Protocol

from .minhash import Signature, band_keys, signature
from .normalize import place_hint
from .scoring import (
    DEFAULT_POLICY,
    Candidate,
    OrderMeta,
    ScoringPolicy,
    score_candidate,
)

__all__ = ["InMemorySimilarIndex", "Match", "SimilarIndex", "with_text_place"]

# Band keys shared by more orders than this are treated as stop-bands (template texts):
# they are skipped for candidate generation, which keeps a query's work bounded.
MAX_POSTINGS_PER_KEY = 5000
# Orders of the same appellant within this window are always candidates.
APPELLANT_WINDOW = timedelta(days=365)


def with_text_place(meta: OrderMeta | None, text: str) -> OrderMeta:
    """``meta`` with ``text_place`` filled from the text when it is not set."""
    m = meta or OrderMeta()
    if m.text_place is None:
        m = replace(m, text_place=place_hint(text))
    return m


@dataclass(frozen=True)
class Match:
    order_id: int
    score: float
    text_similarity: float
    reasons: tuple[str, ...]
    is_near_duplicate: bool


class SimilarIndex(Protocol):
    def add(self, order_id: int, text: str, meta: OrderMeta | None = None) -> None: ...

    def remove(self, order_id: int) -> None: ...

    def query(
        self, text: str, meta: OrderMeta | None = None, k: int = 10, *, exclude: int | None = None
    ) -> list[Match]: ...


class InMemorySimilarIndex:
    """Reference implementation for tests and evaluation (about 1 KB per order)."""

    def __init__(self, policy: ScoringPolicy = DEFAULT_POLICY, min_score: float = 0.0) -> None:
        self.policy = policy
        self.min_score = min_score
        self._items: dict[int, Candidate] = {}
        self._keys: dict[int, list[int]] = {}
        self._bands: dict[int, set[int]] = defaultdict(set)
        self._by_appellant: dict[str, set[int]] = defaultdict(set)

    def __len__(self) -> int:
        return len(self._items)

    def add(self, order_id: int, text: str, meta: OrderMeta | None = None) -> None:
        self.add_signature(order_id, signature(text), with_text_place(meta, text))

    def add_signature(self, order_id: int, sig: Signature, meta: OrderMeta | None = None) -> None:
        if order_id in self._items:
            self.remove(order_id)
        m = meta or OrderMeta()
        self._items[order_id] = Candidate(sig, m)
        keys = band_keys(sig)
        self._keys[order_id] = keys
        for key in keys:
            self._bands[key].add(order_id)
        if m.appellant_hash:
            self._by_appellant[m.appellant_hash].add(order_id)

    def remove(self, order_id: int) -> None:
        item = self._items.pop(order_id, None)
        if item is None:
            return
        for key in self._keys.pop(order_id, []):
            postings = self._bands.get(key)
            if postings is not None:
                postings.discard(order_id)
                if not postings:
                    del self._bands[key]
        if item.meta.appellant_hash:
            self._by_appellant[item.meta.appellant_hash].discard(order_id)

    def candidates(self, sig: Signature, meta: OrderMeta) -> set[int]:
        found: set[int] = set()
        for key in band_keys(sig):
            postings = self._bands.get(key)
            if postings and len(postings) <= MAX_POSTINGS_PER_KEY:
                found |= postings
        if meta.appellant_hash:
            for oid in self._by_appellant.get(meta.appellant_hash, ()):
                other = self._items[oid].meta.received_at
                if meta.received_at is None or other is None or abs(meta.received_at - other) <= APPELLANT_WINDOW:
                    found.add(oid)
        return found

    def query(
        self, text: str, meta: OrderMeta | None = None, k: int = 10, *, exclude: int | None = None
    ) -> list[Match]:
        return self.query_signature(signature(text), with_text_place(meta, text), k, exclude=exclude)

    def query_signature(
        self, sig: Signature, meta: OrderMeta | None = None, k: int = 10, *, exclude: int | None = None
    ) -> list[Match]:
        m = meta or OrderMeta()
        q = Candidate(sig, m)
        out: list[Match] = []
        for oid in self.candidates(sig, m):
            if oid == exclude:
                continue
            s = score_candidate(q, self._items[oid], policy=self.policy)
            if s.score < self.min_score:
                continue
            out.append(Match(oid, s.score, s.text_similarity, s.reasons, s.is_near_duplicate))
        out.sort(key=lambda x: (not x.is_near_duplicate, -x.score, x.order_id))
        return out[:k]
