"""举一反三 on the problem page: the problems of other organisations most like this
one, with how they were rectified, and the problem's topic with its correction.

htmx loads the section once the page is shown: ranking builds the office's index
the first time a process needs it, which may take a moment, and the problem page
keeps its own speed and queries meanwhile. POST corrects the topic and answers
with the section again.
"""

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhenggai import access
from zhenggai.refusals import Refused
from zhenggai.services import problem_topics, similar
from zhenggai.web.pages import SignedInRequest, signed_in


def _section(request: SignedInRequest, pk: int, status: int = 200, **said: str) -> HttpResponse:
    problem, roles = access.problem_for(request.user, pk, related=("inspection",))
    office_id = similar.office_of(problem.inspection.organisation_id)
    context: dict[str, Any] = {
        "problem": problem,
        "hits": similar.similar_problems(request.user, pk),
        "topic": problem_topics.topic_of(request.user, pk),
        "topics": problem_topics.office_topics(office_id) if office_id else [],
        "may_set_topic": problem_topics.may_set_topic(roles),
        **said,
    }
    return render(request, "web/_similar.html", context, status=status)


@signed_in
@require_http_methods(["GET", "POST"])
def section(request: SignedInRequest, pk: int) -> HttpResponse:
    if request.method == "GET":
        return _section(request, pk)
    try:
        topic_id = int(request.POST.get("topic", ""))
    except ValueError:
        return _section(request, pk, status=400, error=_("请选择问题分类"))
    try:
        problem_topics.topic_set(actor=request.user, problem_id=pk, topic_id=topic_id)
    except Refused as refusal:
        return _section(request, pk, status=403, error=str(refusal))
    return _section(request, pk, notice=_("问题分类已修改"))
