"""The audit trail: one row per change of ledger data, linked in a hash chain.

Each event's hash covers its own fields and the previous event's hash, so a row
edited or removed behind the application's back breaks the chain at that row.
Since the chain is keyed (``scheme`` "hmac-sha256", chain.py), the hash is an HMAC
under a key kept outside the database, so a chain recomputed after an edit does not
verify either; events written before that keep their plain SHA-256 ("sha256").
``ChainHead`` holds the last sequence number and hash: it is the lock that
serialises writers, and it catches the removal of the newest rows. The anchor file
(anchor.py) keeps the head outside the database too.
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
    # How ``hash`` is made: "sha256" (the events before the key) or "hmac-sha256", with
    # the fingerprint of the key (keys.py). Both are covered by the HMAC.
    scheme = models.CharField(max_length=16)
    key_id = models.CharField(max_length=16, blank=True)

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
