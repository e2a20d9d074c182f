"""The one permission policy: who sees which orders, who may do what, whose identity is hidden.

Lists and detail pages both go through `visible_orders`, so they cannot disagree; an order
outside it is answered as missing (404), never as forbidden.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from lianxin.core.models import OrgKind, Role, User
from lianxin.orders.choices import AssignmentState
from lianxin.orders.models import Order

ACTIVE_ASSIGNMENT_STATES = [AssignmentState.DISPATCHED, AssignmentState.SIGNED, AssignmentState.REPLIED]

CITY_WIDE_ROLES = frozenset({Role.CALL_TAKER, Role.DISPATCHER, Role.CALLBACK_AGENT, Role.PETITION_OFFICER, Role.ADMIN})
CITY_WIDE_KINDS = frozenset({OrgKind.CITY, OrgKind.HOTLINE})

CREATE_ROLES = frozenset(
    {Role.CALL_TAKER, Role.DISPATCHER, Role.GRID_WORKER, Role.VISITOR, Role.PETITION_OFFICER, Role.ADMIN}
)
INTAKE_ROLES = frozenset({Role.CALL_TAKER, Role.DISPATCHER, Role.PETITION_OFFICER, Role.ADMIN})
DISPATCH_ROLES = frozenset({Role.DISPATCHER, Role.PETITION_OFFICER, Role.ADMIN})
HANDLER_ROLES = frozenset({Role.HANDLER})
CALLBACK_ROLES = frozenset({Role.CALLBACK_AGENT, Role.DISPATCHER, Role.ADMIN})
REDO_ROLES = frozenset({Role.CALLBACK_AGENT, Role.DISPATCHER, Role.SUPERVISOR, Role.ADMIN})
MERGE_ROLES = frozenset({Role.DISPATCHER, Role.ADMIN})
REMIND_ROLES = frozenset({Role.SUPERVISOR, Role.DISPATCHER, Role.ADMIN})
SUPERVISE_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})
# Roles whose work needs the appellant's full phone number or ID (always audited when shown).
UNMASK_ROLES = frozenset(
    {Role.CALL_TAKER, Role.DISPATCHER, Role.CALLBACK_AGENT, Role.PETITION_OFFICER, Role.HANDLER, Role.ADMIN}
)


def is_city_wide(user: User) -> bool:
    if user.is_superuser or user.role in CITY_WIDE_ROLES:
        return True
    org = user.organisation
    return user.role == Role.SUPERVISOR and (org is None or org.kind in CITY_WIDE_KINDS)


def visible_orders(user: User, base: QuerySet[Order] | None = None) -> QuerySet[Order]:
    qs = base if base is not None else Order.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if is_city_wide(user):
        return qs
    org = user.organisation
    if org is None:
        return qs.none()
    assigned = Order.objects.filter(
        assignments__unit_path__startswith=org.path, assignments__state__in=ACTIVE_ASSIGNMENT_STATES
    )
    if user.role == Role.HANDLER:
        return qs.filter(pk__in=assigned.values("pk"))
    # Supervisors of a district, grid workers and visiting officials: their territory, and what they filed.
    territory = Q(district__path__startswith=org.path) | Q(town__path__startswith=org.path)
    territory |= Q(community__path__startswith=org.path)
    return qs.filter(territory | Q(created_by=user) | Q(pk__in=assigned.values("pk")))


def can_view(user: User, order: Order) -> bool:
    return visible_orders(user, Order.objects.filter(pk=order.pk)).exists()


def identity_hidden(user: User, order: Order) -> bool:
    """The appellant must stay unknown to the unit reported on, and to handling units when confidential."""
    org = user.organisation
    if is_city_wide(user):
        return False
    if order.reported_unit_id and org is not None:
        reported = order.reported_unit
        if reported is not None and org.path.startswith(reported.path):
            return True
    return bool(order.is_confidential and user.role == Role.HANDLER)


def may_unmask(user: User, order: Order) -> bool:
    return (user.is_superuser or user.role in UNMASK_ROLES) and not identity_hidden(user, order)
