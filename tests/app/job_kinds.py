"""Kinds of job that only the tests run, registered in tests/settings.py."""

import threading
import time
from typing import Any

from django.db import transaction
from django_q.exceptions import TimeoutException

from zhenggai.jobs.kinds import Kind, Progress
from zhenggai.jobs.models import Job
from zhenggai.orgs.models import Organisation
from zhenggai.refusals import Refused


def _steps(job: Job, progress: Progress) -> dict[str, Any]:
    """Two steps; between them, what its own row said."""
    progress(1, 2, "第一步")
    row = Job.objects.get(pk=job.pk)
    seen = [row.state, row.done, row.total, row.stage, row.attempts]
    progress(2, 2, "第二步")
    return {"inspection": 7, "seen": seen}


def _refuse(job: Job, progress: Progress) -> dict[str, Any]:
    raise Refused(str(job.arguments["why"]))


def _break(job: Job, progress: Progress) -> dict[str, Any]:
    with transaction.atomic():
        Organisation.objects.create(name="写到一半的单位", kind=Organisation.Kind.INSPECTED)
        raise KeyError("boom")


def _overtime(job: Job, progress: Progress) -> dict[str, Any]:
    # What the worker's alarm raises in a run past its time limit.
    raise TimeoutException("Task exceeded maximum timeout value (600 seconds)")


def _where(job: Job, progress: Progress) -> dict[str, Any]:
    return {"thread": threading.current_thread().name}


def _nap(job: Job, progress: Progress) -> dict[str, Any]:
    """Sleeps ``first`` seconds in its first run and ``then`` in any later one, saying
    so first: a run for a test to kill its worker in."""
    seconds = float(job.arguments["first" if job.attempts == 1 else "then"])
    progress(0, 1, f"第{job.attempts}次执行，休息{seconds:g}秒")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.1)
    progress(1, 1, "醒了")
    return {"attempt": job.attempts}


STEPS = Kind("两步", _steps, rerun=True)
REFUSE = Kind("拒绝", _refuse, rerun=True)
BREAK = Kind("出错", _break, rerun=True)
OVERTIME = Kind("超时", _overtime, rerun=True)
WHERE = Kind("在哪", _where, rerun=True)
NAP = Kind("休息", _nap, rerun=True)
# The same work, as a kind whose run may not start again (its writes are not one).
NAP_ONCE = Kind("只休息一次", _nap, rerun=False)
