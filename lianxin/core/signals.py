"""A holiday edit changes deadlines: recompute open orders in the background once the edit commits."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from lianxin.core.models import CalendarYear, HolidayOverride


@receiver([post_save, post_delete], sender=HolidayOverride)
@receiver([post_save, post_delete], sender=CalendarYear)
def calendar_changed(**kwargs: Any) -> None:
    from lianxin.orders.actions.base import forget_shared_state
    from lianxin.orders.tasks import recompute_after_calendar_change

    forget_shared_state()
    transaction.on_commit(lambda: recompute_after_calendar_change())
