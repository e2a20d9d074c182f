"""Which actions a user may offer on an order now: the same facts the actions themselves check."""

from __future__ import annotations

from lianxin.core.models import Role, User
from lianxin.orders import policy
from lianxin.orders.choices import FINISHED_STATUSES, AssignmentState, RequestState, Status
from lianxin.orders.models import Order

BY_STATUS: dict[str, list[str]] = {
    Status.RECEIVED: ["accept", "answer", "dispatch"],
    Status.AWAITING_DISPATCH: ["dispatch"],
    Status.DISPATCHED: ["sign", "request_return"],
    Status.RETURN_REQUESTED: ["redispatch", "reject_return"],
    Status.HANDLING: ["reply", "request_return", "request_extension"],
    Status.REPLIED: ["callback", "close", "redo"],
    Status.CALLED_BACK: ["close", "redo"],
    Status.CLOSED: ["redo"],
}
ROLES_FOR: dict[str, frozenset[str]] = {
    "accept": policy.INTAKE_ROLES,
    "answer": policy.INTAKE_ROLES,
    "dispatch": policy.DISPATCH_ROLES,
    "redispatch": policy.DISPATCH_ROLES,
    "reject_return": policy.DISPATCH_ROLES,
    "approve_extension": policy.DISPATCH_ROLES,
    "reject_extension": policy.DISPATCH_ROLES,
    "sign": policy.HANDLER_ROLES,
    "request_return": policy.HANDLER_ROLES,
    "request_extension": policy.HANDLER_ROLES,
    "reply": policy.HANDLER_ROLES,
    "callback": policy.CALLBACK_ROLES,
    "close": policy.CALLBACK_ROLES,
    "redo": policy.REDO_ROLES,
    "merge": policy.MERGE_ROLES,
    "unmerge": policy.MERGE_ROLES,
    "remind": policy.REMIND_ROLES,
    "supervise": policy.SUPERVISE_ROLES,
}


def allowed_actions(order: Order, user: User) -> list[str]:
    if order.parent_id is not None:
        candidates = ["unmerge"]
    else:
        candidates = list(BY_STATUS.get(order.status, []))
        if order.extension_requests.filter(state=RequestState.PENDING).exists():
            candidates += ["approve_extension", "reject_extension"]
        if order.status not in FINISHED_STATUSES:
            candidates += ["merge", "remind", "supervise"]
    result = [a for a in candidates if user.is_superuser or user.role in ROLES_FOR[a]]
    if user.role == Role.HANDLER and not user.is_superuser:
        result = [a for a in result if _handler_may(order, user, a)]
    return result


def _handler_may(order: Order, user: User, action: str) -> bool:
    org = user.organisation
    if org is None:
        return False
    mine = [a for a in order.assignments.exclude(state=AssignmentState.WITHDRAWN) if org.path.startswith(a.unit_path)]
    if not mine:
        return False
    is_lead = any(a.role == "lead" for a in mine)
    if action == "sign":
        return any(a.state == AssignmentState.DISPATCHED for a in mine)
    if action == "reply":
        return any(a.state == AssignmentState.SIGNED for a in mine)
    return is_lead
