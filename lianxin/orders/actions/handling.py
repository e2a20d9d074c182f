"""The handling unit's part: sign for the order (签收) and reply (答复); co-units do their share."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.core.errors import Conflict, InvalidInput
from lianxin.core.models import User
from lianxin.orders.actions.base import apply_transition, lock, now, record, require_not_merged, require_role
from lianxin.orders.actions.dispatch import _handler_assignment
from lianxin.orders.choices import AssignmentRole, AssignmentState, Status
from lianxin.orders.models import Order
from lianxin.orders.policy import HANDLER_ROLES

MAX_REPLY_CHARS = 5000


def sign(order: Order | int, actor: User | None, *, reason: str = "", expected_version: int | None = None) -> Order:
    with transaction.atomic():
        locked = lock(order, actor, expected_version)
        require_role(actor, HANDLER_ROLES, _("签收"))
        require_not_merged(locked)
        assignment = _handler_assignment(locked, actor, lead_only=False)
        assert assignment is not None
        if assignment.state != AssignmentState.DISPATCHED:
            raise Conflict(_("本单位已签收该工单"))
        moment = now()
        assignment.state, assignment.signed_at = AssignmentState.SIGNED, moment
        assignment.save(update_fields=["state", "signed_at"])
        old = locked.status
        data = {"unit": assignment.unit.code, "role": assignment.role}
        if assignment.role == AssignmentRole.LEAD:
            apply_transition(locked, locked.t_sign, _("签收"))
            locked.signed_at = moment
            if locked.sign_due and moment > locked.sign_due:
                locked.sign_late = True
            record(locked, actor, "signed", old_status=old, reason=reason, data=data)
        else:
            record(locked, actor, "co_signed", old_status=old, reason=reason, data=data)
        return locked


def reply(
    order: Order | int,
    actor: User | None,
    *,
    text: str,
    attachments: list[str] | None = None,
    expected_version: int | None = None,
) -> Order:
    """The lead unit's reply ends handling; a co-unit's reply is its contribution for the lead unit."""
    content = text.strip()
    if not content:
        raise InvalidInput(_("请填写答复内容"), "text")
    if len(content) > MAX_REPLY_CHARS:
        raise InvalidInput(_("答复内容不能超过%(n)s字") % {"n": MAX_REPLY_CHARS}, "text")
    with transaction.atomic():
        locked = lock(order, actor, expected_version)
        require_role(actor, HANDLER_ROLES, _("答复"))
        require_not_merged(locked)
        assignment = _handler_assignment(locked, actor, lead_only=False)
        assert assignment is not None
        if assignment.state == AssignmentState.DISPATCHED:
            raise Conflict(_("请先签收再答复"))
        moment = now()
        assignment.state, assignment.replied_at, assignment.reply_text = AssignmentState.REPLIED, moment, content
        assignment.save(update_fields=["state", "replied_at", "reply_text"])
        old = locked.status
        data = {"unit": assignment.unit.code, "text": content, "attachments": attachments or []}
        if assignment.role == AssignmentRole.LEAD:
            if locked.status != Status.HANDLING:
                raise Conflict(_("工单当前状态为「%(s)s」，不能答复") % {"s": locked.get_status_display()})
            apply_transition(locked, locked.t_reply, _("答复"))
            locked.replied_at, locked.reply_text = moment, content
            record(locked, actor, "replied", old_status=old, data=data)
        else:
            record(locked, actor, "co_replied", old_status=old, data=data)
        return locked
