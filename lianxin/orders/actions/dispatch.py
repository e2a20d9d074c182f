"""Dispatch to a lead unit and co-units, returns (退单) and extensions (延期)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.core.errors import Conflict, Forbidden, InvalidInput
from lianxin.core.models import Organisation as Org
from lianxin.core.models import OrgKind, Role, User
from lianxin.orders.actions.base import (
    apply_transition,
    lock,
    now,
    record,
    require_not_merged,
    require_role,
    rules_for,
)
from lianxin.orders.actions.base import order_attrs as attrs_of
from lianxin.orders.choices import AssignmentRole, AssignmentState, RequestState, Status
from lianxin.orders.deadline_rules import resolve_limit
from lianxin.orders.models import Assignment, ExtensionRequest, Order, ReturnRequest
from lianxin.orders.policy import DISPATCH_ROLES, HANDLER_ROLES

HANDLING_KINDS = {OrgKind.DISTRICT, OrgKind.TOWN, OrgKind.COMMUNITY, OrgKind.DEPARTMENT, OrgKind.UTILITY}


def _check_units(lead: Org, co_units: Sequence[Org]) -> list[Org]:
    for unit in (lead, *co_units):
        if unit.kind not in HANDLING_KINDS or not unit.is_active:
            raise InvalidInput(_("「%(u)s」不是可承办的单位") % {"u": unit}, "lead_unit")
    unique = [u for u in dict.fromkeys(co_units) if u.pk != lead.pk]
    return unique


def _assign(order: Order, lead: Org, co_units: Sequence[Org]) -> None:
    moment = now()
    order.assignments.exclude(state=AssignmentState.WITHDRAWN).update(state=AssignmentState.WITHDRAWN)
    rows = [Assignment(order=order, unit=lead, unit_path=lead.path, role=AssignmentRole.LEAD, dispatched_at=moment)]
    rows += [
        Assignment(order=order, unit=u, unit_path=u.path, role=AssignmentRole.CO, dispatched_at=moment)
        for u in co_units
    ]
    Assignment.objects.bulk_create(rows)
    order.lead_unit = lead
    order.dispatched_at = moment
    order.signed_at = None


def dispatch(
    order: Order | int,
    actor: User | None,
    *,
    lead_unit: Org,
    co_units: Sequence[Org] = (),
    reason: str = "",
    expected_version: int | None = None,
) -> Order:
    co = _check_units(lead_unit, co_units)
    with transaction.atomic():
        locked = lock(order, actor, expected_version)
        require_role(actor, DISPATCH_ROLES, _("派单"))
        require_not_merged(locked)
        old = locked.status
        if old == Status.RECEIVED:
            locked.t_accept()
        apply_transition(locked, locked.t_dispatch, _("派单"))
        _assign(locked, lead_unit, co)
        data = {"lead_unit": lead_unit.code, "co_units": [u.code for u in co]}
        record(locked, actor, "dispatched", old_status=old, reason=reason, data=data)
        return locked


def _handler_assignment(order: Order, actor: User | None, *, lead_only: bool) -> Assignment | None:
    """The actor's unit's live assignment on this order (system actors act for the lead unit)."""
    live = order.assignments.exclude(state=AssignmentState.WITHDRAWN).select_related("unit")
    if actor is None or actor.is_superuser or actor.role == Role.ADMIN:
        return live.filter(role=AssignmentRole.LEAD).first()
    org = actor.organisation
    if org is None:
        raise Forbidden(_("账号未绑定单位"))
    mine = [a for a in live if org.path.startswith(a.unit_path)]
    if not mine:
        raise Forbidden(_("本单位不是该工单的承办单位"))
    lead = [a for a in mine if a.role == AssignmentRole.LEAD]
    if lead_only and not lead:
        raise Forbidden(_("只有主办单位可以执行此操作"))
    return (lead or mine)[0]


def request_return(
    order: Order | int,
    actor: User | None,
    *,
    reason: str,
    suggested_unit: Org | None = None,
    expected_version: int | None = None,
) -> Order:
    if not reason.strip():
        raise InvalidInput(_("请填写退单理由"), "reason")
    with transaction.atomic():
        locked = lock(order, actor, expected_version)
        require_role(actor, HANDLER_ROLES, _("申请退单"))
        require_not_merged(locked)
        assignment = _handler_assignment(locked, actor, lead_only=True)
        assert assignment is not None and actor is not None
        old = locked.status
        apply_transition(locked, locked.t_request_return, _("申请退单"))
        ReturnRequest.objects.create(
            order=locked,
            unit=assignment.unit,
            requested_by=actor,
            requested_at=now(),
            reason=reason,
            suggested_unit=suggested_unit,
        )
        locked.return_count += 1
        data = {"unit": assignment.unit.code, "suggested_unit": suggested_unit.code if suggested_unit else None}
        record(locked, actor, "return_requested", old_status=old, reason=reason, data=data)
        return locked


def _pending(
    order: Order, model: type[ReturnRequest] | type[ExtensionRequest], what: str
) -> ReturnRequest | ExtensionRequest:
    pending = model.objects.filter(order=order, state=RequestState.PENDING).order_by("-requested_at").first()
    if pending is None:
        raise Conflict(_("没有待审批的%(what)s") % {"what": what})
    return pending


def redispatch(
    order: Order | int,
    actor: User | None,
    *,
    lead_unit: Org,
    co_units: Sequence[Org] = (),
    reason: str = "",
    expected_version: int | None = None,
) -> Order:
    """Approve a return request by sending the order to another unit (改派)."""
    co = _check_units(lead_unit, co_units)
    with transaction.atomic():
        locked = lock(order, actor, expected_version)
        require_role(actor, DISPATCH_ROLES, _("改派"))
        pending = _pending(locked, ReturnRequest, _("退单申请"))
        old = locked.status
        apply_transition(locked, locked.t_redispatch, _("改派"))
        pending.state, pending.decided_by, pending.decided_at = RequestState.APPROVED, actor, now()
        pending.save()
        _assign(locked, lead_unit, co)
        data = {"lead_unit": lead_unit.code, "co_units": [u.code for u in co], "previous_unit": pending.unit.code}
        record(locked, actor, "redispatched", old_status=old, reason=reason, data=data)
        return locked


def reject_return(order: Order | int, actor: User | None, *, reason: str, expected_version: int | None = None) -> Order:
    if not reason.strip():
        raise InvalidInput(_("请填写驳回理由"), "reason")
    with transaction.atomic():
        locked = lock(order, actor, expected_version)
        require_role(actor, DISPATCH_ROLES, _("驳回退单"))
        pending = _pending(locked, ReturnRequest, _("退单申请"))
        old = locked.status
        back = locked.t_reject_return_signed if locked.signed_at else locked.t_reject_return_unsigned
        apply_transition(locked, back, _("驳回退单"))
        pending.state, pending.decided_by, pending.decided_at = RequestState.REJECTED, actor, now()
        pending.save()
        record(locked, actor, "return_rejected", old_status=old, reason=reason)
        return locked


def request_extension(
    order: Order | int, actor: User | None, *, days: int, reason: str, expected_version: int | None = None
) -> Order:
    if not reason.strip():
        raise InvalidInput(_("请填写延期理由"), "reason")
    if days < 1:
        raise InvalidInput(_("延期天数必须为正整数"), "days")
    with transaction.atomic():
        locked = lock(order, actor, expected_version)
        require_role(actor, HANDLER_ROLES, _("申请延期"))
        require_not_merged(locked)
        if locked.status != Status.HANDLING:
            raise Conflict(_("只有办理中的工单可以申请延期"))
        assignment = _handler_assignment(locked, actor, lead_only=True)
        assert assignment is not None and actor is not None
        if locked.reply_due and now() > locked.reply_due:
            raise Conflict(_("已超过答复期限，不能再申请延期"))
        limit = resolve_limit(rules_for(locked.rule_version), attrs_of(locked), "extension_max")
        if limit is not None and days > limit.amount:
            raise InvalidInput(_("延期不得超过%(n)s天") % {"n": limit.amount}, "days")
        if ExtensionRequest.objects.filter(order=locked, state=RequestState.PENDING).exists():
            raise Conflict(_("已有待审批的延期申请"))
        ExtensionRequest.objects.create(
            order=locked, unit=assignment.unit, requested_by=actor, requested_at=now(), days=days, reason=reason
        )
        record(locked, actor, "extension_requested", old_status=locked.status, reason=reason, data={"days": days})
        return locked


def decide_extension(
    order: Order | int, actor: User | None, *, approve: bool, reason: str = "", expected_version: int | None = None
) -> Order:
    with transaction.atomic():
        locked = lock(order, actor, expected_version)
        require_role(actor, DISPATCH_ROLES, _("审批延期"))
        pending = _pending(locked, ExtensionRequest, _("延期申请"))
        assert isinstance(pending, ExtensionRequest)
        pending.state = RequestState.APPROVED if approve else RequestState.REJECTED
        pending.decided_by, pending.decided_at, pending.decision_reason = actor, now(), reason
        pending.save()
        limit = resolve_limit(rules_for(locked.rule_version), attrs_of(locked), "extension_max")
        unit = limit.unit if limit is not None else "working_days"
        if approve:
            locked.extension_count += 1
            data = {"amount": pending.days, "unit": unit, "request_id": pending.pk}
            record(locked, actor, "extension_approved", old_status=locked.status, reason=reason, data=data)
        else:
            record(locked, actor, "extension_rejected", old_status=locked.status, reason=reason)
        return locked
