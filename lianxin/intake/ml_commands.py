"""`lianxin ml …`: train/evaluate (intake.ml.cli), plus the whole-intake evaluation and training export.

lianxin ml train --input history.xlsx --text-col 内容 --label-col 分类 --target category
lianxin ml evaluate --input dev.csv --text-col text --label-col label --target category
lianxin ml evaluate-intake [--gold lianxin/intake/gold/gold.jsonl] [--json]
lianxin ml export-orders --out confirmed.jsonl      # operators' confirmed orders as training rows
lianxin ml retrain-from-orders                      # train new versions from confirmed orders
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from django.conf import settings

GOLD = Path(__file__).resolve().parent / "gold" / "gold.jsonl"


def _evaluate_intake(args: argparse.Namespace) -> int:
    from lianxin.intake.analysis import analyze
    from lianxin.intake.extract.scoring import load_gold, score_gold_set

    if not args.gold.exists():
        print(f"error: gold file {args.gold} not found", file=sys.stderr)
        return 2

    def predict(row: dict[str, Any]) -> dict[str, Any]:
        received = dt.datetime.fromisoformat(str(row["received_at"]))
        a = analyze(row["text"], received)
        unit = a.fields["lead_unit"]
        return {
            "name": a.value("appellant_name"),
            "phones": a.value("phones"),
            "id_number": a.value("id_number"),
            "district": a.value("district"),
            "town": a.value("town"),
            "community": a.value("community"),
            "address": a.value("address"),
            "times": a.value("times"),
            "appeal_type": a.value("appeal_type"),
            "urgency": a.value("urgency"),
            "category": a.value("category"),
            "confidential": a.value("confidential"),
            "unit": unit.value,
            "unit_top3": [r["value"] for r in unit.ranked],
        }

    rows = load_gold(args.gold)
    predict(rows[0])  # load models and reference data before timing
    result = score_gold_set(rows, predict)
    top3 = [float(r["gold"].get("unit") in predict(r)["unit_top3"]) for r in rows if r.get("gold", {}).get("unit")]
    result["fields"]["unit_top3"] = round(sum(top3) / len(top3), 4) if top3 else None
    if not args.misses:
        result.pop("misses", None)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print(f"gold rows: {result['n']}")
        for name, score in result["fields"].items():
            print(f"  {name:<14} {score:.1%}" if score is not None else f"  {name:<14} -")
        print(f"latency per text: p50 {result['latency_ms']['p50']} ms, p99 {result['latency_ms']['p99']} ms")
        if args.misses:
            for name, ids in result["misses"].items():
                print(f"  misses {name}: {' '.join(ids)}")
    return 0


def _confirmed_rows() -> list[dict[str, Any]]:
    from lianxin.orders.models import Order

    qs = (
        Order.objects.filter(category__isnull=False)
        .exclude(status__in=["received"])
        .select_related("category", "town", "district", "lead_unit")
    )
    return [
        {
            "id": o.number,
            "text": o.text,
            "category": o.category.code if o.category else "",
            "appeal_type": o.appeal_type,
            "unit": o.lead_unit.code if o.lead_unit else "",
            "town": o.town.code if o.town else "",
            "district": o.district.code if o.district else "",
        }
        for o in qs.iterator(chunk_size=2000)
    ]


def _export(args: argparse.Namespace) -> int:
    rows = _confirmed_rows()
    with open(args.out, "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"exported {len(rows)} confirmed orders to {args.out}")
    return 0


def _retrain(args: argparse.Namespace) -> int:
    from lianxin.intake.training import read_jsonl, train_all

    rows = _confirmed_rows()
    if args.with_corpus:
        from lianxin.intake.training import CORPUS

        rows += read_jsonl(CORPUS)
    if len(rows) < 20:
        print("error: fewer than 20 confirmed orders; keep the current models", file=sys.stderr)
        return 2
    for version in train_all(rows, Path(settings.MODELS_DIR)):
        print(f"trained {version}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] in ("train", "evaluate"):
        from lianxin.intake.ml.cli import main as ml_main

        if "--models-dir" not in args_list:
            args_list += ["--models-dir", str(settings.MODELS_DIR)]
        return ml_main(args_list)
    parser = argparse.ArgumentParser(
        prog="lianxin ml", description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    ev = sub.add_parser("evaluate-intake", help="score the whole intake analysis on the gold set")
    ev.add_argument("--gold", type=Path, default=GOLD)
    ev.add_argument("--json", action="store_true")
    ev.add_argument("--misses", action="store_true")
    ex = sub.add_parser("export-orders", help="write confirmed orders as training rows (JSONL)")
    ex.add_argument("--out", required=True)
    rt = sub.add_parser("retrain-from-orders", help="train new model versions from confirmed orders")
    rt.add_argument("--with-corpus", action="store_true", help="add the demo corpus to thin history")
    sub.add_parser("train", help="train a model from a CSV/Excel file (see: lianxin ml train -h)")
    sub.add_parser("evaluate", help="evaluate a saved model on a labelled file (see: lianxin ml evaluate -h)")
    args = parser.parse_args(args_list)
    handlers = {"evaluate-intake": _evaluate_intake, "export-orders": _export, "retrain-from-orders": _retrain}
    return handlers[args.command](args)
