"""First-run preparation of intake analysis: default models and the similar-order index."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db.models import Exists, OuterRef

from lianxin.intake import ml, similar_index
from lianxin.intake.analysis import MODELS, TARGETS
from lianxin.intake.models import SimilarityEntry
from lianxin.intake.training import CORPUS, read_jsonl, train_all
from lianxin.orders.models import Order


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
    # NOT EXISTS plans as an anti-join; NOT IN (subquery) degenerates on millions of rows in PostgreSQL.
    indexed = SimilarityEntry.objects.filter(order_id=OuterRef("pk"))
    pending = Order.objects.filter(~Exists(indexed)).select_related("town", "community")
    count = similar_index.index_orders(pending.iterator(chunk_size=2000))
    if count:
        lines.append(f"Indexed {count} orders for similar-order search.")
    return lines
