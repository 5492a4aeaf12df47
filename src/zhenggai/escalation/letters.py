"""Every write to a letter, one named service each (STYLE.md 2), and the door to it.

- ``letter_issue``: the office issues the next step of its ladder to an
  inspection: numbered, written from the ledger's facts, sent to the
  organisation's rectification office and first responsible person.
- ``letter_acknowledge`` (签收) and ``letter_answer`` (a reply and the measures
  it names, the organisation's own): its receivers, once each; the answer is
  told to the office's inbox.
- ``next_position``: the step after the inspection's latest letter; after an
  answered one the ladder starts again at its first step, a new matter.
"""

import datetime as dt
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenggai import access
from zhenggai.audit.actions import Action
from zhenggai.audit.chain import record
from zhenggai.core.writers.letter import LetterText, write_letter_docx
from zhenggai.escalation import delivery, ladder, wording
from zhenggai.escalation.facts import facts_of
from zhenggai.escalation.models import Letter
from zhenggai.inspections.models import Inspection
from zhenggai.ledger.models import Measure
from zhenggai.orgs.models import Organisation, Role
from zhenggai.refusals import NotFound, Refused

NUMBER = "%(prefix)s〔%(year)s〕%(seq)s号"


def letter_for(user: User, pk: int, *, lock: bool = False) -> tuple[Letter, set[Role]]:
    """The letter and the user's roles in its inspection; NotFound to whoever may not
    see that inspection (another organisation's people, outsiders)."""
    rows = Letter.objects.select_for_update() if lock else Letter.objects.all()
    letter = rows.filter(pk=pk).first()
    try:
        if letter is None:
            raise NotFound("")
        _inspection, roles = access.inspection_for(user, letter.inspection_id)
    except NotFound:
        raise NotFound(_("未找到该督促函件，或您无权查看")) from None
    return letter, roles


def next_position(inspection_id: int) -> int:
    latest = Letter.objects.filter(inspection_id=inspection_id).order_by("-issued_at", "-pk")
    last = latest.first()
    if last is None or last.answered_at is not None:
        return 1
    return last.position + 1


def _number(office: Organisation, prefix: str, year: int) -> tuple[int, str]:
    """The next number of the office's year; the caller holds the ladder's lock."""
    taken = Letter.objects.filter(office=office, year=year).aggregate(most=Max("seq"))["most"]
    seq = (taken or 0) + 1
    return seq, NUMBER % {"prefix": prefix, "year": year, "seq": seq}


def _office_of(inspection: Inspection) -> Organisation:
    office = inspection.organisation.parent
    if office is None or office.kind != Organisation.Kind.OFFICE:
        raise Refused(_("该单位不在巡察办之下，无法发出督促函件"))
    return office


def issue(inspection: Inspection, position: int, actor: User | None, now: dt.datetime) -> Letter:
    """Write and send the letter of ``position``; inside the caller's transaction."""
    office = _office_of(inspection)
    rungs, steps = ladder.ladder_for(office, lock=True)
    if position > len(steps):
        raise Refused(_("已发出梯次中的最后一份文书，不能再升级"))
    step = steps[position - 1]
    today = timezone.localdate(now)
    seq, number = _number(office, rungs.prefix, today.year)
    answer_due = today + dt.timedelta(days=step.days)
    words = wording.compose(
        step.name, facts_of([inspection], today)[inspection.pk], answer_due, today
    )
    letter = Letter.objects.create(
        inspection=inspection, office=office, position=position, name=step.name,
        year=today.year, seq=seq, number=number, title=words.title,
        addressee=words.addressee, paragraphs=words.paragraphs, facts=words.facts,
        signature=office.name, issued_at=now, issued_by=actor, answer_due=answer_due,
    )  # fmt: skip
    after = {"number": number, "name": step.name, "position": position, "facts": words.facts}
    record(
        actor=actor,
        action=Action.LETTER_ISSUE,
        obj=letter,
        inspection_id=inspection.pk,
        after=after,
    )
    text = _("%(office)s向你单位发出%(name)s（%(number)s），请及时签收并答复。") % {
        "office": office.name,
        "name": step.name,
        "number": number,
    }
    delivery.tell(delivery.receivers(inspection.organisation_id), text, _link(letter))
    return letter


def _link(letter: Letter) -> str:
    return reverse("web:letter", args=[letter.pk])


def letter_issue(*, actor: User, inspection_id: int) -> Letter:
    """The office issues the next step of its ladder to the inspection."""
    with transaction.atomic():
        # Locked alone: PostgreSQL locks no outer join's side (the office is nullable).
        inspection, roles = access.inspection_for(actor, inspection_id, lock=True)
        access.enforce(
            access.may_issue_letter(roles), roles, access.LETTER_WRITERS, _("发出督促函件")
        )
        return issue(inspection, next_position(inspection.pk), actor, timezone.now())


def letter_acknowledge(*, actor: User, letter_id: int) -> Letter:
    with transaction.atomic():
        letter, roles = letter_for(actor, letter_id, lock=True)
        access.enforce(
            access.may_acknowledge_letter(roles, letter.acknowledged_at is not None),
            roles,
            access.LETTER_RECEIVERS,
            _("签收督促函件"),
            _("该督促函件已签收"),
        )
        letter.acknowledged_at, letter.acknowledged_by = timezone.now(), actor
        letter.save(update_fields=["acknowledged_at", "acknowledged_by"])
        record(
            actor=actor,
            action=Action.LETTER_ACKNOWLEDGE,
            obj=letter,
            inspection_id=letter.inspection_id,
            after={"acknowledged_at": letter.acknowledged_at},
        )
    return letter


def _own_measures(letter: Letter, measure_ids: Sequence[int]) -> list[Measure]:
    found = list(
        Measure.objects.filter(pk__in=set(measure_ids), inspection_id=letter.inspection_id)
    )
    if len(found) != len(set(measure_ids)):
        raise Refused(_("只能选择本单位本次巡察的整改措施"))
    return found


def letter_answer(
    *, actor: User, letter_id: int, reply: str, measure_ids: Sequence[int] = ()
) -> Letter:
    """The organisation's answer: its text and the measures it names; told to the office."""
    with transaction.atomic():
        letter, roles = letter_for(actor, letter_id, lock=True)
        access.enforce(
            access.may_answer_letter(roles, letter.answered_at is not None),
            roles,
            access.LETTER_RECEIVERS,
            _("答复督促函件"),
            _("该督促函件已答复"),
        )
        if not reply.strip():
            raise Refused(_("请填写答复内容"))
        measures = _own_measures(letter, measure_ids)
        now = timezone.now()
        letter.answered_at, letter.answered_by, letter.reply = now, actor, reply.strip()
        if letter.acknowledged_at is None:  # an answer is also a receipt
            letter.acknowledged_at, letter.acknowledged_by = now, actor
        letter.save()
        letter.measures.set(measures)
        record(
            actor=actor,
            action=Action.LETTER_ANSWER,
            obj=letter,
            inspection_id=letter.inspection_id,
            after={"reply": letter.reply, "measures": sorted(m.pk for m in measures)},
        )
        text = _("%(organisation)s已答复%(name)s（%(number)s）。") % {
            "organisation": letter.addressee,
            "name": letter.name,
            "number": letter.number,
        }
        delivery.tell(delivery.office_people(letter.office_id), text, _link(letter))
    return letter


def letter_docx(letter: Letter) -> bytes:
    text = LetterText(
        number=letter.number,
        title=letter.title,
        addressee=letter.addressee,
        paragraphs=list(letter.paragraphs),
        signature=letter.signature,
        date=timezone.localdate(letter.issued_at),
    )
    return write_letter_docx(text)
