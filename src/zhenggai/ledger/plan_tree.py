"""The plan's tree as the plan and assign pages read it: categories, problems and
sub-problems numbered as the feedback numbers them (一、（一）1.), and their measures
with who carries them, in three queries of plain values, whatever the plan holds."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from zhenggai.core.numerals import int_to_cn
from zhenggai.inspections.models import Category, Inspection, Problem
from zhenggai.inspections.states import State
from zhenggai.ledger.models import Measure
from zhenggai.orgs.models import display_name


@dataclass
class MeasureNode:
    pk: int
    position: int
    text: str
    type: str
    department: str
    person: str
    leader: str
    deadline: Any
    weight: int
    assigned: bool
    type_code: str = Measure.Type.TIME_BOUND
    target: str = ""
    expected_evidence: str = ""
    state: str = State.NOT_STARTED
    department_id: int | None = None
    person_id: int | None = None
    leader_id: int | None = None
    # Set by a page: the review's findings on it, and whether this user may change it.
    flags: list[Any] = field(default_factory=list)
    writable: bool = False


@dataclass
class ProblemNode:
    pk: int
    category_id: int
    parent_id: int | None
    position: int
    title: str | None
    state: str = State.NOT_STARTED
    number: str = ""  # among its siblings: （二） or 3.
    path: str = ""  # from the top: 一、（二）3.
    measures: list[MeasureNode] = field(default_factory=list)
    subproblems: list["ProblemNode"] = field(default_factory=list)
    # Set by a page, as for a measure; ``note`` is the inspection office's comment.
    flags: list[Any] = field(default_factory=list)
    writable: bool = False
    note: str = ""


@dataclass
class CategoryNode:
    pk: int
    position: int
    title: str | None
    number: str = ""
    measures: list[MeasureNode] = field(default_factory=list)  # the category's own
    problems: list[ProblemNode] = field(default_factory=list)


@dataclass
class Plan:
    categories: list[CategoryNode]
    problems: dict[int, ProblemNode]  # every problem and sub-problem, by id
    measures: int

    def ordered(self) -> list[ProblemNode]:
        """Problems in reading order, each followed by its sub-problems."""
        return [
            node
            for category in self.categories
            for problem in category.problems
            for node in (problem, *problem.subproblems)
        ]

    def leaves(self) -> list[ProblemNode]:
        """The problems that hold measures themselves: those without sub-problems."""
        return [node for node in self.ordered() if not node.subproblems]

    def groups(self) -> list[tuple[str, list[MeasureNode]]]:
        """The measures in reading order, under the heading of what holds them."""
        found = []
        for category in self.categories:
            heading = category.number + (category.title or _("（未分类）"))
            if category.measures:
                found.append((heading, category.measures))
            for problem in category.problems:
                for node in (problem, *problem.subproblems):
                    if node.measures:
                        found.append((label(node), node.measures))
        return found


def label(problem: ProblemNode) -> str:
    return problem.path + (problem.title or _("（无标题）"))


_MEASURE_COLUMNS = (
    "pk",
    "problem_id",
    "category_id",
    "position",
    "text",
    "type",
    "target",
    "expected_evidence",
    "state",
    "leader_id",
    "deadline",
    "weight",
    "department_id",
    "department__name",
    "department_name",
    "person_id",
    "person__username",
    "person__first_name",
    "person__last_name",
    "person_name",
    "leader__username",
    "leader__first_name",
    "leader__last_name",
    "leader_name",
)


def _measure(row: dict[str, Any]) -> MeasureNode:
    return MeasureNode(
        pk=row["pk"],
        position=row["position"],
        text=row["text"],
        type=str(Measure.Type(row["type"]).label),
        department=row["department__name"] or row["department_name"],
        person=display_name(
            row["person__first_name"], row["person__last_name"], row["person__username"]
        )
        or row["person_name"],
        leader=display_name(
            row["leader__first_name"], row["leader__last_name"], row["leader__username"]
        )
        or row["leader_name"],
        deadline=row["deadline"],
        weight=row["weight"],
        assigned=bool(row["department_id"] or row["person_id"]),
        type_code=row["type"],
        target=row["target"],
        expected_evidence=row["expected_evidence"],
        state=row["state"],
        department_id=row["department_id"],
        person_id=row["person_id"],
        leader_id=row["leader_id"],
    )


def read_plan(inspection: Inspection) -> Plan:
    """The tree in three queries; numbered as the feedback numbers it (一、（一）1.)."""
    categories = {
        pk: CategoryNode(pk, position, title, f"{int_to_cn(n)}、")
        for n, (pk, position, title) in enumerate(
            Category.objects.filter(inspection=inspection)
            .order_by("position", "pk")
            .values_list("pk", "position", "title"),
            1,
        )
    }
    problems = {
        row[0]: ProblemNode(*row)
        for row in Problem.objects.filter(inspection=inspection)
        .order_by("position", "pk")
        .values_list("pk", "category_id", "parent_id", "position", "title", "state")
    }
    for node in problems.values():
        parent = problems.get(node.parent_id) if node.parent_id else None
        (parent.subproblems if parent else categories[node.category_id].problems).append(node)
    for category in categories.values():
        for n, problem in enumerate(category.problems, 1):
            problem.number = f"（{int_to_cn(n)}）"
            problem.path = category.number + problem.number
            for k, sub in enumerate(problem.subproblems, 1):
                sub.number, sub.path = f"{k}.", f"{problem.path}{k}."
    rows = Measure.objects.filter(inspection=inspection).order_by("position", "pk")
    count = 0
    for row in rows.values(*_MEASURE_COLUMNS):
        holder = problems.get(row["problem_id"])
        (holder or categories[row["category_id"]]).measures.append(_measure(row))
        count += 1
    return Plan(list(categories.values()), problems, count)
