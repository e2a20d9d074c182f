from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "lianxin.intake"
    label = "intake"
    verbose_name = _("智能受理")

    def ready(self) -> None:
        from lianxin.intake.service import index_new_order
        from lianxin.orders.actions.intake import CREATED_HOOKS

        if index_new_order not in CREATED_HOOKS:
            CREATED_HOOKS.append(index_new_order)
