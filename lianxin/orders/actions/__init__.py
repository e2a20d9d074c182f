"""Every state change of a work order; pages, API, Open311, imports and jobs all call these."""

from lianxin.orders.actions.closing import callback, close, redo
from lianxin.orders.actions.dispatch import (
    decide_extension,
    dispatch,
    redispatch,
    reject_return,
    request_extension,
    request_return,
)
from lianxin.orders.actions.handling import reply, sign
from lianxin.orders.actions.intake import (
    NewOrder,
    OrderDraft,
    accept,
    answer_at_intake,
    create_order,
    create_orders,
)
from lianxin.orders.actions.overlays import merge, remind, supervise, unmerge

__all__ = [
    "NewOrder",
    "OrderDraft",
    "accept",
    "answer_at_intake",
    "callback",
    "close",
    "create_order",
    "create_orders",
    "decide_extension",
    "dispatch",
    "merge",
    "redispatch",
    "redo",
    "reject_return",
    "remind",
    "reply",
    "request_extension",
    "request_return",
    "sign",
    "supervise",
    "unmerge",
]
