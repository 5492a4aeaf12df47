"""The audit trail: one row per change of ledger data, linked in a hash chain.

Each event's hash covers its own fields and the previous event's hash, so a row
edited or removed behind the application's back breaks the chain at that row.
``ChainHead`` holds the last sequence number and hash: it is the lock that
serialises writers, and it catches the removal of the newest rows.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    # Plain values, not foreign keys: deleting a user must not rewrite history.
    actor_id = models.BigIntegerField(null=True)
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=50)  # e.g. measure.sign_off, measure.create
    object_type = models.CharField(max_length=50)
    object_id = models.BigIntegerField(null=True)
    inspection_id = models.BigIntegerField(null=True)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("审计记录")
        ordering = ["seq"]
        indexes = [
            # An item's history page.
            models.Index(fields=["object_type", "object_id"], name="event_by_object"),
            models.Index(fields=["inspection_id", "seq"], name="event_by_inspection"),
        ]


class ChainHead(models.Model):
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
