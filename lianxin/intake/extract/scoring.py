"""Scoring extracted fields against a gold set.

- exact match after normalisation: phones (as a set), id_number, district, town, community,
  appeal_type, urgency, unit, confidential, category;
- ``unit`` given as a ranked list: correct when the gold unit is in the top 3;
- character F1 (bag of characters) for name and address;
- times: the set of dates (YYYY-MM-DD) must equal the gold set (correct to the day).

A gold value of None (unknown) is matched only by a predicted None (or an empty list).
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

EXACT = ("id_number", "district", "town", "community", "appeal_type", "urgency", "category", "confidential")
CHAR_F1 = ("name", "address")


def _digits(s: Any) -> str:
    return re.sub(r"\D", "", str(s))


def _norm_text(s: Any) -> str:
    return re.sub(r"[\s，,。.、:：；;！!？?\"“”'‘’()（）\-]", "", str(s)) if s is not None else ""


def _empty(v: Any) -> bool:
    return v is None or v == "" or (isinstance(v, (list, tuple, set)) and len(v) == 0)


def char_f1(pred: str, gold: str) -> float:
    if not pred and not gold:
        return 1.0
    if not pred or not gold:
        return 0.0
    common = sum((Counter(pred) & Counter(gold)).values())
    if common == 0:
        return 0.0
    p, r = common / len(pred), common / len(gold)
    return 2 * p * r / (p + r)


def _dates(v: Any) -> set[str]:
    out: set[str] = set()
    for t in v or []:
        d = t.get("date") or (t.get("datetime") or "")[:10] if isinstance(t, dict) else str(t)[:10]
        if d:
            out.add(d)
    return out


def score_field(field_name: str, predicted: Any, gold: Any) -> float:
    """Score in [0, 1] of one predicted field value against the gold value."""
    if field_name == "phones":
        return float({_digits(p) for p in predicted or []} == {_digits(g) for g in gold or []})
    if field_name == "times":
        return float(_dates(predicted) == _dates(gold))
    if field_name in CHAR_F1:
        return char_f1(_norm_text(predicted), _norm_text(gold))
    if field_name == "unit":
        if isinstance(predicted, (list, tuple)):
            if _empty(gold):
                return float(len(predicted) == 0)
            return float(str(gold) in [str(p) for p in predicted[:3]])
        return float(str(predicted) == str(gold)) if not _empty(gold) else float(_empty(predicted))
    if field_name == "id_number":
        return float(str(predicted or "").upper() == str(gold or "").upper())
    if _empty(gold):
        return float(_empty(predicted))
    if isinstance(gold, bool) or isinstance(predicted, bool):
        return float(bool(predicted) == bool(gold))
    return float(_norm_text(predicted) == _norm_text(gold))


def load_gold(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def score_gold_set(
    rows: Iterable[dict[str, Any]],
    predict: Callable[[dict[str, Any]], dict[str, Any]],
) -> dict[str, Any]:
    """Run ``predict(row) -> {field: value}`` over gold rows; mean score per field (over the rows
    whose gold has that field), plus the ids of the rows that missed, and the latency."""
    totals: dict[str, list[float]] = {}
    misses: dict[str, list[str]] = {}
    latencies: list[float] = []
    n = 0
    for row in rows:
        n += 1
        t0 = time.perf_counter()
        pred = predict(row)
        latencies.append((time.perf_counter() - t0) * 1000)
        for fname, gval in (row.get("gold") or {}).items():
            if fname not in pred:
                continue
            s = score_field(fname, pred[fname], gval)
            totals.setdefault(fname, []).append(s)
            if s < 1.0:
                misses.setdefault(fname, []).append(str(row.get("id")))
    fields = {k: round(sum(v) / len(v), 4) for k, v in sorted(totals.items()) if v}
    lat = sorted(latencies)
    return {
        "n": n,
        "fields": fields,
        "counts": {k: len(v) for k, v in totals.items()},
        "misses": misses,
        "latency_ms": {
            "p50": round(statistics.median(lat), 3) if lat else None,
            "p99": round(lat[min(len(lat) - 1, int(0.99 * len(lat)))], 3) if lat else None,
        },
    }


def predict_with_extract(row: dict[str, Any]) -> dict[str, Any]:
    """Adapter: the extractor's values in the gold set's vocabulary."""
    from . import extract

    received = datetime.fromisoformat(str(row["received_at"]).replace("Z", "+00:00"))
    return extract(row["text"], received).values()


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description="Score the field extractor on a gold JSONL file.")
    ap.add_argument("gold", type=Path)
    ap.add_argument("--misses", action="store_true", help="list the ids of rows missed per field")
    args = ap.parse_args(argv)
    rows = load_gold(args.gold)
    predict_with_extract(rows[0])  # warm-up (gazetteer load)
    res = score_gold_set(rows, predict_with_extract)
    if not args.misses:
        res.pop("misses")
    print(json.dumps(res, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
