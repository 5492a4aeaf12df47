"""Running a job: a row that says what to do, a queue that hands it to a worker.

The page that starts a job answers at once with the job's page, which polls the
row. The work runs in the job worker (`zhenggai worker`, a django-q2 cluster:
settings.Q_CLUSTER), never in a web worker, and the row alone says what it is: its
kind (zhenggai/jobs/kinds.py), its arguments and its attachment.

1. ``job_start`` writes the row (queued) and puts its task in the queue, which is
   a table of the same database, in one transaction: both or neither.
2. The worker takes the task and calls ``deliver``, which claims the row (running,
   one attempt more) and calls the kind's work with a ``progress`` callback; each
   call writes done/total/stage to the row.
3. The work's return value is the job's result; a refusal or a parse error becomes
   the job's error as it is (Chinese, for the user); a run past the time limit or
   anything else is logged and the user reads a general reason. The attachment is
   dropped.

A run cut short by the death of its worker (a restart, a crash) leaves the row
running and the task unacknowledged; the queue hands the task out again, at once
when the worker starts again (zhenggai/jobs/recovery.py), otherwise after the
retry time. A delivery that finds its job running knows that the run before it
died: a kind that may run again (``Kind.rerun``) starts again from its start, the
attempt counted and shown; any other kind fails, saying that its run was
interrupted; so does a job whose runs died settings.JOBS_ATTEMPTS times.

The work does its writes through services, each one transaction, and calls
``progress`` between them, never inside one: a row written inside a transaction
would not be seen by the polling page until the end. A failed job therefore
leaves nothing half-written.

Tests run the work in the caller's thread (``inline``, or the JOBS_INLINE
setting), without the queue, so they are deterministic.
"""

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_q.exceptions import TimeoutException
from django_q.tasks import async_task

from zhenggai.core.errors import ParseError
from zhenggai.jobs.kinds import Kind, Progress, kind_of
from zhenggai.jobs.models import Job
from zhenggai.refusals import NotFound, Refused

logger = logging.getLogger(__name__)

# Failures whose message is written for the user who started the job.
TOLD = (Refused, NotFound, ParseError)
# What the worker calls for each delivery of a job's task.
DELIVER = "zhenggai.jobs.runner.deliver"


def job_start(
    *,
    owner: User,
    kind: str,
    arguments: dict[str, Any] | None = None,
    attachment: bytes = b"",
    inline: bool | None = None,
) -> Job:
    """Queue a job of ``kind`` for ``owner`` (step 1); returns its row, still queued
    unless the job ran inline. ``arguments`` must be JSON."""
    kind_of(kind)  # an unknown kind is the caller's mistake, told here and not later
    run_here = _inline(inline)
    with transaction.atomic():
        job = Job.objects.create(
            owner=owner,
            kind=kind,
            arguments=arguments or {},
            attachment=attachment,
            language=translation.get_language() or "",
        )
        if not run_here:
            job.task = async_task(DELIVER, job.pk, task_name=f"job-{job.pk}")
            job.save(update_fields=["task"])
    if run_here:
        deliver(job.pk)
        job.refresh_from_db()
    return job


def _inline(inline: bool | None) -> bool:
    return bool(getattr(settings, "JOBS_INLINE", False)) if inline is None else inline


def deliver(job_id: int) -> None:
    """One delivery of a job's task (steps 2 and 3); never raises for the work."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.over:
        return  # a delivery repeated after the end (its acknowledgement was lost)
    with translation.override(job.language or None):
        refusal = _refusal(job)
        if refusal:
            logger.warning("job %s not run again: %s", job.pk, refusal)
            _finish(job.pk, state=Job.State.FAILED, error=refusal)
        elif _claim(job):
            _run(job, kind_of(job.kind))


def _refusal(job: Job) -> str:
    """Why the job may not run now ("" when it may): a kind no longer known, or a
    run before this one that died."""
    if job.kind not in settings.JOBS_KINDS:
        return _("该类任务已不再支持；请重新提交。")
    if job.state != Job.State.RUNNING:
        return ""
    if not kind_of(job.kind).rerun:
        return _("任务执行中服务重启，已中断；请重新提交。")
    if job.attempts >= settings.JOBS_ATTEMPTS:
        return _(
            "任务执行了%(n)s次，每次都因服务重启或进程退出而中断，已停止重试；请联系管理员。"
        ) % {"n": job.attempts}
    return ""


def _claim(job: Job) -> bool:
    """The row marked running for this attempt, unless another delivery took it
    first (compare and swap on its state and attempts)."""
    again = job.state == Job.State.RUNNING
    stage = _("上次执行因服务重启中断，正在重新执行") if again else ""
    claimed = Job.objects.filter(pk=job.pk, state=job.state, attempts=job.attempts).update(
        state=Job.State.RUNNING,
        attempts=job.attempts + 1,
        done=0,
        total=0,
        stage=stage,
        updated=timezone.now(),
    )
    job.refresh_from_db()
    return claimed == 1


def _run(job: Job, kind: Kind) -> None:
    try:
        result = kind.work(job, _reporter(job.pk))
    except TOLD as refusal:
        _finish(job.pk, state=Job.State.FAILED, error=str(refusal))
    except TimeoutException:
        logger.warning("job %s stopped at the time limit", job.pk)
        minutes = max(settings.JOBS_TIMEOUT // 60, 1)
        error = _("任务超过%(minutes)s分钟仍未完成，已停止。请稍后重试，或联系管理员。") % {
            "minutes": minutes
        }
        _finish(job.pk, state=Job.State.FAILED, error=error)
    except Exception:
        logger.exception("job %s failed", job.pk)
        error = _("任务因内部错误中断，未作任何改动。请稍后重试，或联系管理员。")
        _finish(job.pk, state=Job.State.FAILED, error=error)
    else:
        _finish(job.pk, state=Job.State.DONE, result=result)


def _reporter(job_id: int) -> Progress:
    def progress(done: int, total: int, stage: str) -> None:
        _write(job_id, done=max(done, 0), total=max(total, 0), stage=stage)

    return progress


def _finish(job_id: int, **values: Any) -> None:
    _write(job_id, finished=timezone.now(), attachment=b"", **values)


def _write(job_id: int, **values: Any) -> None:
    Job.objects.filter(pk=job_id).update(updated=timezone.now(), **values)
