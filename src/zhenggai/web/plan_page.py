"""What the plan page shows and may do, for one user: the tree with its measures,
the review's hard errors and soft warnings beside them, the parser's warnings,
the inspection office's comments, the versions submitted and what changed
between the last two, and the forms of the one problem or measure being edited.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from zhenggai import access
from zhenggai.inspections import plan_flow
from zhenggai.inspections.models import Inspection
from zhenggai.ledger import plan_checks, plan_versions
from zhenggai.ledger.models import PlanVersion
from zhenggai.ledger.plan_tree import MeasureNode, Plan, ProblemNode, label
from zhenggai.orgs import selectors as org_selectors
from zhenggai.orgs.models import Role
from zhenggai.services import plan_review
from zhenggai.web.measure_forms import MeasureForm, NestForm, initial_of
from zhenggai.web.plan_forms import DecisionForm, MergeForm, RelocateForm, RetitleForm, SplitForm


@dataclass
class PlanPage:
    inspection: Inspection
    roles: set[Role]
    plan: Plan
    editing: ProblemNode | None = None  # the problem whose corrections are open
    forms: dict[str, Any] = field(default_factory=dict)
    measure_form: MeasureForm | None = None  # adding under ``adding``, or editing ``measure``
    adding: int | None = None
    measure: int | None = None
    decision: DecisionForm = field(default_factory=lambda: DecisionForm(prefix="decision"))
    notes: dict[int, str] = field(default_factory=dict)  # comments per problem, as sent
    error: str = ""

    def __post_init__(self) -> None:
        self.findings = plan_checks.review(
            self.plan, plan_review.terms(self.inspection), plan_review.amending(self.inspection)
        )
        self.versions = list(
            PlanVersion.objects.filter(inspection=self.inspection)
            .select_related("submitted_by")
            .order_by("number")
        )
        self._annotate()

    def _annotate(self) -> None:
        """Hang the findings, the office's comments and the user's rights on the nodes."""
        flags = self.flags
        notes = self.office_comments
        for problem in self.plan.problems.values():
            problem.flags = flags.get(-problem.pk, [])
            problem.note = notes.get(problem.pk, "")
            problem.writable = self.can_write(problem)
            for measure in problem.measures:
                measure.flags = flags.get(measure.pk, [])
                measure.writable = self.can_write(problem, measure)

    # --- What the user may do -----------------------------------------------------------

    @property
    def can_edit(self) -> bool:
        return access.may_edit_plan(self.roles, self.inspection)

    @cached_property
    def moves(self) -> set[str]:
        state = self.inspection.plan_state
        return {
            name
            for name in plan_flow.MOVES
            if access.may_move(plan_flow.MOVES, name, self.inspection, state, self.roles)
        }

    @property
    def can_decide(self) -> bool:
        return bool(self.moves & {"approve", "return", "accept", "send_back"})

    def can_write(self, problem: ProblemNode, measure: MeasureNode | None = None) -> bool:
        return access.may_write_measure(
            self.roles, self.inspection, problem.state, measure.state if measure else None
        )

    # --- What the page shows -------------------------------------------------------------

    @property
    def hard(self) -> list[plan_checks.Finding]:
        return [f for f in self.findings if f.hard]

    @property
    def flags(self) -> dict[int, list[plan_checks.Finding]]:
        """Findings by measure; a problem's own (no measure) under -problem id."""
        found: dict[int, list[plan_checks.Finding]] = defaultdict(list)
        for finding in self.findings:
            found[finding.measure if finding.measure else -finding.problem].append(finding)
        return dict(found)

    @property
    def returned(self) -> PlanVersion | None:
        """The last version sent back, while the plan is being corrected after it."""
        last = self.versions[-1] if self.versions else None
        if last is None or last.outcome != PlanVersion.Outcome.RETURNED:
            return None
        return last

    @property
    def office_comments(self) -> dict[int, str]:
        returned = self.returned
        return {int(k): v for k, v in returned.problem_comments.items()} if returned else {}

    @cached_property
    def changes(self) -> list[plan_versions.Change]:
        """What changed from the version before the last to the last."""
        if len(self.versions) < 2:
            return []
        return plan_versions.diff(self.versions[-2].tree, self.versions[-1].tree)

    @cached_property
    def parser_warnings(self) -> list[dict[str, str]]:
        return [w for s in self.inspection.sources.order_by("pk") for w in s.warnings]

    @property
    def recommendations(self) -> list[str]:
        """整改意见建议: what the inspection team asks, beside which the measures are written."""
        return list(self.inspection.recommendations.order_by("pk").values_list("text", flat=True))

    @property
    def case_leads(self) -> tuple[int, list[str]]:
        """问题线索移交: the count the feedback states (or the leads listed) and the list."""
        listed = list(
            self.inspection.case_leads.order_by("pk").values_list("description", flat=True)
        )
        stated = self.inspection.stated_totals.get("case_leads")
        return (stated if isinstance(stated, int) else len(listed)), listed

    @property
    def note_rows(self) -> list[tuple[ProblemNode, str]]:
        return [(p, self.notes.get(p.pk, "")) for p in self.plan.ordered()]

    def problem_label(self, pk: int) -> str:
        node = self.plan.problems.get(pk)
        return label(node) if node else ""

    # --- The forms of the item being edited ----------------------------------------------

    def edit(self, problem_id: int | None, data: QueryDict | None = None, op: str = "") -> None:
        """The forms correcting one problem; ``data`` binds the one that was sent."""
        editing = self.plan.problems.get(problem_id or 0)
        if editing is None:
            return
        self.editing = editing

        def given(name: str) -> QueryDict | None:
            return data if name == op else None

        others = [(p.pk, label(p)[:80]) for p in self.plan.ordered() if p.pk != editing.pk]
        tops = [(p.pk, label(p)[:80]) for p in self.plan.ordered() if p.parent_id is None]
        mine = [(m.pk, f"{m.position}. {m.text[:80]}") for m in editing.measures]
        categories = [(c.pk, c.number + (c.title or _("（未分类）"))) for c in self.plan.categories]
        self.forms = {
            "retitle": RetitleForm(
                given("retitle"), prefix="retitle", initial={"title": editing.title}
            ),
            "merge": MergeForm(given("merge"), prefix="merge", problems=others),
            "split": SplitForm(given("split"), prefix="split", measures=mine),
            "relocate": RelocateForm(
                given("relocate"),
                prefix="relocate",
                categories=categories,
                initial={"category": editing.category_id, "position": editing.position},
            ),
            "nest": NestForm(
                given("nest"),
                prefix="nest",
                problems=[(pk, text) for pk, text in tops if pk != editing.pk],
            ),
        }

    def write(self, adding: int | None, measure: int | None, data: QueryDict | None = None) -> None:
        """The measure form: a new one under problem ``adding``, or measure ``measure``."""
        node = self._measure(measure)
        problem = self.plan.problems.get(adding or 0)
        # Only a form the services would accept: nothing is offered that is then refused.
        node = node if node is not None and node.writable else None
        problem = problem if problem is not None and problem.writable else None
        if node is None and problem is None:
            return
        unit = self.inspection.organisation_id
        self.adding, self.measure = (None, measure) if node else (adding, None)
        self.measure_form = MeasureForm(
            data,
            prefix="measure",
            departments=org_selectors.department_choices(unit),
            people=org_selectors.member_choices(unit),
            initial=initial_of(node) if node else {},
        )

    def _measure(self, pk: int | None) -> MeasureNode | None:
        for problem in self.plan.problems.values():
            for measure in problem.measures:
                if measure.pk == pk:
                    return measure
        return None

    def context(self) -> dict[str, Any]:
        return {"page": self, "inspection": self.inspection}
