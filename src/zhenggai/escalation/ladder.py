"""The office's ladder: made with the default steps on first use, changed by the
office on its page (``ladder_update``, audited)."""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zhenggai import access
from zhenggai.audit.actions import Action
from zhenggai.audit.chain import record
from zhenggai.escalation.models import Ladder, Step
from zhenggai.orgs.models import Organisation
from zhenggai.refusals import Refused

# Names as the letters carry them (data, in Chinese, like the office's own names);
# the days an unanswered letter waits before the next. The last step has nowhere to go.
DEFAULT_STEPS = (
    (gettext_noop("通知书"), 10),
    (gettext_noop("提醒书"), 7),
    (gettext_noop("告诫书"), 7),
    (gettext_noop("问责书"), 0),
)
MAX_STEPS = 8


@dataclass(frozen=True)
class Rung:
    name: str
    days: int


def ladder_for(office: Organisation, *, lock: bool = False) -> tuple[Ladder, list[Step]]:
    """The office's ladder and its steps in order; the default one made on first use
    (two first uses at once: the second insert fails on the one-to-one, and reads)."""
    found = Ladder.objects.filter(office=office)
    ladder = (found.select_for_update() if lock else found).first()
    if ladder is None:
        try:
            with transaction.atomic():
                ladder = Ladder.objects.create(office=office, prefix=office.name)
                Step.objects.bulk_create(
                    Step(ladder=ladder, position=i, name=name, days=days)
                    for i, (name, days) in enumerate(DEFAULT_STEPS, start=1)
                )
        except IntegrityError:
            ladder = found.get()
        if lock:
            ladder = Ladder.objects.select_for_update().get(pk=ladder.pk)
    return ladder, list(ladder.steps.order_by("position"))


def _check(prefix: str, rungs: list[Rung]) -> None:
    if not prefix.strip():
        raise Refused(_("请填写发文机关代字"))
    if not 1 <= len(rungs) <= MAX_STEPS:
        raise Refused(_("梯次应为 1 至 %(n)s 级") % {"n": MAX_STEPS})
    if any(not r.name.strip() for r in rungs):
        raise Refused(_("每一级都要有文书名称"))


def ladder_update(*, actor: User, office: Organisation, prefix: str, rungs: list[Rung]) -> Ladder:
    """Replace the office's prefix and steps; its inspection office alone."""
    access.enforce(
        access.may_keep_rounds(actor, office),
        set(),
        access.LETTER_WRITERS,
        _("修改督促函件梯次"),
    )
    _check(prefix, rungs)
    with transaction.atomic():
        ladder, steps = ladder_for(office, lock=True)
        before = {"prefix": ladder.prefix, "steps": [[s.name, s.days] for s in steps]}
        ladder.prefix = prefix.strip()
        ladder.save(update_fields=["prefix"])
        ladder.steps.all().delete()
        Step.objects.bulk_create(
            Step(ladder=ladder, position=i, name=r.name.strip(), days=r.days)
            for i, r in enumerate(rungs, start=1)
        )
        after = {"prefix": ladder.prefix, "steps": [[r.name.strip(), r.days] for r in rungs]}
        record(actor=actor, action=Action.LADDER_UPDATE, obj=ladder, before=before, after=after)
    return ladder
