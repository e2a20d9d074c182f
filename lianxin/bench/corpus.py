"""Realistic Chinese appeal texts for benchmark payloads, taken from the synthetic demo corpus."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parent.parent / "intake" / "corpus" / "demo_orders.jsonl"
# The corpus says "petition" for every petition channel; the API knows three.
CHANNEL_MAP = {"petition": "petition_letter"}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜"


@dataclass(frozen=True)
class Appeal:
    channel: str
    appeal_type: str
    urgency: str
    text: str
    category: str
    district: str
    town: str


@cache
def appeals() -> list[Appeal]:
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [
        Appeal(
            channel=CHANNEL_MAP.get(row["channel"], row["channel"]),
            appeal_type=row["appeal_type"],
            urgency=row.get("urgency", "normal"),
            text=row["text"],
            category=row.get("category", ""),
            district=row.get("district", ""),
            town=row.get("town", ""),
        )
        for row in rows
    ]


# Assigned mobile prefixes (174 and 154 are not): the API validates numbers with `phonenumbers`.
MOBILE_PREFIXES = [f"13{d}" for d in range(10)] + [f"15{d}" for d in "01235789"] + [f"18{d}" for d in range(10)]


def mobile(rng: random.Random) -> str:
    return f"{rng.choice(MOBILE_PREFIXES)}{rng.randint(10_000_000, 99_999_999)}"


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(["先生", "女士", "建国", "海波", "丽娟", "志强", "秀英", "伟"])


def create_payload(appeal: Appeal, rng: random.Random, analyze: bool) -> dict[str, Any]:
    """What a call-taker's client sends after a call: the text plus the fields the person filled in."""
    return {
        "channel": appeal.channel,
        "appeal_type": appeal.appeal_type,
        "urgency": appeal.urgency,
        "text": appeal.text,
        "category": appeal.category,
        "town": appeal.town,
        "appellant_name": person(rng),
        "appellant_phones": [mobile(rng)],
        "analyze": analyze,
    }
