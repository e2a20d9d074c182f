"""Evaluation figures for a trained model on a labelled set: F1, confusion, coverage, latency."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from .model import TrainedModel, expected_calibration_error

__all__ = ["THRESHOLDS", "evaluate_model", "format_report", "measure_latency"]

THRESHOLDS = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


def _per_class(y_true: list[str], y_pred: list[str], classes: list[str]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for c in classes:
        tp = sum(1 for t, p in zip(y_true, y_pred, strict=True) if t == c and p == c)
        fp = sum(1 for t, p in zip(y_true, y_pred, strict=True) if t != c and p == c)
        fn = sum(1 for t, p in zip(y_true, y_pred, strict=True) if t == c and p != c)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[c] = {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4),
                  "support": tp + fn}
    return out


def measure_latency(
    model: TrainedModel,
    texts: Sequence[str],
    titles: Sequence[str | None] | None = None,
    *,
    single_n: int = 300,
    repeat_batch: int = 1,
) -> dict[str, float]:
    """p50/p99 milliseconds for single-text calls, and batch throughput in texts per second."""
    n = min(single_n, len(texts))
    if n == 0:
        return {}
    model.predict([texts[0]], None if titles is None else [titles[0]])  # warm-up
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        model.predict([texts[i]], None if titles is None else [titles[i]])
        times.append((time.perf_counter() - t0) * 1000.0)
    t0 = time.perf_counter()
    for _ in range(repeat_batch):
        model.predict(texts, titles)
    elapsed = time.perf_counter() - t0
    arr = np.array(times)
    return {
        "single_n": n,
        "single_p50_ms": round(float(np.percentile(arr, 50)), 3),
        "single_p99_ms": round(float(np.percentile(arr, 99)), 3),
        "batch_size": len(texts),
        "batch_texts_per_s": round(len(texts) * repeat_batch / elapsed, 1),
    }


def evaluate_model(
    model: TrainedModel,
    texts: Sequence[str],
    labels: Sequence[str],
    titles: Sequence[str | None] | None = None,
    *,
    latency: bool = True,
) -> dict[str, Any]:
    """All figures for ``model`` on the labelled rows given."""
    preds = model.predict(texts, titles, k=3)
    y_true = [lab.strip() for lab in labels]
    y_pred = [p.label for p in preds]
    conf = np.array([p.confidence for p in preds])
    correct = np.array([t == p for t, p in zip(y_true, y_pred, strict=True)])
    known = set(model.classes)
    unknown = sorted({t for t in y_true if t not in known})
    classes = list(model.classes) + unknown
    per_class = _per_class(y_true, y_pred, classes)
    scored = [c for c in classes if per_class[c]["support"] > 0 or c in known]
    macro_f1 = float(np.mean([per_class[c]["f1"] for c in scored])) if scored else 0.0
    pos = {c: i for i, c in enumerate(classes)}
    confusion = [[0] * len(classes) for _ in classes]
    for t, p in zip(y_true, y_pred, strict=True):
        confusion[pos[t]][pos[p]] += 1
    top3 = float(np.mean([t in [lab for lab, _ in p.ranked[:3]] for t, p in zip(y_true, preds, strict=True)]))
    coverage = []
    for th in THRESHOLDS:
        mask = conf >= th
        coverage.append({
            "threshold": th,
            "coverage": round(float(mask.mean()), 4),
            "accuracy": round(float(correct[mask].mean()), 4) if mask.any() else None,
        })
    report: dict[str, Any] = {
        "model_version": model.version,
        "target": model.target,
        "rows": len(y_true),
        "macro_f1": round(macro_f1, 4),
        "accuracy": round(float(correct.mean()), 4),
        "top3_accuracy": round(top3, 4),
        "ece": round(expected_calibration_error(conf, correct), 4),
        "unknown_labels": unknown,
        "per_class": per_class,
        "labels": classes,
        "confusion": confusion,
        "coverage": coverage,
    }
    if latency:
        report["latency"] = measure_latency(model, texts, titles)
    return report


def format_report(report: dict[str, Any]) -> str:
    """Human-readable text version of :func:`evaluate_model` output."""
    lines = [
        f"model {report['model_version']}  target {report['target']}  rows {report['rows']}",
        (f"macro-F1 {report['macro_f1']:.4f}  accuracy {report['accuracy']:.4f}  "
        f"top-3 accuracy {report['top3_accuracy']:.4f}  ECE {report['ece']:.4f}"),
    ]
    if report["unknown_labels"]:
        lines.append(f"labels unknown to the model: {', '.join(report['unknown_labels'])}")
    lines.append("")
    width = max(8, *(len(c) * 2 for c in report["labels"]))
    lines.append(f"{'class':<{width}} precision recall     f1  support")
    for c in report["labels"]:
        r = report["per_class"][c]
        pad = width - len(c)  # CJK glyphs are double width in a terminal
        lines.append(f"{c}{' ' * max(1, pad)}{r['precision']:9.4f} {r['recall']:6.4f} {r['f1']:6.4f} {r['support']:8d}")
    lines.append("")
    lines.append("confusion matrix (rows = true, columns = predicted, in the order above)")
    for i, row in enumerate(report["confusion"]):
        lines.append(f"{i:>3} " + " ".join(f"{v:5d}" for v in row))
    lines.append("")
    lines.append("threshold coverage accuracy")
    for c in report["coverage"]:
        acc = "   -   " if c["accuracy"] is None else f"{c['accuracy']:.4f}"
        lines.append(f"{c['threshold']:9.2f} {c['coverage']:8.4f} {acc}")
    lat = report.get("latency")
    if lat:
        lines.append("")
        lines.append(
            f"latency: single text p50 {lat['single_p50_ms']:.2f} ms, p99 {lat['single_p99_ms']:.2f} ms "
            f"(n={lat['single_n']}); batch of {lat['batch_size']}: {lat['batch_texts_per_s']:.0f} texts/s"
        )
    return "\n".join(lines)
