"""Checks and throughput of the similar-order index's batch computation (lianxin.intake.similar.batch).

The index itself is built by the app (`similar_index.rebuild`, `manage.py rebuild_similar_index`);
this module only proves, on the benchmark's own texts, that the batch path the rebuild uses gives
byte-identical signatures and band keys to the one-text path new orders use, and times both.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from lianxin.intake import similar
from lianxin.intake.similar import batch
from lianxin.intake.similar.normalize import place_hint


def check_equivalence(texts: Sequence[str]) -> int:
    """Raise if the batch path differs from `lianxin.intake.similar` on any text; returns texts checked."""
    rows = batch.compute(list(enumerate(texts)))
    for i, text in enumerate(texts):
        sig = similar.signature(text)
        if rows.signatures[i] != similar.signature_to_bytes(sig):
            raise AssertionError(f"signature differs for text {i}: {text[:40]!r}")
        if sig.n_shingles and similar.band_keys(sig) != [int(k) for k in rows.keys[i]]:
            raise AssertionError(f"band keys differ for text {i}: {text[:40]!r}")
        if rows.places[i] != (place_hint(text) or ""):
            raise AssertionError(f"text place differs for text {i}: {text[:40]!r}")
    return len(texts)


def per_text_throughput(texts: Sequence[str], chunk: int = 2000) -> dict[str, float]:
    """Texts/s on this core: one at a time (as `index_order` computes) and in batches (as `rebuild`)."""
    started = time.process_time()
    for text in texts:
        sig = similar.signature(text)
        similar.band_keys(sig)
        similar.signature_to_bytes(sig)
        place_hint(text)
    per_text = time.process_time() - started
    started = time.process_time()
    for i in range(0, len(texts), chunk):
        batch.compute(list(enumerate(texts[i : i + chunk])))
    batched = time.process_time() - started
    return {
        "texts": len(texts),
        "per_text_path_per_s": round(len(texts) / per_text),
        "batch_path_per_s": round(len(texts) / batched),
        "speedup": round(per_text / batched, 2),
        "equivalent": bool(np.all([check_equivalence(texts[:500]) == min(500, len(texts))])),
    }
