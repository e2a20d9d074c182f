import gc
import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")
application = get_wsgi_application()


def _warm_up() -> None:
    """Load the intake models before the first request, then move everything loaded so far out of the
    garbage collector's reach: with the models' many long-lived objects, a full collection every few
    dozen requests cost ~100 ms and was the web worker's p99 (docs/benchmarks-intake.md)."""
    try:
        from lianxin.intake.analysis import MODELS

        MODELS.get("category")  # loads every trained target from disk; no database access
    except Exception:  # a server must start even without trained models
        logging.getLogger(__name__).exception("intake models not preloaded")
    gc.freeze()


_warm_up()
