from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def index_created_orders(order_ids: list[int]) -> None:
    """New orders go into the similar-order index as soon as they commit: a burst of calls about one
    incident must find each other. A batch is indexed with two inserts in all, not two per order."""
    from lianxin.intake import similar_index
    from lianxin.intake.service import index_new_order
    from lianxin.orders.models import Order

    if len(order_ids) == 1:
        index_new_order(order_ids[0])
    else:
        similar_index.index_orders(Order.objects.filter(pk__in=order_ids).select_related("town", "community"))


class IntakeConfig(AppConfig):
    name = "lianxin.intake"
    label = "intake"
    verbose_name = _("智能受理")

    def ready(self) -> None:
        from lianxin.orders.actions.intake import CREATED_HOOKS

        if index_created_orders not in CREATED_HOOKS:
            CREATED_HOOKS.append(index_created_orders)
