"""The citizen's own rating of an outcome (评价), given once per handling round on the public page.

Decision: this is recorded as the citizen's evaluation, separate from the hotline's callback
(orders.actions.callback, which the callback agent records and which drives 满意率). It changes no
order state, so it is not an order action; it locks the order row so that two clicks give one rating.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lianxin.core.errors import Conflict, InvalidInput
from lianxin.orders.choices import Satisfaction
from lianxin.orders.models import Order
from lianxin.public.models import CitizenRating
from lianxin.public.tracking import RATEABLE

MAX_COMMENT = 500


def current_rating(order: Order) -> CitizenRating | None:
    return CitizenRating.objects.filter(order=order, round=order.redo_count).first()


def can_rate(order: Order) -> bool:
    return order.status in RATEABLE and order.parent_id is None and current_rating(order) is None


def rate_outcome(order: Order, *, satisfaction: str, comment: str = "") -> CitizenRating:
    if satisfaction not in Satisfaction.values:
        raise InvalidInput(_("请选择满意程度"), "satisfaction")
    comment = comment.strip()
    if len(comment) > MAX_COMMENT:
        raise InvalidInput(_("评价意见请控制在%(n)d字以内") % {"n": MAX_COMMENT}, "comment")
    try:
        with transaction.atomic():
            locked = Order.objects.select_for_update().get(pk=order.pk)
            if locked.parent_id is not None:
                raise Conflict(_("该诉求已与同类诉求合并办理，暂不能单独评价"))
            if locked.status not in RATEABLE:
                raise Conflict(_("答复后才能评价"))
            if CitizenRating.objects.filter(order=locked, round=locked.redo_count).exists():
                raise Conflict(_("您已评价过，感谢您的反馈"))
            return CitizenRating.objects.create(
                order=locked,
                round=locked.redo_count,
                satisfaction=satisfaction,
                comment=comment,
                status_at_rating=locked.status,
            )
    except IntegrityError as exc:
        raise Conflict(_("您已评价过，感谢您的反馈")) from exc
