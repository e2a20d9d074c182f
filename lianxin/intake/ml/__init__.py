"""Trainable text classifiers for work-order fields (category, lead unit, appeal type ...).

Pure Python (scikit-learn, numpy, jieba), no Django. Public API::

    train(texts, labels, *, target, titles=None, dedupe_keys=None, config=None) -> TrainedModel
    TrainedModel.predict(texts, titles=None, k=None) -> list[Prediction]
    Prediction(label, confidence, ranked)            # confidence is a calibrated probability
    save_model(model, models_dir) -> Path            # <models_dir>/<target>/<version>/
    load_latest(models_dir, target) / load_version(models_dir, target, version) / load_model(dir)
    evaluate_model(model, texts, labels, titles=None) -> dict
    read_table(path, columns) -> list[dict]          # CSV or XLSX
"""

from .data import DataError, read_table
from .metrics import evaluate_model, format_report, measure_latency
from .model import FeatureBlock, Prediction, TrainConfig, TrainedModel, compose_text, train
from .store import (
    ModelNotFoundError,
    list_versions,
    load_latest,
    load_model,
    load_version,
    read_meta,
    save_model,
    update_meta,
)

__all__ = [
    "DataError",
    "FeatureBlock",
    "ModelNotFoundError",
    "Prediction",
    "TrainConfig",
    "TrainedModel",
    "compose_text",
    "evaluate_model",
    "format_report",
    "list_versions",
    "load_latest",
    "load_model",
    "load_version",
    "measure_latency",
    "read_meta",
    "read_table",
    "save_model",
    "train",
    "update_meta",
]
