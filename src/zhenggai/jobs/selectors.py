"""The door to a background job: only the person who started it sees it."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.translation import gettext as _

from zhenggai.jobs.models import Job
from zhenggai.refusals import NotFound


def job_for(user: AbstractBaseUser | AnonymousUser, pk: int, *, done: bool = False) -> Job:
    """The user's own job (only a finished one when ``done``); NotFound otherwise."""
    # The attachment (an uploaded file) is the worker's alone: not read on every poll.
    rows = Job.objects.filter(pk=pk, owner_id=user.pk).defer("attachment")
    if done:
        rows = rows.filter(state=Job.State.DONE)
    job = rows.first()
    if job is None:
        raise NotFound(_("未找到该任务"))
    return job
