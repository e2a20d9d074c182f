"""Similar earlier orders and near-duplicate (re-submission) detection.

Pure Python (numpy), no Django. Public API::

    normalize_for_compare(text) -> str
    signature(text) -> Signature            # MinHash, 128 perms, char 3-gram shingles
    band_keys(sig) -> list[int]             # 32 signed 64-bit LSH keys (b=32, r=4)
    signature_to_bytes(sig) / signature_from_bytes(data)
    similarity(sig_a, sig_b) -> float       # estimated Jaccard
    score_candidate(query, candidate) -> CandidateScore(score, reasons, is_near_duplicate, ...)
    InMemorySimilarIndex().add(order_id, text, meta) / .query(text, meta, k=10) -> list[Match]
"""

from .index import InMemorySimilarIndex, Match, SimilarIndex
from .minhash import (
    BANDS,
    NUM_PERM,
    ROWS,
    SCHEME,
    Signature,
    band_keys,
    signature,
    signature_from_bytes,
    signature_to_bytes,
    similarity,
)
from .normalize import normalize_for_compare
from .scoring import (
    REASONS,
    Candidate,
    CandidateScore,
    OrderMeta,
    ScoringPolicy,
    hash_phone,
    score_candidate,
)

__all__ = [
    "BANDS",
    "NUM_PERM",
    "REASONS",
    "ROWS",
    "SCHEME",
    "Candidate",
    "CandidateScore",
    "InMemorySimilarIndex",
    "Match",
    "OrderMeta",
    "ScoringPolicy",
    "Signature",
    "SimilarIndex",
    "band_keys",
    "hash_phone",
    "normalize_for_compare",
    "score_candidate",
    "signature",
    "signature_from_bytes",
    "signature_to_bytes",
    "similarity",
]
