"""Versioned model directories: ``<models_dir>/<target>/<version>/{model.joblib,meta.json}``."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import joblib

from .model import TrainedModel

__all__ = [
    "ModelNotFoundError",
    "list_versions",
    "load_latest",
    "load_model",
    "read_meta",
    "save_model",
]

MODEL_FILE = "model.joblib"
META_FILE = "meta.json"


class ModelNotFoundError(FileNotFoundError):
    """No model exists for the requested target or version."""


def save_model(model: TrainedModel, models_dir: str | Path) -> Path:
    """Write ``model`` to its version directory (atomically) and return that directory."""
    target_dir = Path(models_dir) / model.target
    target_dir.mkdir(parents=True, exist_ok=True)
    final = target_dir / model.version
    if final.exists():
        raise FileExistsError(f"{final} already exists")
    tmp = Path(tempfile.mkdtemp(prefix=f".{model.version}.", dir=target_dir))
    try:
        joblib.dump(model, tmp / MODEL_FILE, compress=3)
        meta = dict(model.meta)
        meta["model_bytes"] = (tmp / MODEL_FILE).stat().st_size
        model.meta = meta
        (tmp / META_FILE).write_text(
            json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=False) + "\n", encoding="utf-8"
        )
        os.replace(tmp, final)
    except BaseException:
        for p in tmp.glob("*"):
            p.unlink()
        tmp.rmdir()
        raise
    return final


def update_meta(version_dir: str | Path, **fields: Any) -> dict[str, Any]:
    """Merge ``fields`` into a saved model's ``meta.json`` (e.g. evaluation figures)."""
    path = Path(version_dir) / META_FILE
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta.update(fields)
    path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return meta


def read_meta(version_dir: str | Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((Path(version_dir) / META_FILE).read_text(encoding="utf-8"))
    return data


def list_versions(models_dir: str | Path, target: str) -> list[Path]:
    """Version directories of ``target``, oldest first (by ``created_at``, then name)."""
    target_dir = Path(models_dir) / target
    if not target_dir.is_dir():
        return []
    found: list[tuple[str, str, Path]] = []
    for d in target_dir.iterdir():
        if d.name.startswith(".") or not (d / MODEL_FILE).is_file() or not (d / META_FILE).is_file():
            continue
        try:
            created = str(read_meta(d).get("created_at", ""))
        except (OSError, ValueError):
            continue
        found.append((created, d.name, d))
    return [d for _, _, d in sorted(found)]


def load_model(version_dir: str | Path) -> TrainedModel:
    path = Path(version_dir)
    if not (path / MODEL_FILE).is_file():
        raise ModelNotFoundError(f"no {MODEL_FILE} in {path}")
    model = joblib.load(path / MODEL_FILE)
    if not isinstance(model, TrainedModel):
        raise TypeError(f"{path / MODEL_FILE} does not hold a TrainedModel")
    if (path / META_FILE).is_file():
        model.meta = read_meta(path)
    return model


def load_version(models_dir: str | Path, target: str, version: str) -> TrainedModel:
    path = Path(models_dir) / target / version
    if not path.is_dir():
        raise ModelNotFoundError(f"no model {version!r} for target {target!r} in {models_dir}")
    return load_model(path)


def load_latest(models_dir: str | Path, target: str) -> TrainedModel:
    """Load the newest saved model for ``target``."""
    versions = list_versions(models_dir, target)
    if not versions:
        raise ModelNotFoundError(f"no saved model for target {target!r} in {models_dir}")
    return load_model(versions[-1])
