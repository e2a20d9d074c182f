"""First-run preparation of intake analysis: default models and the similar-order index."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

from lianxin.intake import ml, similar_index
from lianxin.intake.analysis import MODELS, TARGETS
from lianxin.intake.models import SimilarityEntry
from lianxin.intake.training import CORPUS, read_jsonl, train_all

# Above this many unindexed orders (and a quarter of all), rebuilding the whole index in bulk is faster
# than inserting into its indexed tables: e.g. the first run on a city's imported back-catalogue.
REBUILD_ABOVE = 20_000


def models_missing(models_dir: Path) -> bool:
    for target in TARGETS:
        try:
            if not ml.list_versions(models_dir, target):
                return True
        except FileNotFoundError:
            return True
    return False


def prepare() -> list[str]:
    """Train from the demo corpus when the city has no models yet; index orders not yet indexed."""
    lines = []
    models_dir = Path(settings.MODELS_DIR)
    if models_missing(models_dir):
        versions = train_all(read_jsonl(CORPUS), models_dir)
        MODELS.reset()
        lines.append(f"Trained intake models from the demo corpus: {', '.join(versions)}")
    return lines + prepare_index()


def prepare_index() -> list[str]:
    """Index the orders not yet indexed: in bulk when they are most of them, else batch by batch."""
    lines = []
    pending = similar_index.count_pending()
    if pending > REBUILD_ABOVE and pending * 3 > SimilarityEntry.objects.count():
        result = similar_index.rebuild(jobs=min(2, os.cpu_count() or 1))
        lines.append(f"Rebuilt the similar-order index: {result.orders} orders in {result.timings['total_s']:.0f} s.")
    elif pending:
        count = similar_index.index_pending()
        lines.append(f"Indexed {count} orders for similar-order search.")
    return lines
