"""Training the intake models from labelled rows: the demo corpus, a city's history, or confirmed orders."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lianxin.intake import ml

CORPUS = Path(__file__).resolve().parent / "corpus" / "demo_orders.jsonl"


def unit_rule_label(unit: str, town: str, district: str) -> str:
    """What the unit model learns: the territorial rule, not one town, so it generalises across places."""
    if unit and unit == town:
        return "@town"
    if unit and unit == district:
        return "@district"
    return unit


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def labelled(rows: Iterable[dict[str, Any]]) -> dict[str, tuple[list[str], list[str]]]:
    """Texts and labels per target from rows with text, category, appeal_type, unit, town, district."""
    out: dict[str, tuple[list[str], list[str]]] = {t: ([], []) for t in ("category", "appeal_type", "unit_rule")}
    for row in rows:
        text = row.get("text") or ""
        if not text.strip():
            continue
        labels = {
            "category": row.get("category") or "",
            "appeal_type": row.get("appeal_type") or "",
            "unit_rule": unit_rule_label(row.get("unit") or "", row.get("town") or "", row.get("district") or ""),
        }
        for target, label in labels.items():
            if label:
                out[target][0].append(text)
                out[target][1].append(label)
    return out


def train_all(rows: Iterable[dict[str, Any]], models_dir: Path) -> list[str]:
    """Train and save one model per target; returns the new version ids."""
    versions = []
    for target, (texts, labels) in labelled(rows).items():
        if len(set(labels)) < 2:
            continue
        model = ml.train(texts, labels, target=target)
        ml.save_model(model, models_dir)
        versions.append(model.version)
    return versions
