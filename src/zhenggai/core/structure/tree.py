"""A report's or plan's outline: categories → problems → sub-problems → measures.

The headings are nested by ``nodes``; the roles follow from the depth and from
what the top headings say (…方面, 聚焦…). A feedback, which describes problems
and has no measures, is built by ``describe`` instead.
"""

from zhenggai.core.model import Category, Measure, Problem
from zhenggai.core.structure.body import Body, read_body
from zhenggai.core.structure.describe import describe_feedback
from zhenggai.core.structure.nodes import Feedback, Node, build_nodes
from zhenggai.core.structure.paragraphs import Para
from zhenggai.core.structure.titles import (
    category_title,
    is_category_cue,
    is_problem_intro,
    problem_title,
)

__all__ = ["Feedback", "build_feedback"]


def _has_categories(top: list[Node]) -> bool:
    if any(is_category_cue(node.heading) for node in top):
        return True
    # （一）关于“…”的问题 holding 针对… lines: a category in the words of its problems
    return any(node.style in ("L1", "L2") and node.children for node in top)


class _Builder:
    def __init__(self) -> None:
        self.remarks: list[Para] = []
        self.unfinished: list[tuple[str, dict[str, str]]] = []

    def body(self, node: Node, title: str | None) -> Body:
        body = read_body(node.body)
        self.remarks.extend(body.remarks)
        if body.unfinished and title:
            self.unfinished.append((title, body.unfinished))
        return body

    def category(self, node: Node) -> Category:
        title = category_title(node.heading)
        body = self.body(node, title)
        category = Category(title, measures=body.measures)
        for child in node.children:
            category.problems.append(self.problem(child, nested=True))
        return category

    def problem(self, node: Node, nested: bool) -> Problem:
        title = problem_title(node.heading)
        body = self.body(node, title)
        problem = Problem(
            title,
            description="\n".join(body.description) or None,
            summary="\n".join(body.summary) or None,
            target=body.target,
            measures=body.measures,
        )
        for child in node.children:
            if nested and (child.children or child.body or is_problem_intro(child.heading)):
                problem.subproblems.append(self.problem(child, nested=False))
            else:
                problem.measures.extend(self._as_measures(child))
        return problem

    def _as_measures(self, node: Node) -> list[Measure]:
        """A heading too deep to be a problem is a measure, with what stands under it."""
        text = "".join([node.heading, *(p.text for p in node.body)])
        measures = [Measure(text)]
        for child in node.children:
            measures.extend(self._as_measures(child))
        return measures


def build_feedback(paras: list[Para], describes: bool = False) -> Feedback:
    """``describes``: the paragraphs are a feedback's, whose text describes problems."""
    if describes:
        return describe_feedback(paras)
    top, intro = build_nodes(paras)
    builder = _Builder()
    if _has_categories(top):
        categories = [builder.category(node) for node in top]
    else:
        uncategorised = Category(None)
        uncategorised.problems = [builder.problem(node, nested=True) for node in top]
        categories = [uncategorised] if top else []
    return Feedback(categories, intro, builder.remarks, builder.unfinished)
