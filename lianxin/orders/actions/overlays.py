"""Overlays that are not states: merge (并单), reminders (催办) and formal supervision (督办)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.core.errors import Conflict, InvalidInput
from lianxin.core.models import User
from lianxin.orders.actions.base import lock, now, record, require_not_merged, require_role
from lianxin.orders.choices import FINISHED_STATUSES
from lianxin.orders.models import Order
from lianxin.orders.policy import MERGE_ROLES, REMIND_ROLES, SUPERVISE_ROLES


def merge(order: Order | int, actor: User | None, *, into: Order | int, reason: str) -> Order:
    """Link a duplicate under a parent; every appellant is kept, and the merge can be undone."""
    if not reason.strip():
        raise InvalidInput(_("请填写并单理由"), "reason")
    with transaction.atomic():
        child, parent = _lock_pair(order, into, actor)
        require_role(actor, MERGE_ROLES, _("并单"))
        if child.pk == parent.pk:
            raise InvalidInput(_("不能把工单并入自身"), "into")
        if child.parent_id is not None:
            raise Conflict(_("该工单已并入其他工单"))
        if parent.parent_id is not None:
            raise Conflict(_("目标工单本身已被并单，请选择其主工单"))
        if child.merged_children.exists():
            raise Conflict(_("该工单下已有被并入的工单，不能再并入其他工单"))
        if child.status in FINISHED_STATUSES:
            raise Conflict(_("已办结的工单不能并单"))
        child.parent = parent
        record(child, actor, "merged", old_status=child.status, reason=reason, data={"into": parent.number})
        record(parent, actor, "merge_received", old_status=parent.status, reason=reason, data={"child": child.number})
        return child


def unmerge(order: Order | int, actor: User | None, *, reason: str) -> Order:
    with transaction.atomic():
        child = lock(order, actor)
        require_role(actor, MERGE_ROLES, _("撤销并单"))
        if child.parent_id is None:
            raise Conflict(_("该工单没有被并单"))
        # A merge that locked the parent first (lower id) must not wait on us while we wait on it.
        child, parent = _lock_pair(child.pk, child.parent_id, actor)
        if child.parent_id != parent.pk:
            raise Conflict(_("该工单的并单关系已被他人修改，请刷新后重试"))
        child.parent = None
        record(child, actor, "unmerged", old_status=child.status, reason=reason, data={"from": parent.number})
        record(parent, actor, "merge_removed", old_status=parent.status, reason=reason, data={"child": child.number})
        return child


def _lock_pair(first: Order | int, second: Order | int, actor: User | None) -> tuple[Order, Order]:
    """Lock two orders lowest id first, so two merges of the same pair in opposite directions queue
    instead of deadlocking (PostgreSQL would abort one of them)."""
    first_id = first if isinstance(first, int) else first.pk
    second_id = second if isinstance(second, int) else second.pk
    if first_id == second_id:
        one = lock(first_id, actor)
        return one, one
    low, high = sorted((first_id, second_id))
    locked = {low: lock(low, actor), high: lock(high, actor)}
    return locked[first_id], locked[second_id]


def remind(order: Order | int, actor: User | None, *, reason: str = "") -> Order:
    with transaction.atomic():
        locked = lock(order, actor)
        require_role(actor, REMIND_ROLES, _("催办"))
        require_not_merged(locked)
        if locked.status in FINISHED_STATUSES:
            raise Conflict(_("已办结的工单无需催办"))
        locked.reminded_at = now()
        record(locked, actor, "reminded", old_status=locked.status, reason=reason)
        return locked


def supervise(order: Order | int, actor: User | None, *, reason: str) -> Order:
    if not reason.strip():
        raise InvalidInput(_("请填写督办意见"), "reason")
    with transaction.atomic():
        locked = lock(order, actor)
        require_role(actor, SUPERVISE_ROLES, _("督办"))
        require_not_merged(locked)
        if locked.status in FINISHED_STATUSES:
            raise Conflict(_("已办结的工单不能督办"))
        locked.supervised = True
        record(locked, actor, "supervised", old_status=locked.status, reason=reason)
        return locked
