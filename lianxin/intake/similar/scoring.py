"""Scoring a candidate earlier order against a new one: text, place, appellant, recency."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .minhash import Signature, similarity

__all__ = [
    "REASONS",
    "Candidate",
    "CandidateScore",
    "OrderMeta",
    "ScoringPolicy",
    "hash_phone",
    "score_candidate",
    "score_meta",
]

REASONS = ("same_text", "same_place", "same_appellant", "recent")


def hash_phone(phone: str, salt: str = "") -> str:
    """Stable hash of a phone number's digits (last 11), for matching without storing it."""
    digits = re.sub(r"\D", "", phone)[-11:]
    if not digits:
        return ""
    return hashlib.sha256(f"{salt}:{digits}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class OrderMeta:
    """What besides the text is compared. All fields are optional."""

    community_code: str | None = None
    town_code: str | None = None
    appellant_hash: str | None = None
    received_at: datetime | None = None
    text_place: str | None = None  # filled by the index from the text (normalize.place_hint)


@dataclass(frozen=True)
class Candidate:
    """A signature with its metadata: the unit the index stores and compares."""

    signature: Signature
    meta: OrderMeta = field(default_factory=OrderMeta)


@dataclass(frozen=True)
class ScoringPolicy:
    """Thresholds of the near-duplicate flag. Defaults chosen on generated data (evaluate.py).

    - ``text_threshold``: estimated Jaccard above which the texts alone make a near-duplicate.
    - ``supported_threshold``: lower Jaccard enough when the same appellant or place backs it.
    - ``conflict_threshold``: Jaccard needed when both orders name *different* communities
      (a templated problem reported from another place is a different order).
    - ``recent_days``: window for the ``recent`` reason.
    """

    text_threshold: float = 0.5
    supported_threshold: float = 0.35
    conflict_threshold: float = 0.9
    recent_days: int = 30
    weight_text: float = 0.7
    weight_place: float = 0.1
    weight_appellant: float = 0.1
    weight_recent: float = 0.1


DEFAULT_POLICY = ScoringPolicy()


@dataclass(frozen=True)
class CandidateScore:
    """Result of :func:`score_candidate`. ``score`` in [0, 1]; reasons from :data:`REASONS`."""

    score: float
    reasons: tuple[str, ...]
    is_near_duplicate: bool
    text_similarity: float

    def __iter__(self):  # type: ignore[no-untyped-def]
        """Unpack as ``score, reasons = score_candidate(...)``."""
        yield self.score
        yield self.reasons


def _place_relation(q: OrderMeta, c: OrderMeta) -> str:
    """'same', 'conflict' (different known communities or towns) or 'unknown'."""
    if q.community_code and c.community_code:
        return "same" if q.community_code == c.community_code else "conflict"
    if q.town_code and c.town_code and q.town_code != c.town_code:
        return "conflict"
    if q.text_place and c.text_place:
        return "same" if q.text_place == c.text_place else "conflict"
    if q.town_code and c.town_code:
        return "same"
    return "unknown"


def score_candidate(
    query: Candidate,
    candidate: Candidate,
    *,
    policy: ScoringPolicy = DEFAULT_POLICY,
    text_similarity: float | None = None,
) -> CandidateScore:
    """Score ``candidate`` (an earlier order) as a match for ``query`` (the new order).

    ``text_similarity`` may be passed when already computed. The score weighs text similarity
    most; place, appellant and recency add to it. ``is_near_duplicate`` is the re-submission
    flag: shown to a person for judgement, never used to merge orders silently.
    """
    sim = similarity(query.signature, candidate.signature) if text_similarity is None else text_similarity
    return score_meta(query.meta, candidate.meta, sim, policy=policy)


def score_meta(q: OrderMeta, c: OrderMeta, sim: float, *, policy: ScoringPolicy = DEFAULT_POLICY) -> CandidateScore:
    """:func:`score_candidate` for a text similarity already computed (e.g. for many candidates at once)."""
    place = _place_relation(q, c)
    same_place = place == "same"
    same_appellant = bool(q.appellant_hash) and q.appellant_hash == c.appellant_hash
    recent_factor = 0.0
    recent = False
    if q.received_at is not None and c.received_at is not None:
        gap = abs(q.received_at - c.received_at)
        window = timedelta(days=policy.recent_days)
        recent = gap <= window
        recent_factor = max(0.0, 1.0 - gap / window) if recent else 0.0

    if place == "conflict":
        near = sim >= policy.conflict_threshold
    else:
        near = sim >= policy.text_threshold or (
            sim >= policy.supported_threshold and (same_place or same_appellant)
        )
    reasons = []
    if sim >= policy.text_threshold:
        reasons.append("same_text")
    if same_place:
        reasons.append("same_place")
    if same_appellant:
        reasons.append("same_appellant")
    if recent:
        reasons.append("recent")
    score = (
        policy.weight_text * sim
        + policy.weight_place * same_place
        + policy.weight_appellant * same_appellant
        + policy.weight_recent * recent_factor
    )
    return CandidateScore(round(min(1.0, score), 4), tuple(reasons), near, round(sim, 4))
