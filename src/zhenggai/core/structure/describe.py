"""The feedback itself: categories → problems → sub-problems, each as described.

A feedback (反馈意见) states problems and no measures, so whatever stands under
a heading explains it: the heading's first sentence is the title, the rest of
its line and the paragraphs under it the description. Levels are read from
the headings' depth (``nodes``) and, where the document enumerates inside its
paragraphs (一是…二是…), from the enumeration:

1. Top headings are categories when one says so (…方面), when they are the
   document's 一、 headings and name rather than state, when the tree runs
   three levels deep, when a heading with children is a name rather than a
   sentence and has no text of its own but a lead-in, or when, childless,
   their paragraphs enumerate problems.
   Otherwise they are problems of one untitled category.
2. A category's problems are its child headings; without any, the items it
   enumerates; without those, each of its paragraphs.
3. A problem's sub-problems are its child headings; without any, the items its
   text enumerates. Anything deeper is kept in the sub-problem's description.
"""

from zhenggai.core.model import Category, Problem
from zhenggai.core.structure.body import read_body
from zhenggai.core.structure.nodes import Feedback, Node, build_nodes
from zhenggai.core.structure.paragraphs import Para
from zhenggai.core.structure.sentences import enumerated, first_sentence
from zhenggai.core.structure.titles import category_title, is_category_cue, problem_title

_INTRODUCES = ("：", ":", "如下", "以下")


def _texts(node: Node) -> list[str]:
    return read_body(node.body, describes=True).description


def _introduces(texts: list[str]) -> bool:
    """No text, or only a lead-in to what follows (「…存在以下问题：」)."""
    return not texts or texts[-1].rstrip("。 ").endswith(_INTRODUCES)


def _has_categories(top: list[Node]) -> bool:
    if any(is_category_cue(node.heading) for node in top):
        return True
    if top and all(node.style == "L1" and not _sentence(node) for node in top):
        return True  # 一、 names beside 整改意见建议 and 问题线索移交: the categories
    if any(child.children for node in top for child in node.children):
        return True
    parents = [node for node in top if node.children]
    if parents:
        # a problem's heading is a sentence (「1.学习贯彻不够深入。」) that its own
        # text may follow; a category's is a name, followed at most by a lead-in
        return any(_introduces(_texts(node)) and not _sentence(node) for node in parents)
    return any(enumerated(_texts(node))[1] for node in top)


def _sentence(node: Node) -> bool:
    return node.para.text.rstrip().endswith(("。", "."))


def _joined(texts: list[str]) -> str | None:
    return "\n".join(text for text in texts if text) or None


def _descendants(node: Node) -> list[str]:
    """The full text of every heading and paragraph below ``node``, in order."""
    found: list[str] = []
    for child in node.children:
        found.append(child.para.text)
        found.extend(_texts(child))
        found.extend(_descendants(child))
    return found


def problem_of(text: str, parts: bool) -> Problem:
    """A problem written as running text: first sentence, then the rest; with
    ``parts``, an enumeration in the rest gives its sub-problems."""
    title, rest = first_sentence(text)
    lines = rest.split("\n") if rest else []
    lead, items = enumerated(lines) if parts else (lines, [])
    return Problem(
        problem_title(title) if title else None,
        description=_joined(lead),
        subproblems=[problem_of(item, False) for item in items],
    )


class _Describer:
    def __init__(self) -> None:
        self.remarks: list[Para] = []

    def _remark(self, texts: list[str], node: Node) -> None:
        self.remarks.extend(Para(text, node.para.where) for text in texts)

    def category(self, node: Node) -> Category:
        category = Category(category_title(node.heading))
        texts = _texts(node)
        if node.children:
            self._remark(texts, node)
            category.problems = [self.problem(child) for child in node.children]
            return category
        lead, items = enumerated(texts)
        if items:
            self._remark(lead, node)
        category.problems = [problem_of(text, True) for text in items or texts]
        return category

    def problem(self, node: Node) -> Problem:
        texts = _texts(node)
        if node.children:
            subproblems = [self.subproblem(child) for child in node.children]
        else:
            texts, items = enumerated(texts)
            subproblems = [problem_of(item, False) for item in items]
        return Problem(
            problem_title(node.heading), description=_joined(texts), subproblems=subproblems
        )

    def subproblem(self, node: Node) -> Problem:
        texts = _texts(node) + _descendants(node)
        return Problem(problem_title(node.heading), description=_joined(texts))


def describe_feedback(paras: list[Para]) -> Feedback:
    top, intro = build_nodes(paras, describes=True)
    describer = _Describer()
    if _has_categories(top):
        categories = [describer.category(node) for node in top]
    elif top:
        categories = [Category(None, [describer.problem(node) for node in top])]
    else:
        # no numbered heading at all: problems enumerated in the text, if any
        lead, items = enumerated([p.text for p in intro])
        categories = [Category(None, [problem_of(item, True) for item in items])] if items else []
        if items:
            where = intro[0].where if intro else ""
            intro = [Para(text, where) for text in lead]
    return Feedback(categories, intro, describer.remarks, [])
