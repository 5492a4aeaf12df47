"""Each person's in-app inbox, and what the reminder job remembers so that it never
says the same thing twice in a day.

The job (``zhenggai remind``, STYLE.md 7) keeps one ``Reminder`` row per person and
item it has a reason to remind about. ``next_due`` says when it may speak again;
a run claims a row by moving ``next_due`` forward with a compare-and-swap
``update()``, in the transaction that writes the ``Message``, so two runs at once
never both send it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """Why a person is reminded, most pressing first: when one item gives a person
    several reasons at once, the first of them in this order is told."""

    SIGN_OFF = "sign_off", _("待销号")
    EVIDENCE = "evidence", _("佐证材料待审核")
    OVERDUE = "overdue", _("已逾期")
    URGENT = "urgent", _("即将到期")
    DUE_SOON = "due_soon", _("临近整改时限")
    NEWS = "news", _("通知")  # told once, never repeated (a report submitted …)


PRIORITY = tuple(Kind)

# The rhythm: every how many days a reason is told again while it lasts. Daily for
# what is late, urgent or waiting on the person; weekly for a deadline that is only
# coming (the yellow tier), so that the week's reminder is not drowned.
RHYTHM_DAYS: dict[str, int] = {
    Kind.SIGN_OFF: 1,
    Kind.EVIDENCE: 1,
    Kind.OVERDUE: 1,
    Kind.URGENT: 1,
    Kind.DUE_SOON: 7,
}


class Message(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("内容"))
    # The page of the measure or problem, as a path of this site ("/measures/7/").
    link = models.CharField(_("链接"), max_length=200, blank=True)
    created = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("消息")
        ordering = ["-created", "-pk"]
        indexes = [
            # The inbox page, newest first, and its unread count.
            models.Index(fields=["recipient", "created"], name="message_by_recipient"),
            models.Index(fields=["recipient", "read_at"], name="message_unread"),
        ]

    def __str__(self) -> str:
        return self.text[:40]


class Reminder(models.Model):
    """One person and one item (a measure or a problem) the job has a reason to remind
    them about: the reason last given, the day it was given and when it may be
    given again.

    The item is a plain type and id, not a foreign key: a row whose item is gone
    is simply no longer wanted, and the job removes it once it is due.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    item_type = models.CharField(max_length=20)  # "measure" or "problem"
    item_id = models.BigIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    sent_on = models.DateField(null=True, blank=True)  # local date of the last message
    next_due = models.DateTimeField()

    class Meta:
        verbose_name = _("提醒记录")
        constraints = [
            # Two runs creating the same row at once: one insert is ignored.
            models.UniqueConstraint(
                fields=["recipient", "item_type", "item_id"], name="reminder_unique_item"
            )
        ]
        # The send loop: every row whose time has come.
        indexes = [models.Index(fields=["next_due"], name="reminder_by_next_due")]
