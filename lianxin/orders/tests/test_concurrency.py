"""Opposite merges of one pair at the same moment, on real PostgreSQL row locks: one wins, the other
gets a clear conflict, and neither is aborted as a deadlock."""

import threading
from typing import Any

import pytest
from django.db import connection, connections

from lianxin.core.errors import ActionError
from lianxin.orders import actions
from lianxin.orders.actions import OrderDraft

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def new_order(users: dict[str, Any], text: str) -> int:
    order, _ = actions.create_order(
        users["calltaker"], OrderDraft(channel="hotline", appeal_type="complaint", text=text)
    )
    return order.pk


def race(users: dict[str, Any], a: int, b: int) -> list[str]:
    gate = threading.Barrier(2)
    outcomes: list[str] = []

    def merge(child: int, parent: int) -> None:
        try:
            gate.wait()
            actions.merge(child, users["dispatcher"], into=parent, reason="同一诉求")
            outcomes.append("merged")
        except ActionError as error:
            outcomes.append(f"refused {error.status_code}")
        except Exception as error:  # a deadlock would surface here as a database error
            outcomes.append(f"failed {type(error).__name__}: {error}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=merge, args=pair) for pair in ((a, b), (b, a))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_opposite_merges_do_not_deadlock(users: dict[str, Any]) -> None:
    for attempt in range(6):
        a = new_order(users, f"小区路灯不亮（第{attempt}次）A")
        b = new_order(users, f"小区路灯不亮（第{attempt}次）B")
        outcomes = race(users, a, b)
        assert sorted(outcomes) == ["merged", "refused 409"], outcomes
