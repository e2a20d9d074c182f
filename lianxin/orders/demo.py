"""About 200 demo orders for Zhoushan, driven through the real actions so their timelines are genuine."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

from django.utils import timezone

from lianxin.core.models import Category, Organisation, OrgKind, User
from lianxin.orders import actions
from lianxin.orders.actions.base import at_time
from lianxin.orders.choices import Channel, Satisfaction, Status, Urgency
from lianxin.orders.models import Order
from lianxin.routing.rules import default_unit

CORPUS = Path(__file__).resolve().parent.parent / "intake" / "corpus" / "demo_orders.jsonl"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
TARGETS = [
    Status.ANSWERED, Status.CLOSED, Status.HANDLING, Status.AWAITING_DISPATCH, Status.DISPATCHED,
    Status.REPLIED, Status.ANSWERED, Status.CLOSED, Status.HANDLING, Status.RETURN_REQUESTED,
    Status.CALLED_BACK, Status.RECEIVED, Status.ANSWERED, Status.CLOSED, Status.HANDLING, Status.REPLIED,
]  # fmt: skip
PETITION_CHANNELS = [Channel.PETITION_LETTER, Channel.PETITION_VISIT, Channel.PETITION_ONLINE]
EXTRA_CHANNELS = [Channel.OPEN311, Channel.PARTNER, Channel.EXCEL]


def _corpus_rows(limit: int) -> list[dict[str, Any]]:
    if not CORPUS.exists():
        return []
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    rng = random.Random(7)
    rng.shuffle(rows)
    return rows[:limit]


def _fallback_rows(limit: int) -> list[dict[str, Any]]:
    towns = list(Organisation.objects.filter(kind=OrgKind.TOWN).select_related("parent"))
    leaves = list(Category.objects.filter(level=3))
    rng = random.Random(11)
    rows = []
    for i in range(limit):
        town, cat = rng.choice(towns), rng.choice(leaves)
        rows.append(
            {
                "channel": ["hotline", "web", "grid", "petition", "visit"][i % 5],
                "text": f"市民反映{town.name}附近{cat.name}问题，已持续一段时间，希望有关部门尽快处理。",
                "category": cat.code,
                "appeal_type": ["complaint", "consult", "help", "report", "suggestion", "praise", "other"][i % 7],
                "urgency": "normal",
                "town": town.code,
            }
        )
    return rows


def _channel(raw: str, index: int) -> str:
    if index % 23 == 5:
        return EXTRA_CHANNELS[index % 3]
    if raw == "petition":
        return PETITION_CHANNELS[index % 3]
    return raw if raw in Channel.values else Channel.WEB


def load_demo_orders(users: dict[str, User], count: int = 200) -> int:
    rows = _corpus_rows(count) or _fallback_rows(count)
    categories = {c.code: c for c in Category.objects.select_related("parent", "default_unit")}
    orgs = {o.code: o for o in Organisation.objects.all()}
    rng = random.Random(2026)
    now = timezone.now()
    created = 0
    for index, row in enumerate(rows):
        key = f"demo-{index:04d}"
        if Order.objects.filter(idempotency_key=key).exists():
            continue
        received = now - dt.timedelta(minutes=rng.randint(60, 45 * 24 * 60))
        town = orgs.get(row.get("town", ""))
        district = town.parent if town is not None else orgs.get(row.get("district", ""))
        category = categories.get(row.get("category", ""))
        name = rng.choice(SURNAMES) + rng.choice(["先生", "女士", "建国", "海波", "丽娟", "志强"])
        draft = actions.OrderDraft(
            channel=_channel(row.get("channel", "web"), index),
            appeal_type=row.get("appeal_type", "complaint"),
            urgency=row.get("urgency", Urgency.NORMAL),
            text=row["text"],
            category=category,
            appellant_name="" if index % 17 == 3 else name,
            appellant_phones=[f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"],
            is_anonymous=index % 17 == 3,
            is_confidential=row.get("appeal_type") == "report" and index % 2 == 0,
            district=district,
            town=town,
            received_at=received,
        )
        with at_time(received):
            order, _ = actions.create_order(users["calltaker"], draft, idempotency_key=key)
        _drive(order, TARGETS[index % len(TARGETS)], users, received, rng)
        created += 1
    return created


def _drive(order: Order, target: str, users: dict[str, User], t: dt.datetime, rng: random.Random) -> None:
    """Replay a plausible history up to `target`, one action at a time, at believable moments."""
    # Eight steps at most, all before now.
    step = min(dt.timedelta(hours=rng.randint(2, 30)), (timezone.now() - t) / 9)
    if target == Status.RECEIVED:
        return
    if target == Status.ANSWERED:
        with at_time(t + dt.timedelta(minutes=6)):
            actions.answer_at_intake(order.pk, users["calltaker"], reply="已当场解答政策口径，市民表示清楚。")
        return
    with at_time(t + dt.timedelta(minutes=8)):
        actions.accept(order.pk, users["calltaker"])
    if target == Status.AWAITING_DISPATCH:
        return
    lead = default_unit(order.category, order.town, order.district) or Organisation.objects.get(code="dept-zhzf")
    t += step
    with at_time(t):
        actions.dispatch(order.pk, users["dispatcher"], lead_unit=lead, reason="按分类默认承办单位派单")
    if target == Status.DISPATCHED:
        return
    handler = User.objects.filter(role="handler", organisation=lead).first() or users["admin"]
    if target == Status.RETURN_REQUESTED:
        with at_time(t + step):
            actions.request_return(order.pk, handler, reason="该事项不属于本单位职责范围，建议改派。")
        return
    t += step
    with at_time(t):
        actions.sign(order.pk, handler)
    if target == Status.HANDLING:
        return
    t += step * 3
    with at_time(t):
        actions.reply(order.pk, handler, text="经现场核查，已协调相关方处理完毕，并告知诉求人处理结果。")
    if target == Status.REPLIED:
        return
    t += step
    satisfied = rng.random() < 0.85
    with at_time(t):
        actions.callback(
            order.pk,
            users["callback"],
            contacted=True,
            solved=satisfied,
            satisfaction=Satisfaction.SATISFIED if satisfied else rng.choice(list(Satisfaction.values)),
        )
    if target == Status.CALLED_BACK:
        return
    with at_time(t + dt.timedelta(minutes=30)):
        actions.close(order.pk, users["callback"])
