"""``lianxin ml``: train and evaluate text classifiers from CSV or Excel files.

Examples::

    python -m lianxin.intake.ml.cli train --input train.csv --text-col text --title-col title \\
        --label-col label --target category --models-dir var/models --dedupe-col dup_group \\
        [--config '{"mnb": true}']
    python -m lianxin.intake.ml.cli evaluate --input dev.csv --text-col text --title-col title \\
        --label-col label --target category --models-dir var/models [--version V] [--json]

Exit codes: 0 success, 2 bad input (missing file or column, empty file, no model).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from typing import Any

from .data import DataError, read_table
from .metrics import evaluate_model, format_report
from .model import TrainConfig, TrainedModel, train
from .store import (
    ModelNotFoundError,
    load_latest,
    load_version,
    save_model,
    update_meta,
)

__all__ = ["main"]


def _columns(args: argparse.Namespace, *, label: bool, dedupe: bool) -> list[str]:
    cols = [args.text_col]
    if args.title_col:
        cols.append(args.title_col)
    if label:
        cols.append(args.label_col)
    if dedupe and args.dedupe_col:
        cols.append(args.dedupe_col)
    return cols


def parse_config(text: str | None) -> TrainConfig | None:
    """``--config``: a JSON object of :class:`TrainConfig` fields overriding the defaults (``blocks``,
    when given, replaces the whole list)."""
    if not text:
        return None
    try:
        overrides = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(f"--config is not valid JSON: {exc}") from exc
    if not isinstance(overrides, dict):
        raise DataError("--config must be a JSON object, e.g. '{\"mnb\": true}'")
    values = TrainConfig().to_json()
    unknown = sorted(set(overrides) - set(values))
    if unknown:
        raise DataError(f"--config: unknown field(s) {', '.join(unknown)}; known: {', '.join(values)}")
    values.update(overrides)
    try:
        return TrainConfig.from_json(values)
    except (TypeError, ValueError) as exc:
        raise DataError(f"--config: {exc}") from exc


def _cmd_train(args: argparse.Namespace) -> int:
    config = parse_config(args.config)
    rows = read_table(args.input, _columns(args, label=True, dedupe=True))
    texts = [r[args.text_col] for r in rows]
    titles = [r[args.title_col] for r in rows] if args.title_col else None
    labels = [r[args.label_col] for r in rows]
    keys = [r[args.dedupe_col] for r in rows] if args.dedupe_col else None
    if not any(lab.strip() for lab in labels):
        raise DataError(f"{args.input}: column {args.label_col!r} is empty in every row")
    try:
        model = train(texts, labels, target=args.target, titles=titles, dedupe_keys=keys,
                      config=config)
    except ValueError as exc:
        raise DataError(str(exc)) from exc
    path = save_model(model, args.models_dir)
    cv = model.meta["eval"]["cv"]
    out: dict[str, Any] = {
        "version": model.version,
        "path": str(path),
        "training_rows": model.meta["training_rows"],
        "training_rows_used": model.meta["training_rows_used"],
        "labels": model.classes,
        "cv": cv,
        "model_bytes": model.meta.get("model_bytes"),
    }
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(f"version {model.version}")
        print(f"saved to {path} ({out['model_bytes']} bytes)")
        print(f"rows {out['training_rows']} (used {out['training_rows_used']} after dedupe), "
              f"{len(model.classes)} labels")
        if cv:
            print(f"cross-validated ({cv['folds']}-fold): macro-F1 {cv['macro_f1']:.4f}, "
                  f"accuracy {cv['accuracy']:.4f}")
        else:
            print("cross-validation skipped: some label has fewer than 2 rows")
    return 0


def _cmd_evaluate(args: argparse.Namespace) -> int:
    rows = read_table(args.input, _columns(args, label=True, dedupe=False))
    if args.version:
        model = load_version(args.models_dir, args.target, args.version)
    else:
        model = load_latest(args.models_dir, args.target)
    texts = [r[args.text_col] for r in rows]
    titles = [r[args.title_col] for r in rows] if args.title_col else None
    labels = [r[args.label_col] for r in rows]
    report = evaluate_model(model, texts, labels, titles, latency=not args.no_latency)
    report["input"] = str(args.input)
    if args.record:
        figures = {k: report[k] for k in ("macro_f1", "accuracy", "top3_accuracy", "ece", "rows")}
        evals = dict(model.meta.get("eval") or {})
        evals[args.record] = figures
        update_meta(f"{args.models_dir}/{args.target}/{model.version}", eval=evals)
    if args.save_proba:
        _save_proba(args.save_proba, model, texts, titles, labels)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(format_report(report))
    return 0


def _save_proba(
    path: str, model: TrainedModel, texts: Sequence[str], titles: Sequence[str | None] | None, labels: Sequence[str]
) -> None:
    """One row per input row, in input order: its gold label and the calibrated probability of each
    class, so that another model's probabilities can be compared or combined row by row."""
    proba = model.predict_proba(texts, titles)
    try:
        with open(path, "w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(["row", "label", *model.classes])
            for i, (label, row) in enumerate(zip(labels, proba, strict=True)):
                out.writerow([i, label, *(f"{x:.6f}" for x in row)])
    except OSError as exc:
        raise DataError(f"--save-proba: cannot write {path}: {exc.strerror}") from exc


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lianxin ml", description="Train and evaluate text classifiers.")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--input", required=True, help="CSV (UTF-8 or GB18030) or XLSX file")
        p.add_argument("--text-col", default="text", help="column holding the text (default: text)")
        p.add_argument("--title-col", default=None, help="optional column holding a title")
        p.add_argument("--label-col", default="label", help="column holding the label (default: label)")
        p.add_argument("--target", required=True, help="what is predicted, e.g. category, lead_unit")
        p.add_argument("--models-dir", default="var/models", help="root of versioned models")
        p.add_argument("--json", action="store_true", help="machine-readable output")

    p_train = sub.add_parser("train", help="train and save a new model version")
    common(p_train)
    p_train.add_argument("--dedupe-col", default=None, help="rows sharing a value here are one row")
    p_train.add_argument("--config", default=None, metavar="JSON",
                         help='training options overriding the defaults, e.g. \'{"mnb": true, "random_state": 1}\'')
    p_train.set_defaults(func=_cmd_train)

    p_eval = sub.add_parser("evaluate", help="evaluate a saved model on a labelled file")
    common(p_eval)
    p_eval.add_argument("--version", default=None, help="model version (default: the latest)")
    p_eval.add_argument("--no-latency", action="store_true", help="skip the latency measurement")
    p_eval.add_argument("--record", default=None, metavar="NAME",
                        help="also store the headline figures in meta.json under eval.NAME")
    p_eval.add_argument("--save-proba", default=None, metavar="CSV",
                        help="also write each row's class probabilities (columns: row, label, one per class)")
    p_eval.set_defaults(func=_cmd_evaluate)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result: int = args.func(args)
        return result
    except (DataError, ModelNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
