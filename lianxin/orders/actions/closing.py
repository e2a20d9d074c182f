"""After the reply: callback (回访), close (办结) and redo (重办)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.core.errors import InvalidInput
from lianxin.core.models import User
from lianxin.orders.actions.base import apply_transition, lock, now, record, require_not_merged, require_role
from lianxin.orders.choices import AssignmentRole, AssignmentState, Satisfaction
from lianxin.orders.models import Order
from lianxin.orders.policy import CALLBACK_ROLES, REDO_ROLES


def callback(
    order: Order | int,
    actor: User | None,
    *,
    contacted: bool,
    solved: bool | None = None,
    satisfaction: str = "",
    note: str = "",
    redo_if_unsatisfied: bool = False,
    expected_version: int | None = None,
) -> Order:
    """Record the callback; an unsatisfied citizen can send the order straight back for redo."""
    if contacted and (solved is None or satisfaction not in Satisfaction.values):
        raise InvalidInput(_("联系上诉求人时须填写是否解决和满意度"), "satisfaction")
    with transaction.atomic():
        locked = lock(order, actor, expected_version)
        require_role(actor, CALLBACK_ROLES, _("回访"))
        require_not_merged(locked)
        old = locked.status
        apply_transition(locked, locked.t_callback, _("回访"))
        locked.contacted = contacted
        locked.solved = solved if contacted else None
        locked.satisfaction = satisfaction if contacted else ""
        data = {"contacted": contacted, "solved": locked.solved, "satisfaction": locked.satisfaction}
        record(locked, actor, "called_back", old_status=old, reason=note, data=data)
        if redo_if_unsatisfied and contacted and (satisfaction == Satisfaction.UNSATISFIED or solved is False):
            _redo_locked(locked, actor, reason=note or _("回访不满意，退回重办"))
        return locked


def close(order: Order | int, actor: User | None, *, reason: str = "", expected_version: int | None = None) -> Order:
    with transaction.atomic():
        locked = lock(order, actor, expected_version)
        require_role(actor, CALLBACK_ROLES, _("办结"))
        require_not_merged(locked)
        old = locked.status
        apply_transition(locked, locked.t_close, _("办结"))
        locked.closed_at = now()
        record(locked, actor, "closed", old_status=old, reason=reason)
        return locked


def _redo_locked(locked: Order, actor: User | None, *, reason: str) -> None:
    old = locked.status
    apply_transition(locked, locked.t_redo, _("重办"))
    locked.redo_count += 1
    locked.closed_at = None
    locked.replied_at = None
    # The lead unit handles again; its earlier reply stays in the timeline.
    locked.assignments.filter(role=AssignmentRole.LEAD, state=AssignmentState.REPLIED).update(
        state=AssignmentState.SIGNED
    )
    record(locked, actor, "redone", old_status=old, reason=reason)


def redo(order: Order | int, actor: User | None, *, reason: str, expected_version: int | None = None) -> Order:
    if not reason.strip():
        raise InvalidInput(_("请填写重办理由"), "reason")
    with transaction.atomic():
        locked = lock(order, actor, expected_version)
        require_role(actor, REDO_ROLES, _("重办"))
        require_not_merged(locked)
        _redo_locked(locked, actor, reason=reason)
        return locked
