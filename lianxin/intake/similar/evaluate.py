"""Near-duplicate evaluation: generated re-submissions among distractors, precision and recall.

Usage::

    python -m lianxin.intake.similar.evaluate [--input FILE.jsonl] [--seed 7] [--n 400] [--json]

Base texts come from ``--input`` (JSONL with a ``text`` field), else from
``lianxin/intake/gold/gold.jsonl`` or ``lianxin/intake/corpus/demo_orders.jsonl`` when they exist,
else from a built-in generator of Zhoushan-style appeals. For each base text the evaluation
makes a re-submission (changed phone, reordered sentences, typos, another caller name, an added
greeting; one to three of these at random) and two distractors: the same place with a different
problem, and the same problem at a different place. All base texts and distractors are indexed;
every re-submission and distractor is then queried. A flagged pair is correct only when it is a
(re-submission, its base) pair. Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from .index import InMemorySimilarIndex, with_text_place
from .minhash import band_keys, signature
from .scoring import OrderMeta, ScoringPolicy, hash_phone

__all__ = ["main", "run_evaluation"]

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_INPUTS = (
    REPO_ROOT / "lianxin/intake/gold/gold.jsonl",
    REPO_ROOT / "lianxin/intake/corpus/demo_orders.jsonl",
)

_TOWNS = {
    "定海区": ["临城街道", "千岛街道", "城东街道", "盐仓街道", "岑港街道", "白泉镇", "金塘镇", "干览镇"],
    "普陀区": ["沈家门街道", "东港街道", "朱家尖街道", "展茅街道", "六横镇", "桃花镇"],
    "岱山县": ["高亭镇", "东沙镇", "岱西镇", "衢山镇", "长涂镇"],
    "嵊泗县": ["菜园镇", "嵊山镇", "洋山镇", "五龙乡"],
}
_COMMUNITIES = ["海莲", "南峰", "文化路", "新螺头", "基湖", "蓉浦", "东河", "墩头", "桥头", "长峙",
                "檀枫", "金平", "新港", "庙桥", "勾山", "鲁家峙", "芦花", "小展", "塘头", "大衢"]
_ESTATES = ["海景花园", "金岛苑", "银泰城", "东海明珠", "翡翠湾", "香樟苑", "阳光城", "滨港小区",
            "绿城桂花园", "华庭雅苑", "城东新村", "和润花园", "海天公寓", "世纪新城"]
_PROBLEMS = [
    ["小区门口的路灯坏了{n}个多月", "晚上出行很不安全", "老人小孩经常摔倒"],
    ["楼下烧烤店每天晚上油烟很大", "直接排到居民楼窗户里", "家里窗户都不敢开"],
    ["隔壁工地夜间施工噪音很大", "晚上{h}点以后还在打桩", "严重影响休息"],
    ["小区里的垃圾桶{n}天没人清运", "天气热臭味很大", "苍蝇蚊子很多"],
    ["家里自来水有一股铁锈味", "水是黄色的", "不敢给孩子喝"],
    ["公司拖欠工资已经{n}个月了", "一共{m}多元", "老板一直找借口不给"],
    ["小区地下车库积水严重", "下雨天车子开不进去", "物业一直不管"],
    ["公交车{n}路经常不按时发车", "早上等了半个多小时", "上班经常迟到"],
    ["路边有一棵大树被台风刮歪了", "随时可能倒下来", "下面经常有人走过"],
    ["小区电梯经常坏", "上周还困过人", "物业只是简单修一下"],
    ["海边渔船停靠的码头栏杆断了", "晚上没有照明", "很容易掉下海"],
    ["农贸市场的猪肉摊缺斤短两", "买了{n}斤回家称少了二两", "摊主不承认"],
    ["孩子上学的学校门口交通很乱", "接送车辆乱停乱放", "孩子过马路很危险"],
    ["楼上邻居空调外机滴水", "滴到我家阳台上", "沟通了好几次都没用"],
    ["养老保险缴费记录少了{n}个月", "社保中心说要去原单位开证明", "原单位已经倒闭了"],
    ["医院挂号排队时间太长", "网上预约一直约不到", "老人看病很不方便"],
    ["道路上有个大坑", "电动车骑过去很容易摔", "已经有人摔伤了"],
    ["小区绿化带被人占用种菜", "还浇粪水", "气味很难闻"],
    ["燃气管道有漏气的味道", "就在楼道里", "担心发生危险"],
    ["网购的商品质量有问题", "商家拒绝退货", "已经过了{n}天"],
    ["停车场收费标准不公示", "一次收了{m}元", "感觉乱收费"],
    ["河道里漂着很多垃圾", "水发黑发臭", "夏天味道特别大"],
    ["人行道上的地砖松动", "下雨天一踩就溅水", "走路很不方便"],
    ["物业费突然上涨", "没有开业主大会", "业主都不同意"],
    ["学校食堂饭菜质量差", "孩子说吃不饱", "价格还很贵"],
    ["附近的KTV半夜很吵", "凌晨{h}点还在唱歌", "投诉了好几次"],
    ["租房押金房东不退", "合同到期已经{n}天", "房东电话也不接"],
    ["小区消防通道被车辆堵住", "消防车根本进不来", "存在很大安全隐患"],
    ["公厕长期没人打扫", "里面很脏很臭", "游客意见很大"],
    ["村里的自来水经常停水", "一停就是{n}天", "生活很不方便"],
]
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
_GREETINGS = ["您好，", "你好，", "喂，你好，", "您好，我想反映个问题，", "你好，麻烦问一下，"]
_CLOSINGS = ["谢谢。", "麻烦尽快处理，谢谢。", "希望有关部门尽快处理。", "辛苦了。", "请尽快给我回复。"]
_TYPO_POOL = "的地得在再做作已以到道坐座那哪象像进近见件尽仅即既带代"
_CN_DIGITS = "零一二三四五六七八九"


@dataclass(frozen=True)
class Doc:
    text: str
    place: str  # community-level place string ("" when unknown)
    problem: str  # problem key ("" when unknown)
    phone: str
    community: str | None = None  # code from the file's gold annotations, when given
    town: str | None = None


def _phone(rng: random.Random) -> str:
    return "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))


def _spoken(phone: str) -> str:
    return "".join("幺" if d == "1" else _CN_DIGITS[int(d)] for d in phone)


def _fill(sentence: str, rng: random.Random) -> str:
    return sentence.format(n=rng.randint(2, 9), m=rng.randint(2, 90) * 100, h=rng.randint(10, 12))


def _place(rng: random.Random) -> tuple[str, str]:
    district = rng.choice(sorted(_TOWNS))
    town = rng.choice(_TOWNS[district])
    community = rng.choice(_COMMUNITIES) + rng.choice(["社区", "村"])
    estate = rng.choice(_ESTATES) if rng.random() < 0.6 else ""
    return f"{district}{town}{community}{estate}", f"{district}{town}{community}"


def _compose(place_text: str, sentences: list[str], name: str, phone: str, rng: random.Random) -> str:
    intro = rng.choice([
        f"来电人{name}反映：",
        f"市民{name}来电反映，",
        f"{name}来电，",
        f"诉求人：{name}，联系电话：{phone}。",
        "",
    ])
    body = f"{place_text}" + "，".join(sentences) + "。"
    tail = rng.choice(["", f"联系电话{phone}。", f"请回电{phone}。", "请相关部门处理。"])
    return intro + body + tail


def _name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + rng.choice(["先生", "女士"])


def generate_base(n: int, rng: random.Random, seen: set[tuple[str, str]] | None = None) -> list[Doc]:
    """``n`` distinct synthetic appeals (problem x place x details)."""
    docs: list[Doc] = []
    seen = set() if seen is None else seen
    while len(docs) < n:
        p = rng.randrange(len(_PROBLEMS))
        place_text, place = _place(rng)
        if (place, str(p)) in seen:
            continue
        seen.add((place, str(p)))
        phone = _phone(rng)
        sentences = [_fill(s, rng) for s in _PROBLEMS[p]]
        docs.append(Doc(_compose(place_text, sentences, _name(rng), phone, rng), place, str(p), phone))
    return docs


_PHONE_RE = re.compile(r"1[3-9]\d{9}")
_NAME_RE = re.compile(f"[{_SURNAMES}](?:先生|女士)")
_PLACE_RE = re.compile(r"[\u4e00-\u9fff]{2,5}?(?:社区|村|小区|花园|苑|新村|街道|镇|乡)")


def _sentences(text: str) -> list[str]:
    parts = [p for p in re.split(r"(?<=[。！？；!?;，,])", text) if p.strip()]
    return parts


def resubmit(doc: Doc, rng: random.Random) -> tuple[Doc, list[str]]:
    """A re-submission of ``doc`` with one to three perturbations; returns it and their names."""
    ops = rng.sample(["phone", "reorder", "typos", "name", "greeting"], rng.randint(1, 3))
    text = doc.text
    phone = doc.phone
    for op in ops:
        if op == "phone":
            phone = _phone(rng)
            new = phone if rng.random() < 0.7 else _spoken(phone)
            text = _PHONE_RE.sub(new, text) if _PHONE_RE.search(text) else text + f"我的电话是{new}。"
        elif op == "reorder":
            parts = _sentences(text)
            if len(parts) > 2:
                head, rest = parts[:1], parts[1:]
                i, j = sorted(rng.sample(range(len(rest)), 2))
                rest[i], rest[j] = rest[j], rest[i]
                text = "".join(head + rest)
        elif op == "typos":
            chars = list(text)
            cjk = [i for i, c in enumerate(chars) if "\u4e00" <= c <= "\u9fff"]
            for i in rng.sample(cjk, min(len(cjk), rng.randint(1, 3))):
                chars[i] = rng.choice(_TYPO_POOL)
            text = "".join(chars)
        elif op == "name":
            new_name = _name(rng)
            text = _NAME_RE.sub(new_name, text) if _NAME_RE.search(text) else f"我是{new_name}，" + text
        elif op == "greeting":
            text = rng.choice(_GREETINGS) + text + rng.choice(_CLOSINGS)
    return replace(doc, text=text, phone=phone), ops


def _from_file(path: Path) -> list[Doc]:
    docs = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            row = json.loads(line)
            text = str(row.get("text") or row.get("content") or "").strip()
            if len(text) < 8:
                continue
            places = _PLACE_RE.findall(text)
            phones = _PHONE_RE.findall(text)
            gold = row.get("gold") if isinstance(row.get("gold"), dict) else {}
            docs.append(Doc(text, places[-1] if places else "", "", phones[0] if phones else "",
                            gold.get("community") or None, gold.get("town") or None))
    # Exact duplicate texts in the source would be true duplicates: keep one.
    unique: dict[str, Doc] = {}
    for d in docs:
        unique.setdefault(d.text, d)
    return list(unique.values())


def _swap_place(text: str, new_place: str, rng: random.Random) -> str:
    spans = list(_PLACE_RE.finditer(text))
    if not spans:
        return new_place + text
    m = spans[-1]
    return text[: m.start()] + new_place + text[m.end() :]


def _distractors(
    docs: Sequence[Doc],
    i: int,
    rng: random.Random,
    synthetic: bool,
    seen: set[tuple[str, str]],
    pool: Sequence[Doc] = (),
) -> list[Doc]:
    """Same place / different problem, and same problem / different place, for ``docs[i]``."""
    d = docs[i]
    out = []
    if synthetic:
        other = (int(d.problem) + rng.randint(1, len(_PROBLEMS) - 1)) % len(_PROBLEMS)
        while (d.place, str(other)) in seen:  # never a second report of one problem at one place
            other = (other + 1) % len(_PROBLEMS)
        seen.add((d.place, str(other)))
        sentences = [_fill(s, rng) for s in _PROBLEMS[other]]
        phone = d.phone if rng.random() < 0.5 else _phone(rng)  # same caller, another problem
        out.append(Doc(_compose(d.place, sentences, _name(rng), phone, rng), d.place, str(other), phone))
        place_text, place = _place(rng)
        while place == d.place or (place, d.problem) in seen:
            place_text, place = _place(rng)
        seen.add((place, d.problem))
        sentences = [_fill(s, rng) for s in _PROBLEMS[int(d.problem)]]
        phone = _phone(rng)
        out.append(Doc(_compose(place_text, sentences, _name(rng), phone, rng), place, d.problem, phone))
        return out
    # File texts: the same place with another problem is a text of the distractor pool carrying
    # this order's place codes; the same problem at another place is this text with every place
    # name replaced and other place codes.
    if pool:
        pooled = pool[i % len(pool)]
        out.append(replace(pooled, place=d.place, community=d.community, town=d.town, phone=_phone(rng)))
    if _PLACE_RE.search(d.text):
        new_place = rng.choice(_COMMUNITIES) + rng.choice(["社区", "村"])
        text = _PLACE_RE.sub(lambda m: new_place, d.text)
        if new_place != d.place:
            out.append(Doc(text, new_place, "", _phone(rng), f"x{new_place}", None))
    return out


def _meta(doc: Doc, when: datetime, salt: str) -> OrderMeta:
    code = doc.community or (hashlib.sha1(doc.place.encode()).hexdigest()[:12] if doc.place else None)
    return OrderMeta(community_code=code, town_code=doc.town,
                     appellant_hash=hash_phone(doc.phone, salt) or None, received_at=when)


def run_evaluation(
    base: Sequence[Doc] | None = None,
    *,
    n: int = 400,
    seed: int = 7,
    policy: ScoringPolicy | None = None,
    use_meta: bool = True,
) -> dict[str, Any]:
    rng = random.Random(seed)
    synthetic = base is None
    seen: set[tuple[str, str]] = set()
    docs = list(base) if base is not None else generate_base(n, rng, seen)
    pool: list[Doc] = []
    if base is not None:
        rng.shuffle(docs)
        half = len(docs) // 2  # first half: originals; second half: distractor texts only
        docs, pool = docs[: min(half, n)], docs[half:]
    index = InMemorySimilarIndex(policy or ScoringPolicy())
    t0 = datetime(2026, 3, 1, 8, 0)
    indexed: list[Doc] = []
    # (doc, position of its original in docs, ops, its own order id when indexed)
    queries: list[tuple[Doc, int | None, list[str], int | None]] = []
    for i, d in enumerate(docs):
        indexed.append(d)
        for x in _distractors(docs, i, rng, synthetic, seen, pool):
            indexed.append(x)
            queries.append((x, None, ["distractor"], len(indexed)))
    order_ids = list(range(1, len(indexed) + 1))
    when = {oid: t0 + timedelta(hours=3 * k) for k, oid in enumerate(order_ids)}
    sig_times = []
    for oid, d in zip(order_ids, indexed, strict=True):
        s0 = time.perf_counter()
        sig = signature(d.text)
        band_keys(sig)
        sig_times.append(time.perf_counter() - s0)
        index.add_signature(oid, sig, with_text_place(_meta(d, when[oid], "eval") if use_meta else None, d.text))
    for i, d in enumerate(docs):
        r, ops = resubmit(d, rng)
        queries.append((r, i, ops, None))
    # Map base-doc position to its order id (base docs were indexed interleaved with distractors).
    base_ids = {}
    k = 0
    for i in range(len(docs)):
        while indexed[k] is not docs[i]:
            k += 1
        base_ids[i] = order_ids[k]
    tp = fp = fn = 0
    misses: list[dict[str, Any]] = []
    false_flags: list[dict[str, Any]] = []
    per_op: dict[str, list[int]] = {}
    q_times = []
    for qn, (d, orig, ops, own_id) in enumerate(queries):
        when_q = t0 + timedelta(days=2, hours=qn)
        meta = _meta(d, when_q, "eval") if use_meta else None
        s0 = time.perf_counter()
        matches = index.query(d.text, meta, k=10, exclude=own_id)
        q_times.append(time.perf_counter() - s0)
        flagged = {m.order_id: m for m in matches if m.is_near_duplicate}
        truth = base_ids[orig] if orig is not None else None
        if truth is not None:
            hit = truth in flagged
            tp += hit
            fn += not hit
            for op in ops:
                per_op.setdefault(op, [0, 0])
                per_op[op][0] += hit
                per_op[op][1] += 1
            if not hit and len(misses) < 5 and orig is not None:
                sim = next((m.text_similarity for m in matches if m.order_id == truth), None)
                misses.append({"ops": ops, "similarity": sim, "original": docs[orig].text, "query": d.text})
        for oid, m in flagged.items():
            if oid != truth:
                fp += 1
                if len(false_flags) < 5:
                    false_flags.append({"kind": ops[0], "similarity": m.text_similarity,
                                        "reasons": list(m.reasons), "indexed": indexed[oid - 1].text,
                                        "query": d.text})
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    sig_ms = sorted(t * 1000 for t in sig_times)
    q_ms = sorted(t * 1000 for t in q_times)
    return {
        "source": "generated" if synthetic else "file",
        "seed": seed,
        "base_texts": len(docs),
        "indexed": len(indexed),
        "queries": len(queries),
        "resubmissions": len(docs),
        "distractor_queries": len(queries) - len(docs),
        "true_positives": tp,
        "false_positives": fp,
        "false_negatives": fn,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "recall_by_perturbation": {op: round(h / t, 4) for op, (h, t) in sorted(per_op.items())},
        "signature_and_bands_ms": {"p50": round(sig_ms[len(sig_ms) // 2], 3),
                                   "p99": round(sig_ms[int(len(sig_ms) * 0.99)], 3)},
        "query_ms": {"p50": round(q_ms[len(q_ms) // 2], 3), "p99": round(q_ms[int(len(q_ms) * 0.99)], 3)},
        "examples_missed": misses,
        "examples_false_flags": false_flags,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lianxin similar evaluate", description=__doc__.split("\n")[0])
    parser.add_argument("--input", type=Path, default=None, help="JSONL with a 'text' field")
    parser.add_argument("--generated", action="store_true", help="ignore files, use the generator")
    parser.add_argument("--n", type=int, default=400, help="number of base texts (default 400)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-meta", action="store_true", help="compare texts only (no place/phone)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    base: list[Doc] | None = None
    source = "generated"
    if not args.generated:
        candidates = [args.input] if args.input else [p for p in DEFAULT_INPUTS if p.is_file()]
        for path in candidates:
            if not path.is_file():
                print(f"error: {path}: no such file", file=sys.stderr)
                return 2
            try:
                base = _from_file(path)
            except (OSError, ValueError) as exc:
                print(f"error: {path}: {exc}", file=sys.stderr)
                return 2
            if len(base) < 10:
                print(f"error: {path}: fewer than 10 usable texts", file=sys.stderr)
                return 2
            source = str(path)
            break
    report = run_evaluation(base, n=args.n, seed=args.seed, use_meta=not args.no_meta)
    report["source"] = source
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(f"source {source}  seed {report['seed']}  base {report['base_texts']}  "
              f"indexed {report['indexed']}  queries {report['queries']}")
        print(f"near-duplicate flag: precision {report['precision']:.4f}  recall {report['recall']:.4f}  "
              f"(TP {report['true_positives']}, FP {report['false_positives']}, FN {report['false_negatives']})")
        print("recall by perturbation: " + ", ".join(f"{k} {v:.3f}" for k, v in report["recall_by_perturbation"].items()))
        print(f"signature+bands ms p50 {report['signature_and_bands_ms']['p50']} p99 {report['signature_and_bands_ms']['p99']}; "
              f"query ms p50 {report['query_ms']['p50']} p99 {report['query_ms']['p99']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
