"""The database similar-order index: bulk rebuild, pending orders, and the query against the per-order path."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from lianxin.core.models import Organisation, OrgKind
from lianxin.intake import service, setup, similar_index
from lianxin.intake.models import SimilarityBand, SimilarityEntry, StopBand
from lianxin.orders import actions
from lianxin.orders.actions.intake import NewOrder
from lianxin.orders.models import Order

pytestmark = pytest.mark.django_db

TEXTS = [
    "沈家门街道半升洞社区旁边工地每天晚上十一点以后还在施工，噪音太大，孩子没法睡觉。",
    "临城街道海莲社区小区门口的路灯坏了一个多月了，晚上很黑，老人出门不安全。",
    "千岛街道新城大道的公交车经常不按时发车，早上等了半个多小时，上班经常迟到。",
    "东港街道海天公寓楼下烧烤店每天晚上油烟很大，直接排到居民楼窗户里，家里窗户都不敢开。",
    "请问养老保险断缴了怎么补缴？",
    "您好，谢谢。",  # nothing left to compare after normalisation: an entry without bands
    "我姓李，电话幺三九五八零七六五四三。沈家门街道半升洞社区旁边的工地每天晚上十一点以后还在施工，噪音太大。",
]


def make_orders(users: dict[str, Any], texts: list[str]) -> list[Order]:
    """Orders made by the real action; its after-commit indexing hook never runs inside a test."""
    town = Organisation.objects.filter(kind=OrgKind.TOWN).order_by("code").first()
    items = [
        NewOrder(
            actions.OrderDraft(
                channel="hotline",
                appeal_type="complaint",
                text=text,
                town=town if i % 2 else None,
                appellant_phones=[f"1390000{i % 3:04d}"],
                received_at=timezone.now() - dt.timedelta(days=i),
            )
        )
        for i, text in enumerate(texts)
    ]
    return [order for order, _ in actions.create_orders(users["calltaker"], items)]


def index_state() -> tuple[dict[int, tuple[Any, ...]], list[tuple[int, int]]]:
    entries = {
        e[0]: (*e[1:2], bytes(e[2]), *e[3:])
        for e in SimilarityEntry.objects.values_list(
            "order_id", "scheme", "signature", "town_code", "community_code", "text_place", "appellant_hash",
            "received_at",
        )
    }  # fmt: skip
    bands = sorted(SimilarityBand.objects.values_list("order_id", "band_key"))
    return entries, bands


def schema_objects() -> set[tuple[str, str]]:
    """Names of the index tables' indexes, constraints and sequences (PostgreSQL), which a swap must keep."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT 'index', indexname || ' ' || regexp_replace(indexdef, '^.* USING ', '') FROM pg_indexes
            WHERE tablename IN ('intake_similarityband', 'intake_similarityentry')
            UNION ALL SELECT 'constraint', conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated::text
            FROM pg_constraint WHERE conrelid IN ('intake_similarityband'::regclass, 'intake_similarityentry'::regclass)
            UNION ALL SELECT 'sequence', pg_get_serial_sequence('intake_similarityband', 'id')
            """
        )
        return {(str(a), str(b)) for a, b in cursor.fetchall()}


@pytest.mark.parametrize("jobs", [1, 2])
def test_rebuild_stores_what_per_order_indexing_stores(users: dict[str, Any], jobs: int) -> None:
    orders = make_orders(users, TEXTS)
    for order in Order.objects.select_related("town", "community"):
        similar_index.index_order(order)
    expected = index_state()
    assert len(expected[0]) == len(TEXTS) and len(expected[1]) == 32 * (len(TEXTS) - 1)
    before = schema_objects() if connection.vendor == "postgresql" else set()
    SimilarityBand.objects.filter(order=orders[0]).delete()  # a damaged index is repaired
    SimilarityEntry.objects.filter(order=orders[1]).update(text_place="旧")

    result = similar_index.rebuild(jobs=jobs, chunk=3)

    assert index_state() == expected
    assert result.orders == len(TEXTS) and result.band_rows == len(expected[1])
    if connection.vendor == "postgresql":
        assert schema_objects() == before
    # The swapped-in tables take new orders the ordinary way (identity sequence, foreign keys).
    new = make_orders(users, ["定海区盐仓街道河道里漂着很多垃圾，水发黑发臭。"])[0]
    service.index_new_order(new.pk)
    assert SimilarityBand.objects.filter(order=new).count() == 32
    assert SimilarityBand.objects.order_by("-pk").values_list("order_id", flat=True).first() == new.pk


def test_rebuild_recounts_stop_bands(users: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    make_orders(users, [TEXTS[1]] * 3 + TEXTS[2:4])
    StopBand.objects.create(band_key=1, postings=9)
    monkeypatch.setattr(similar_index, "MAX_POSTINGS_PER_KEY", 2)
    result = similar_index.rebuild()
    # The three identical texts share all 32 band keys: more than 2 postings each.
    assert result.stop_bands == 32
    assert StopBand.objects.count() == 32 and set(StopBand.objects.values_list("postings", flat=True)) == {3}


def test_rebuilt_index_finds_the_resubmission(users: dict[str, Any]) -> None:
    orders = make_orders(users, TEXTS)
    similar_index.rebuild()
    again = TEXTS[0].replace("十一点", "十点半") + "我姓张，电话幺三八零零零零幺幺幺幺。"
    matches = similar_index.query(similar_index.Query(text=again), k=3)
    assert matches[0].order_id == orders[0].pk and matches[0].is_near_duplicate
    assert {m.order_id for m in matches} >= {orders[0].pk, orders[6].pk}


def test_index_pending_indexes_each_order_once(users: dict[str, Any]) -> None:
    orders = make_orders(users, TEXTS)
    similar_index.index_order(Order.objects.select_related("town", "community").get(pk=orders[2].pk))
    assert similar_index.count_pending() == len(TEXTS) - 1
    assert similar_index.index_pending(batch_size=2) == len(TEXTS) - 1
    assert similar_index.count_pending() == 0 and similar_index.index_pending() == 0
    assert SimilarityEntry.objects.count() == len(TEXTS)


def test_prepare_index_rebuilds_in_bulk_only_when_most_orders_are_unindexed(
    users: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(setup, "REBUILD_ABOVE", 3)
    make_orders(users, TEXTS[:3])
    assert setup.prepare_index() == ["Indexed 3 orders for similar-order search."]
    make_orders(users, TEXTS[3:])
    assert setup.prepare_index()[0].startswith("Rebuilt the similar-order index: 7 orders")
    assert setup.prepare_index() == []


def test_query_candidates_by_bands_and_by_appellant_not_by_stop_bands(users: dict[str, Any]) -> None:
    orders = make_orders(users, TEXTS)  # phones cycle over three appellants: orders 0, 3 and 6 share one
    similar_index.rebuild()
    appellant = Order.objects.get(pk=orders[0].pk).appellant_key
    q = similar_index.Query(text=TEXTS[3], appellant_hash=appellant, received_at=timezone.now())
    matches = {m.order_id: m for m in similar_index.query(q, k=10, exclude=orders[3].pk)}
    assert orders[3].pk not in matches
    # Unrelated texts of the same appellant are candidates, never near-duplicates.
    assert "same_appellant" in matches[orders[0].pk].reasons and not matches[orders[0].pk].is_near_duplicate
    assert "same_appellant" in matches[orders[6].pk].reasons
    assert "recent" in matches[orders[6].pk].reasons  # received six days before: stored times compare right

    # Once every band key of the text is a stop band, only the appellant's orders remain candidates.
    keys = SimilarityBand.objects.filter(order=orders[1]).values_list("band_key", flat=True)
    StopBand.objects.bulk_create(StopBand(band_key=k, postings=9999) for k in keys)
    similar_index.forget_stop_bands()
    assert similar_index.query(similar_index.Query(text=TEXTS[1]), k=10) == []
    assert [m.order_id for m in similar_index.query(similar_index.Query(text=TEXTS[2]), k=1)] == [orders[2].pk]
