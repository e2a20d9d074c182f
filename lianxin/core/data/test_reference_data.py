"""Consistency checks for the Zhoushan reference data, the demo corpus and the gold set.

Plain pytest, standard library only: no Django needed.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
REF_PATH = HERE / "zhoushan.json"
CORPUS_PATH = REPO / "lianxin" / "intake" / "corpus" / "demo_orders.jsonl"
GOLD_PATH = REPO / "lianxin" / "intake" / "gold" / "gold.jsonl"

TIERS = {"consult", "help", "complaint", "urgent", "emergency"}
CHANNELS = {"hotline", "web", "grid", "petition", "visit"}
APPEAL_TYPES = {
    "consult",
    "help",
    "complaint",
    "report",
    "suggestion",
    "praise",
    "other",
}
URGENCIES = {"normal", "urgent", "emergency"}
TERRITORIAL = {"@town", "@district"}
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"


def id_check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of a mainland resident ID number."""
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=False))
    return ID_CHECK[total % 11]


@pytest.fixture(scope="module")
def ref() -> dict[str, Any]:
    with REF_PATH.open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def iter_categories(nodes: list[dict[str, Any]], level: int = 1) -> Iterator[tuple[int, dict[str, Any]]]:
    for node in nodes:
        yield level, node
        yield from iter_categories(node.get("children", []), level + 1)


def towns(ref: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(d, t) for d in ref["districts"] for t in d["towns"]]


def communities(
    ref: dict[str, Any],
) -> list[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]]:
    return [(d, t, c) for d, t in towns(ref) for c in t["communities"]]


def org_codes(ref: dict[str, Any]) -> set[str]:
    codes = {ref["city"]["code"]}
    codes |= {d["code"] for d in ref["districts"]}
    codes |= {t["code"] for _, t in towns(ref)}
    codes |= {u["code"] for u in ref["departments"] + ref["utilities"]}
    return codes


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rows.append(json.loads(line))
    return rows


# --- reference data -----------------------------------------------------------------------


def test_top_level_shape(ref: dict[str, Any]) -> None:
    assert ref["version"] == 1
    assert ref["city"] == {"code": "330900", "name": "舟山市", "aliases": ["舟山"]}
    assert set(ref) == {
        "version",
        "city",
        "districts",
        "departments",
        "utilities",
        "time_limit_tiers",
        "categories",
    }
    assert {t["code"] for t in ref["time_limit_tiers"]} == TIERS


def test_districts_and_towns(ref: dict[str, Any]) -> None:
    names = {d["name"] for d in ref["districts"]}
    assert {"定海区", "普陀区", "岱山县", "嵊泗县"} <= names
    codes = {d["code"] for d in ref["districts"]}
    assert {"330902", "330903", "330921", "330922", "330900-xc"} <= codes
    all_towns = towns(ref)
    assert 34 <= len(all_towns) <= 45
    for d, t in all_towns:
        assert re.fullmatch(r"\d{9}", t["code"]), t
        # towns administered by 新城 keep their statutory 定海区 code
        expected_prefix = "330902" if d["code"] == "330900-xc" else d["code"]
        assert t["code"].startswith(expected_prefix), t["code"]
        assert t["kind"] in {"街道", "镇", "乡"}
        assert t["name"].endswith(t["kind"])
        assert len(t["communities"]) >= 2 or t["name"] == "花鸟乡"


def test_communities(ref: dict[str, Any]) -> None:
    for _, t, c in communities(ref):
        assert re.fullmatch(r"\d{12}", c["code"]), c
        assert c["code"].startswith(t["code"])
        assert c["kind"] in {"社区", "村"}
        assert c["name"].endswith(c["kind"])
        assert 1 <= len(c["grids"]) <= 3
        assert all(g.startswith(c["name"]) and g.endswith("网格") for g in c["grids"])
        assert len(c["places"]) <= 5
        assert isinstance(c["aliases"], list)


def test_all_codes_unique(ref: dict[str, Any]) -> None:
    codes = [ref["city"]["code"]]
    codes += [d["code"] for d in ref["districts"]]
    codes += [t["code"] for _, t in towns(ref)]
    codes += [c["code"] for _, _, c in communities(ref)]
    codes += [u["code"] for u in ref["departments"] + ref["utilities"]]
    codes += [n["code"] for _, n in iter_categories(ref["categories"])]
    dupes = [c for c, n in Counter(codes).items() if n > 1]
    assert not dupes, dupes


def test_aliases_are_unambiguous_between_towns(ref: dict[str, Any]) -> None:
    seen: dict[str, str] = {}
    for _, t in towns(ref):
        for alias in [t["name"], *t["aliases"]]:
            assert alias not in seen, (alias, seen.get(alias), t["code"])
            seen[alias] = t["code"]


def test_units(ref: dict[str, Any]) -> None:
    units = ref["departments"] + ref["utilities"]
    assert len(ref["departments"]) >= 15
    assert any(u["code"] == "hotline-center" and u["kind"] == "hotline" for u in ref["departments"])
    for u in units:
        assert set(u) == {"code", "name", "short", "aliases", "kind", "duties"}
        assert u["kind"] in {"department", "utility", "hotline"}
        assert u["duties"]
    for u in ref["utilities"]:
        assert u["kind"] == "utility"
    assert {"util-water", "util-power", "util-gas"} <= {u["code"] for u in ref["utilities"]}


def test_categories(ref: dict[str, Any]) -> None:
    unit_codes = {u["code"] for u in ref["departments"] + ref["utilities"]} | TERRITORIAL
    per_level: Counter[int] = Counter()
    for level, node in iter_categories(ref["categories"]):
        per_level[level] += 1
        assert len(node["code"]) == 2 * level and node["code"].isdigit(), node["code"]
        assert node["unit"] in unit_codes, node
        assert node["tier"] in TIERS, node
        assert 5 <= len(node["keywords"]) <= 15, node["code"]
        assert len(set(node["keywords"])) == len(node["keywords"]), node["code"]
        for child in node.get("children", []):
            assert child["code"].startswith(node["code"])
        if level < 3:
            assert node["children"], node["code"]
        else:
            assert "children" not in node
    assert 10 <= per_level[1] <= 12
    assert 35 <= per_level[2] <= 45
    assert 100 <= per_level[3] <= 130


# --- demo corpus ----------------------------------------------------------------------------


def level3(ref: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n["code"]: n for lvl, n in iter_categories(ref["categories"]) if lvl == 3}


def check_order_fields(row: dict[str, Any], ref: dict[str, Any]) -> None:
    assert row["channel"] in CHANNELS
    datetime.fromisoformat(row["received_at"])
    assert row["received_at"].endswith("+08:00")


@pytest.mark.skipif(not CORPUS_PATH.exists(), reason="corpus not generated yet")
def test_corpus(ref: dict[str, Any]) -> None:
    rows = read_jsonl(CORPUS_PATH)
    assert 2000 <= len(rows) <= 3000
    cats = level3(ref)
    town_district = {t["code"]: d["code"] for d, t in towns(ref)}
    orgs = org_codes(ref)
    ids = Counter(r["id"] for r in rows)
    assert max(ids.values()) == 1
    texts = Counter(r["text"] for r in rows)
    assert len(texts) >= 0.95 * len(rows), "too many duplicate texts"
    for r in rows:
        assert set(r) == {
            "id",
            "channel",
            "received_at",
            "text",
            "category",
            "appeal_type",
            "urgency",
            "unit",
            "district",
            "town",
        }, r
        check_order_fields(r, ref)
        assert r["category"] in cats, r
        assert r["appeal_type"] in APPEAL_TYPES
        assert r["urgency"] in URGENCIES
        assert r["town"] in town_district, r
        assert town_district[r["town"]] == r["district"], r
        assert r["unit"] in orgs, r
        unit = cats[r["category"]]["unit"]
        expected = {"@town": r["town"], "@district": r["district"]}.get(unit, unit)
        assert r["unit"] == expected, r
        assert "{" not in r["text"] and "}" not in r["text"], r["text"]
    assert {r["channel"] for r in rows} == CHANNELS
    assert set(Counter(r["category"] for r in rows)) == set(cats), "every level-3 category present"


# --- gold set -------------------------------------------------------------------------------


@pytest.mark.skipif(not GOLD_PATH.exists(), reason="gold set not written yet")
def test_gold(ref: dict[str, Any]) -> None:
    rows = read_jsonl(GOLD_PATH)
    assert len(rows) >= 120
    cats = level3(ref)
    town_district = {t["code"]: d["code"] for d, t in towns(ref)}
    comm_town = {c["code"]: t["code"] for _, t, c in communities(ref)}
    districts = {d["code"] for d in ref["districts"]}
    orgs = org_codes(ref)
    assert len({r["id"] for r in rows}) == len(rows)
    per_channel = Counter(r["channel"] for r in rows)
    assert per_channel["hotline"] >= 40
    assert per_channel["web"] >= 25
    assert per_channel["grid"] >= 20
    assert per_channel["petition"] + per_channel["visit"] >= 20
    assert per_channel["visit"] >= 15
    for r in rows:
        assert set(r) == {"id", "channel", "received_at", "text", "gold"}, r["id"]
        check_order_fields(r, ref)
        g = r["gold"]
        assert set(g) == {
            "name",
            "phones",
            "id_number",
            "district",
            "town",
            "community",
            "address",
            "times",
            "appeal_type",
            "urgency",
            "category",
            "unit",
            "confidential",
        }, r["id"]
        assert g["name"] is None or (isinstance(g["name"], str) and g["name"] in r["text"]), r["id"]
        assert isinstance(g["phones"], list) and len(set(g["phones"])) == len(g["phones"]), r["id"]
        for p in g["phones"]:
            assert re.fullmatch(r"1[3-9]\d{9}|0\d{2,3}-\d{7,8}", p), (r["id"], p)
        if g["id_number"] is not None:
            idn = g["id_number"]
            assert re.fullmatch(r"\d{17}[\dX]", idn), r["id"]
            assert id_check_digit(idn[:17]) == idn[17], (r["id"], idn)
        assert g["district"] is None or g["district"] in districts, r["id"]
        if g["town"] is not None:
            assert g["town"] in town_district, r["id"]
            assert town_district[g["town"]] == g["district"], r["id"]
        if g["community"] is not None:
            assert comm_town.get(g["community"]) == g["town"], r["id"]
        assert g["address"] is None or g["address"] in r["text"], (
            r["id"],
            g["address"],
        )
        for t in g["times"]:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", t), (r["id"], t)
            datetime.strptime(t, "%Y-%m-%d")
        assert g["appeal_type"] in APPEAL_TYPES, r["id"]
        assert g["urgency"] in URGENCIES, r["id"]
        assert g["category"] in cats, r["id"]
        assert g["unit"] in orgs, (r["id"], g["unit"])
        assert isinstance(g["confidential"], bool)
