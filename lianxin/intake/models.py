"""The similar-order index lives in the database, so every web and worker process shares it.

Two tables: one row per indexed order with its MinHash signature and what is compared besides
the text, and one row per (LSH band key, order) for finding candidates with an indexed lookup.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.orders.models import Order


class SimilarityEntry(models.Model):
    order = models.OneToOneField(Order, on_delete=models.CASCADE, primary_key=True, related_name="similarity")
    scheme = models.CharField(max_length=40)
    signature = models.BinaryField()
    town_code = models.CharField(max_length=40, blank=True)
    community_code = models.CharField(max_length=40, blank=True)
    text_place = models.CharField(max_length=60, blank=True)
    appellant_hash = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField()

    class Meta:
        verbose_name = _("相似检索条目")
        verbose_name_plural = _("相似检索条目")
        indexes = [models.Index(fields=["appellant_hash", "received_at"], name="simentry_appellant")]


class SimilarityBand(models.Model):
    band_key = models.BigIntegerField()
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="+", db_index=False)

    class Meta:
        indexes = [
            models.Index(fields=["band_key", "order"], name="simband_key_order"),
            models.Index(fields=["order"], name="simband_order"),
        ]


class StopBand(models.Model):
    """Band keys shared by so many orders (template texts) that they no longer tell orders apart."""

    band_key = models.BigIntegerField(primary_key=True)
    postings = models.PositiveIntegerField()
