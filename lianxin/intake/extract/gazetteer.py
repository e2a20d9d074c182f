"""The city gazetteer (districts → towns → communities → landmarks) and a fast matcher.

All names and aliases are compiled into one trie-shaped regular expression, which matches the
longest name at each position in a single left-to-right pass (no per-name loop).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "core" / "data" / "zhoushan.json"

DISTRICT, TOWN, COMMUNITY, PLACE = "district", "town", "community", "place"
_LEVEL_RANK = {DISTRICT: 0, TOWN: 1, COMMUNITY: 2, PLACE: 3}

# Bare names (without 镇/街道/社区) that are also ordinary words: they count only with a place
# suffix or a locative right after them.
COMMON_WORDS = frozenset(
    [
        "解放",
        "菜园",
        "桃花",
        "五龙",
        "新城",
        "城东",
        "城西",
        "城南",
        "城北",
        "黄龙",
        "花鸟",
        "枸杞",
        "秀山",
        "东沙",
        "小沙",
        "千岛",
        "长白",
        "白泉",
        "东港",
        "南峰",
        "海山",
        "文化路",
        "新城",
        "双桥",
        "东海",
        "长江",
        "花园",
        "和平",
        "人民",
        "中心",
        "东方",
        "团结",
        "光明",
        "新华",
        "幸福",
        "友谊",
        "前进",
        "胜利",
        "红旗",
        "建设",
        "大洋",
        "海滨",
        "凉峙",
        "月岙",
        "北蝉",
        "大浦",
        "马目",
        "庙桥",
        "基湖",
        "田岙",
        "墩头",
        "海华",
        "海莲",
        "长峙",
        "檀枫",
        "东管庙",
        "新螺头",
        "展茅",
        "东极",
        "普陀",
        "定海",
        "岱山",
        "嵊泗",
        "洋山",
        "金塘",
        "六横",
        "高亭",
    ]
) - frozenset(["普陀", "定海", "岱山", "嵊泗", "六横", "金塘", "高亭", "洋山"])
_LOCATIVE = re.compile(
    r"(?:街道|镇|乡|社区|村|小区|区|县|岛|路|街|港|片区|一带|附近|这边|那边|那里|这里|地区|境内|辖区|周边|码头|海域|老街|集镇|居委)"
)
_ROAD_AFTER = re.compile(r"(?:路|大道|大街|街(?!道)|巷|弄)")
_SUFFIXES = (
    "街道办事处",
    "街道",
    "镇",
    "乡",
    "社区居委会",
    "社区",
    "村委会",
    "村",
    "居委会",
    "管委会",
)


@dataclass(frozen=True)
class Node:
    code: str
    name: str
    level: str
    district: str | None
    town: str | None
    community: str | None
    kind: str = ""
    # The district a town belongs to by its statistical code when another unit manages it
    # (临城街道 is 定海区's by code, run by the 新城 administrative committee): "定海区临城街道"
    # is then one reference, not two districts.
    admin_district: str | None = None


@dataclass
class Gazetteer:
    city_code: str
    city_name: str
    nodes: dict[str, Node]
    surfaces: dict[str, list[tuple[str, bool]]]  # surface → [(code, is_full_name)]
    towns_by_district: dict[str, list[str]]
    city_aliases: tuple[str, ...] = ()
    departments: list[dict[str, Any]] = field(default_factory=list)
    pattern: re.Pattern[str] = field(default_factory=lambda: re.compile(r"(?!)"))

    def node(self, code: str) -> Node:
        return self.nodes[code]

    def find(self, text: str) -> list[Mention]:
        """Every gazetteer mention in text, longest match, left to right.

        A bare name that is also an ordinary word (``COMMON_WORDS``), or a two-character village
        or landmark name, counts only with a place suffix or a locative after it, or when it is
        *supported*: written right after the city name (舟山东港), or next to another mention of
        the same branch of the hierarchy (普陀东港, 双桥碶头, 定海到白泉).
        """
        raw: list[tuple[Mention, bool]] = []
        for m in self.pattern.finditer(text):
            surface = m.group(0)
            cands = self.surfaces.get(surface)
            if not cands:
                continue
            full = any(f for _, f in cands)
            if not full and _ROAD_AFTER.match(text, m.end()) and all(
                self.nodes[c].level == DISTRICT for c, _ in cands
            ):
                continue  # 沈家门定海路: a road named after a district, which it is usually not in
            weak = False
            if not full and not _LOCATIVE.match(text, m.end()):
                if surface in COMMON_WORDS:
                    weak = True
                elif len(surface) <= 2 and all(
                    self.nodes[c].level != TOWN and self.nodes[c].level != DISTRICT for c, _ in cands
                ):
                    weak = True  # a two-character village or landmark name alone is too often a word
            raw.append((Mention(surface, m.start(), m.end(), tuple(c for c, _ in cands), full), weak))
        out: list[Mention] = []
        for i, (mn, weak) in enumerate(raw):
            if weak and not self._supported(text, raw, i):
                continue
            out.append(mn)
        return out

    def related(self, a: Mention, b: Mention) -> bool:
        """One mention names an ancestor (or the same unit) of the other."""
        for ca in a.codes:
            na = self.nodes[ca]
            for cb in b.codes:
                nb = self.nodes[cb]
                if ca == cb or ca in (nb.district, nb.town, nb.admin_district) or cb in (
                    na.district,
                    na.town,
                    na.admin_district,
                ):
                    return True
        return False

    def _supported(self, text: str, raw: list[tuple[Mention, bool]], i: int) -> bool:
        mn = raw[i][0]
        head = text[max(0, mn.start - 8) : mn.start]
        # right after the city's name, or its national new area (舟山群岛新区新城)
        if any(a and re.search(re.escape(a) + r"(?:[\u4e00-\u9fff]{0,2}新区)?$", head) for a in self.city_aliases):
            return True
        if i > 0:
            prev, prev_weak = raw[i - 1]
            gap = text[prev.end : mn.start]
            if self.related(prev, mn) and (gap == "" or (not prev_weak and len(gap) == 1 and gap in _LINKS)):
                return True
        if i + 1 < len(raw):
            nxt, nxt_weak = raw[i + 1]
            gap = text[mn.end : nxt.start]
            if self.related(mn, nxt) and (gap == "" or (not nxt_weak and len(gap) == 1 and gap in _LINKS)):
                return True
        return False


_LINKS = frozenset("到至往和与及、")


@dataclass(frozen=True)
class Mention:
    surface: str
    start: int
    end: int
    codes: tuple[str, ...]
    full: bool


def _trie_regex(words: list[str]) -> str:
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for c in w:
            node = node.setdefault(c, {})
        node[""] = True

    def build(node: dict[str, Any]) -> str:
        end = "" in node
        alts = [re.escape(c) + build(sub) for c, sub in sorted(node.items()) if c]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if end:
            # optional longer continuation: greedy, so the longest name wins
            return "(?:" + body + ")?"
        return body

    return build(trie)


def _stems(name: str) -> list[str]:
    for suf in _SUFFIXES:
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            return [name[: -len(suf)]]
    return []


def build_gazetteer(data: dict[str, Any]) -> Gazetteer:
    city = data.get("city", {})
    nodes: dict[str, Node] = {}
    surfaces: dict[str, list[tuple[str, bool]]] = {}
    towns_by_district: dict[str, list[str]] = {}

    def add(surface: str, code: str, full: bool) -> None:
        if len(surface) < 2:
            return
        lst = surfaces.setdefault(surface, [])
        for i, (c, f) in enumerate(lst):
            if c == code:
                lst[i] = (c, f or full)
                return
        lst.append((code, full))

    district_codes = [d["code"] for d in data.get("districts", [])]

    def admin_district(code: str, managing: str) -> str | None:
        return next((dc for dc in district_codes if dc != managing and code.startswith(dc)), None)

    for d in data.get("districts", []):
        dc = d["code"]
        nodes[dc] = Node(dc, d["name"], DISTRICT, dc, None, None, d.get("kind", ""))
        add(d["name"], dc, True)
        for a in d.get("aliases", []):
            add(a, dc, a.endswith(("区", "县")))
        for s in _stems(d["name"]):
            add(s, dc, False)
        towns_by_district[dc] = []
        for t in d.get("towns", []):
            tc = t["code"]
            towns_by_district[dc].append(tc)
            admin = admin_district(tc, dc)
            nodes[tc] = Node(tc, t["name"], TOWN, dc, tc, None, t.get("kind", ""), admin)
            add(t["name"], tc, True)
            for a in t.get("aliases", []):
                add(a, tc, a.endswith(_SUFFIXES))
            for s in _stems(t["name"]):
                add(s, tc, False)
            for c in t.get("communities", []):
                cc = c["code"]
                nodes[cc] = Node(cc, c["name"], COMMUNITY, dc, tc, cc, c.get("kind", ""), admin)
                add(c["name"], cc, True)
                for a in c.get("aliases", []):
                    add(a, cc, a.endswith(_SUFFIXES))
                for s in _stems(c["name"]):
                    add(s, cc, False)
                for p in c.get("places", []) or []:
                    pname = p if isinstance(p, str) else p.get("name", "")
                    if pname:
                        add(pname, cc, len(pname) >= 3)
    # Department and utility names are not places; drop surfaces equal to them
    words = sorted(surfaces, key=len, reverse=True)
    pattern = re.compile(_trie_regex(words)) if words else re.compile(r"(?!)")
    return Gazetteer(
        city_code=city.get("code", ""),
        city_name=city.get("name", ""),
        nodes=nodes,
        surfaces=surfaces,
        towns_by_district=towns_by_district,
        city_aliases=tuple([city.get("name", ""), *list(city.get("aliases", []))]),
        departments=list(data.get("departments", [])) + list(data.get("utilities", [])),
        pattern=pattern,
    )


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime: float) -> Gazetteer:
    with open(path, encoding="utf-8") as f:
        return build_gazetteer(json.load(f))


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """Load and index a gazetteer JSON (default: lianxin/core/data/zhoushan.json); cached per path."""
    p = Path(path) if path is not None else DEFAULT_PATH
    return _load_cached(str(p.resolve()), p.stat().st_mtime)
