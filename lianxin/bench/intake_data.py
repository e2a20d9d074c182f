"""Synthetic orders for the intake benchmark: varied Chinese appeal texts, bulk-loaded with COPY.

Texts are demo-corpus appeals (lianxin/intake/corpus/demo_orders.jsonl) moved to another town and
community of the reference data (the town's and the village/community's names in the text are
replaced), with a housing estate or road added at times, durations and counts changed, one sentence
dropped or one borrowed from another appeal of the same category, and a new caller name and phone.
So the index holds clusters of similar appeals (the same problem in many places), real repeats (the
same appellant about the same problem) and unrelated texts, as a city's back-catalogue does.

received_at is spread evenly over `years` before now, ids rising with time; a third of callers call
more than once (phones drawn from a pool of n/3 numbers).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from lianxin.core.models import Organisation, OrgKind
from lianxin.core.personal_data import appellant_key

CORPUS = Path(__file__).resolve().parent.parent / "intake" / "corpus" / "demo_orders.jsonl"
GOLD = Path(__file__).resolve().parent.parent / "intake" / "gold" / "gold.jsonl"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜"
GIVEN = ["先生", "女士", "建国", "海波", "丽娟", "志强", "秀英", "伟", "佳怡", "明", "阿姨", "师傅"]
ESTATES = [
    "海景花园", "金岛苑", "银泰城", "东海明珠", "翡翠湾", "香樟苑", "阳光城", "滨港小区", "绿城桂花园", "华庭雅苑",
    "城东新村", "和润花园", "海天公寓", "世纪新城", "新河小区", "渔港新村", "东门小区", "人民北路", "解放西路",
    "海滨大道", "昌国路", "环城南路", "新城大道", "鲁家峙路",
]  # fmt: skip
VILLAGE_CHARS = "东西南北新大小长沙山塘湾岙浦港峙泥岭桥头后前中里外金银平安庆丰和兴隆福"
NUMERALS = "一二三四五六七八九十两"
_PLACE = re.compile(r"[\u4e00-\u9fff]{2,3}?(?:社区|村)")
_COUNT = re.compile(f"[{NUMERALS}]+(?=(?:天|个月|年|次|周|个小时|点|楼|层|户|家|辆))")
_DIGITS = re.compile(r"(?<!\d)\d{1,4}(?!\d)")
_SENTENCE = re.compile(r"(?<=[。！？!?\n])")

ORDER_TABLES = ("orders_order",)
NULL = "\\N"


@dataclass(frozen=True)
class Base:
    text: str
    category: str
    town_name: str


@dataclass(frozen=True)
class Town:
    pk: int
    district_pk: int
    name: str
    communities: tuple[tuple[int, str], ...]


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def gold_texts() -> list[str]:
    return [str(row["text"]) for row in _read_jsonl(GOLD)]


class TextMaker:
    """Deterministic for a seed: `make(rng)` returns (text, town, community pk or None)."""

    def __init__(self) -> None:
        towns_by_code = {o.code: o for o in Organisation.objects.filter(kind=OrgKind.TOWN)}
        communities: dict[int, list[tuple[int, str]]] = {}
        for c in Organisation.objects.filter(kind=OrgKind.COMMUNITY).order_by("code"):
            if c.parent_id is not None:
                communities.setdefault(c.parent_id, []).append((c.pk, c.name))
        self.towns = [
            Town(t.pk, t.parent_id or 0, t.name, tuple(communities.get(t.pk, [])))
            for t in sorted(towns_by_code.values(), key=lambda o: o.code)
        ]
        rows = _read_jsonl(CORPUS)
        self.bases = [
            Base(
                str(r["text"]),
                str(r.get("category", "")),
                towns_by_code[r["town"]].name if r.get("town") in towns_by_code else "",
            )
            for r in rows
        ]
        by_category: dict[str, list[str]] = {}
        for b in self.bases:
            sentences = [s for s in _SENTENCE.split(b.text) if len(s) > 6]
            by_category.setdefault(b.category, []).extend(sentences[1:-1] or sentences)
        self.sentences = by_category

    def _village(self, rng: random.Random) -> str:
        return "".join(rng.sample(VILLAGE_CHARS, 2)) + rng.choice(["村", "社区"])

    def make(self, rng: random.Random) -> tuple[str, Town, int | None]:
        base = rng.choice(self.bases)
        town = rng.choice(self.towns)
        community: tuple[int, str] | None = (
            rng.choice(town.communities) if town.communities and rng.random() < 0.7 else None
        )
        place = community[1] if community else self._village(rng)
        text = base.text
        if base.town_name and base.town_name in text:
            text = text.replace(base.town_name, town.name)
        else:
            text = town.name + text if rng.random() < 0.5 else text
        old_places = set(_PLACE.findall(text))
        for old in old_places:
            text = text.replace(old, place)
        if rng.random() < 0.5:
            estate = rng.choice(ESTATES) + (f"{rng.randint(1, 40)}幢" if rng.random() < 0.5 else "")
            text = text.replace(place, place + estate, 1) if place in text else estate + text
        text = _COUNT.sub(lambda _m: rng.choice(NUMERALS), text)
        text = _DIGITS.sub(lambda m: str(rng.randint(1, 10 ** len(m.group(0)) - 1)), text)
        sentences = [s for s in _SENTENCE.split(text) if s]
        if len(sentences) > 2 and rng.random() < 0.3:
            del sentences[rng.randrange(1, len(sentences) - 1)]
        if rng.random() < 0.3 and self.sentences.get(base.category):
            sentences.insert(rng.randrange(1, len(sentences) + 1), rng.choice(self.sentences[base.category]))
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        text = "".join(sentences)
        if rng.random() < 0.4:
            text = rng.choice(["来电人", "市民", "诉求人："]) + name + "反映：" + text
        return text, town, community[0] if community else None


def _secondary_indexes(tables: tuple[str, ...]) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            ORDER BY i.indexname
            """,
            [list(tables)],
        )
        return [(str(n), str(d)) for n, d in cursor.fetchall()]


ORDER_COLUMNS = (
    "id, number, verify_code, channel, appeal_type, petition_kind, urgency, status, title, text, summary, tags, "
    "appellant_name, appellant_phones, appellant_id_number, appellant_key, is_anonymous, is_confidential, "
    "district_id, town_id, community_id, address, received_at, closed_at, deadline_exact, rule_version, "
    "was_overdue, sign_late, supervised, reply_text, satisfaction, redo_count, return_count, extension_count, "
    "type_changed, ai_suggestions, ai_model_version, version, updated_at, is_repeat"
)


def _esc(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


def order_lines(maker: TextMaker, count: int, years: float, seed: int, now: dt.datetime) -> Iterator[str]:
    """COPY text lines for orders_order (closed hotline complaints; what the index reads).

    Runs no query: it is consumed while a COPY holds the connection.
    """
    rng = random.Random(seed)
    phones = [f"1{rng.choice('3578')}{rng.randint(0, 999_999_999):09d}" for _ in range(max(1, count // 3))]
    keys: dict[str, str] = {}
    span = years * 365 * 86400
    start = now - dt.timedelta(seconds=span)
    step = span / max(count, 1)
    stamp = now.isoformat()
    for i in range(1, count + 1):
        text, town, community = maker.make(rng)
        phone = rng.choice(phones)
        key = keys.get(phone) or keys.setdefault(phone, appellant_key([phone]))
        received = (start + dt.timedelta(seconds=(i - 1 + rng.random()) * step)).isoformat()
        closed = (start + dt.timedelta(seconds=(i + 2) * step)).isoformat()
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        district = str(town.district_pk) if town.district_pk else NULL
        community_id = str(community) if community else NULL
        yield (
            f"{i}\tZB{i:010d}\t{rng.randint(0, 999999):06d}\thotline\tcomplaint\t\tnormal\tclosed\t{_esc(text[:24])}\t"
            f'{_esc(text)}\t\t[]\t{name}\t["{phone}"]\t\t{key}\tf\tf\t{district}\t{town.pk}\t'
            f"{community_id}\t\t{received}\t{closed}\tt\t1\tf\tf\tf\t\t\t0\t0\t0\tf\t{{}}\t\t1\t{stamp}\tf\n"
        )


def truncate() -> None:
    """Remove every order and the whole similar-order index (bench DB only)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE intake_similarityband, intake_similarityentry, intake_stopband, orders_orderevent, "
            "orders_assignment, orders_extensionrequest, orders_returnrequest, orders_order RESTART IDENTITY CASCADE"
        )


def load_orders(count: int, years: float = 3.0, seed: int = 12345) -> dict[str, Any]:
    """Replace every order (and the similar-order index) with `count` synthetic ones; bench DB only."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    truncate()
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        now = cursor.fetchone()[0]  # type: ignore[index]
    indexes = _secondary_indexes(ORDER_TABLES)
    maker = TextMaker()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        step = time.perf_counter()
        raw = cursor.cursor  # psycopg 3 cursor under Django's wrapper
        with raw.copy(f"COPY orders_order ({ORDER_COLUMNS}) FROM STDIN") as copy:
            block: list[str] = []
            for line in order_lines(maker, count, years, seed, now):
                block.append(line)
                if len(block) >= 5000:
                    copy.write("".join(block))
                    block.clear()
            if block:
                copy.write("".join(block))
        timings["generate_and_copy_s"] = time.perf_counter() - step
        step = time.perf_counter()
        for _name, definition in indexes:
            cursor.execute(definition)
        timings["order_indexes_s"] = time.perf_counter() - step
        cursor.execute("SELECT setval(pg_get_serial_sequence('orders_order', 'id'), GREATEST(%s, 1))", [count])
    step = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) orders_order")
        cursor.execute("SELECT count(DISTINCT md5(text)) FROM orders_order")
        distinct = int(cursor.fetchone()[0])  # type: ignore[index]
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('orders_order'))")
        size = str(cursor.fetchone()[0])  # type: ignore[index]
    timings["vacuum_analyze_s"] = time.perf_counter() - step
    timings["total_s"] = time.perf_counter() - started
    return {
        "orders": count,
        "distinct_texts": distinct,
        "orders_table_size": size,
        "timings": {k: round(v, 1) for k, v in timings.items()},
    }
