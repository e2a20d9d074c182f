"""What the public pages must remember: rate-limit hits and the citizen's own rating of an outcome."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.orders.choices import Satisfaction
from lianxin.orders.models import Order


class RateHit(models.Model):
    """One counted request of a rate-limited kind; the key is a keyed hash, never the raw IP address."""

    scope = models.CharField(max_length=30)
    key = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("访问频率记录")
        verbose_name_plural = _("访问频率记录")
        indexes = [models.Index(fields=["scope", "key", "at"], name="public_ratehit_lookup")]


class CitizenRating(models.Model):
    """The appellant's own rating of the outcome, given on the public page.

    Kept apart from the hotline's callback (Order.satisfaction), which is the callback agent's record;
    one rating per order and handling round (a redo opens a new round).
    """

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="citizen_ratings")
    round = models.PositiveIntegerField(default=0, help_text=_("评价时工单的重办次数"))
    satisfaction = models.CharField(_("满意度"), max_length=12, choices=Satisfaction.choices)
    comment = models.TextField(_("评价意见"), blank=True)
    status_at_rating = models.CharField(max_length=20)
    created_at = models.DateTimeField(_("评价时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("市民评价")
        verbose_name_plural = _("市民评价")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["order", "round"], name="public_rating_once_per_round")]

    def __str__(self) -> str:
        return f"{self.order} {self.get_satisfaction_display()}"
