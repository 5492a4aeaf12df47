"""Rows of the ledger turned into the read API's shapes; no queries happen here
beyond the related rows the selectors already fetched."""

import datetime as dt

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from zhenggai.api import ledger_schemas as out
from zhenggai.audit.models import Event
from zhenggai.documents.ledger_document import LedgerRows
from zhenggai.inspections.models import Category, Inspection, Problem
from zhenggai.inspections.rules import Rules, due_dates
from zhenggai.inspections.states import PlanState, State
from zhenggai.ledger import derived
from zhenggai.ledger.models import (
    Approval,
    Evidence,
    Extension,
    FollowUpReview,
    Measure,
    ProgressEntry,
    Unfinished,
)
from zhenggai.ledger.selectors import Listed, Tally
from zhenggai.orgs.models import Organisation


def username(user: User | None) -> str:
    return user.get_username() if user is not None else ""


def named(organisation: Organisation) -> out.Named:
    return {"id": organisation.pk, "name": organisation.name}


def totals(tally: Tally) -> out.TotalsOut:
    return {
        "problems": tally.problems,
        "signed_off": tally.signed_off,
        "long_term": tally.long_term,
        "in_progress": tally.in_progress,
        "measures": tally.measures,
        "overdue": tally.overdue,
        "completion": round(tally.completion, 4),
    }


def inspection(i: Inspection, tally: Tally) -> out.InspectionOut:
    return {
        "id": i.pk,
        "organisation": named(i.organisation),
        "round": {"id": i.round.pk, "name": i.round.name} if i.round else None,
        "title": i.title,
        "inspection_body": i.inspection_body,
        "level": i.level,
        "kind": i.kind,
        "onsite_start": i.onsite_start,
        "onsite_end": i.onsite_end,
        "feedback_date": i.feedback_date,
        "document_date": i.document_date,
        "plan_state": i.plan_state,
        "plan_state_label": str(PlanState(i.plan_state).label),
        "totals": totals(tally),
    }


def inspection_detail(i: Inspection, tally: Tally, rules: Rules) -> out.InspectionDetailOut:
    due = due_dates(i.feedback_date, rules)
    return {
        **inspection(i, tally),
        "stated_totals": dict(i.stated_totals or {}),
        "contact": {
            "phone": i.contact_phone or None,
            "address": i.contact_address or None,
            "postcode": i.contact_postcode or None,
            "email": i.contact_email or None,
        },
        "due": {"plan_due": due.plan if due else None, "report_due": due.report if due else None},
        "rules": {
            "warn_person_days": rules.warn_person_days,
            "warn_leader_days": rules.warn_leader_days,
            "plan_days": rules.plan_days,
            "report_days": rules.report_days,
        },
    }


# --- Measures -------------------------------------------------------------------------


def _ref(category: Category) -> out.Ref:
    return {"id": category.pk, "title": category.title}


def measure_item(m: Listed, rules: Rules, today: dt.date) -> out.MeasureItem:
    return {
        "id": m.id,
        "inspection": m.inspection_id,
        "organisation": {"id": m.organisation_id, "name": m.organisation_name},
        "category": {"id": m.category_id, "title": m.category_title},
        "problem": {"id": m.problem_id, "title": m.problem_title} if m.problem_id else None,
        "position": m.position,
        "text": m.text,
        "type": m.type,
        "type_label": str(Measure.Type(m.type).label),
        "leader": m.leader,
        "department": m.department,
        "department_id": m.department_id,
        "person": m.person,
        "original_deadline": m.original_deadline,
        "deadline": m.deadline,
        "state": m.state,
        "state_label": str(State(m.state).label),
        "overdue": derived.is_overdue(m.deadline, m.state, today, m.plan_approved is not None),
        "warning": derived.warning(m.deadline, m.state, today, rules),
    }


def progress(p: ProgressEntry) -> out.ProgressEntryOut:
    return {
        "id": p.pk,
        "date": p.date,
        "text": p.text,
        "figures": dict(p.figures or {}),
        "author": username(p.author),
        "created": p.created,
    }


def evidence(e: Evidence) -> out.EvidenceVersionOut:
    return {
        "id": e.pk,
        "name": e.name,
        "size": e.size,
        "content_type": e.content_type,
        "sha256": e.sha256,
        "supplied_by": username(e.supplied_by),
        "effective_date": e.effective_date,
        "uploaded_at": e.uploaded_at,
        "review": e.review,
        "review_label": e.get_review_display(),
        "review_comment": e.review_comment,
        "replaces": e.replaces_id,
    }


def extension(x: Extension) -> out.ExtensionRequestOut:
    return {
        "id": x.pk,
        "old_deadline": x.old_deadline,
        "new_deadline": x.new_deadline,
        "reason": x.reason,
        "decision": x.decision,
        "decision_label": x.get_decision_display(),
        "requested_by": username(x.requested_by),
        "requested_at": x.requested_at,
    }


def approval(a: Approval) -> out.ApprovalOut:
    return {
        "id": a.pk,
        "kind": a.kind,
        "kind_label": a.get_kind_display(),
        "decision": a.decision,
        "comment": a.comment,
        # No approver: a sign-off taken outside and imported with the office's ledger.
        "approver": username(a.approver) if a.approver is not None else _("导入台账"),
        "at": a.at,
        "state_before": dict(a.state_before or {}),
    }


def measure_detail(m: Measure, rules: Rules, today: dt.date) -> out.MeasureDetailOut:
    """Needs a row of ``selectors.measures_in_detail``."""
    return {
        **measure_item(Listed.of(m), rules, today),
        "target": m.target,
        "weight": m.weight,
        "deadline_text": m.deadline_text,
        "progress_text": m.progress_text,
        "status_text": m.status_text,
        "evidence_text": m.evidence_text,
        "sign_off_text": m.sign_off_text,
        "note": m.note,
        "progress": [progress(p) for p in m.progress.all()],
        "evidence": [evidence(e) for e in m.evidence.all()],
        "extensions": [extension(x) for x in m.extensions.all()],
        "approvals": [approval(a) for a in m.approval_set.all()],
    }


# --- Problems -------------------------------------------------------------------------


def problem_ref(p: Problem) -> out.ProblemRef:
    return {"id": p.pk, "title": p.title, "state": p.state, "state_label": p.get_state_display()}


def review(r: FollowUpReview) -> out.ReviewOut:
    return {
        "id": r.pk,
        "date": r.date,
        "finding": r.finding,
        "relapsed": r.relapsed,
        "reviewer": username(r.reviewer),
    }


def unfinished(u: Unfinished) -> out.UnfinishedOut:
    return {
        "id": u.pk,
        "situation": u.situation,
        "reason": u.reason,
        "next_steps": u.next_steps,
        "deadline": u.deadline,
        "deadline_text": u.deadline_text,
    }


def problem_detail(p: Problem, rules: Rules, today: dt.date) -> out.ProblemDetailOut:
    """Needs the row of ``selectors.problem_in_detail``."""
    return {
        "id": p.pk,
        "inspection": p.inspection_id,
        "organisation": named(p.inspection.organisation),
        "category": _ref(p.category),
        "parent": problem_ref(p.parent) if p.parent else None,
        "position": p.position,
        "title": p.title,
        "description": p.description,
        "summary": p.summary,
        "target": p.target,
        "state": p.state,
        "state_label": p.get_state_display(),
        "subproblems": [problem_ref(s) for s in p.subproblems.all()],
        "measures": [measure_detail(m, rules, today) for m in p.measures.all()],
        "reviews": [review(r) for r in p.reviews.all()],
        "unfinished": [unfinished(u) for u in p.unfinished_set.all()],
        "approvals": [approval(a) for a in p.approval_set.all()],
    }


def event(e: Event) -> out.EventOut:
    return {
        "seq": e.seq,
        "at": e.at,
        "actor_name": e.actor_name,
        "action": e.action,
        "object_type": e.object_type,
        "object_id": e.object_id,
        "before": e.before,
        "after": e.after,
    }


# --- The outline ----------------------------------------------------------------------


def _outline_measure(m: Measure, rules: Rules, today: dt.date, bound: bool) -> out.OutlineMeasure:
    return {
        "id": m.pk,
        "position": m.position,
        "text": m.text,
        "state": m.state,
        "state_label": m.get_state_display(),
        "deadline": m.deadline,
        "overdue": derived.is_overdue(m.deadline, m.state, today, bound),
        "warning": derived.warning(m.deadline, m.state, today, rules),
    }


class Outliner:
    """Walks ``LedgerRows`` into the outline, with each measure's warning; ``bound``:
    the plan is approved, so its deadlines bind (``derived.is_overdue``)."""

    def __init__(self, rows: LedgerRows, rules: Rules, today: dt.date, bound: bool) -> None:
        self.rows, self.rules, self.today, self.bound = rows, rules, today, bound

    def measures(self, measures: list[Measure]) -> list[out.OutlineMeasure]:
        return [_outline_measure(m, self.rules, self.today, self.bound) for m in measures]

    def problem(self, p: Problem) -> out.OutlineProblem:
        return {
            **problem_ref(p),
            "position": p.position,
            "measures": self.measures(self.rows.problem_measures[p.pk]),
            "subproblems": [self.problem(s) for s in self.rows.subproblems[p.pk]],
        }

    def outline(self) -> out.OutlineOut:
        return {
            "inspection": self.rows.inspection.pk,
            "categories": [
                {
                    "id": c.pk,
                    "position": c.position,
                    "title": c.title,
                    "problems": [self.problem(p) for p in self.rows.top_problems[c.pk]],
                    "measures": self.measures(self.rows.category_measures[c.pk]),
                }
                for c in self.rows.categories
            ],
        }
