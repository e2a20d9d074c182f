from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "lianxin.core"
    label = "core"
    verbose_name = _("组织与权限")

    def ready(self) -> None:
        from lianxin.core import signals  # noqa: F401
