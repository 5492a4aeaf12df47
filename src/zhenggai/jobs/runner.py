"""Running a job beside the request that started it.

The page that starts a job answers at once with the job's page, which polls the
row. The work runs in a thread of the same process: gunicorn's workers are
synchronous, and one import does not need a broker (STYLE.md 7).

1. ``job_start`` writes the row (queued) and starts the thread once that row is
   committed, so the thread can read it.
2. The thread marks the row running and calls the work with a ``progress``
   callback; each call writes done/total/stage to the row.
3. The work's return value is the job's result; a refusal or a parse error
   becomes the job's error as it is (Chinese, for the user); anything else is
   logged and the user reads a general reason.

The work does its writes through services, each one transaction, and calls
``progress`` between them, never inside one: a row written inside a
transaction would not be seen by the polling page until the end. A failed job
therefore leaves nothing half-written.

Tests run the work in the caller's thread (``inline``, or the JOBS_INLINE
setting) so they are deterministic.
"""

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zhenggai.core.errors import ParseError
from zhenggai.jobs.models import Job
from zhenggai.refusals import NotFound, Refused

logger = logging.getLogger(__name__)

# progress(done, total, stage): how far the work is, and what it is doing now.
Progress = Callable[[int, int, str], None]
Work = Callable[[Progress], dict[str, Any]]

# Failures whose message is written for the user who started the job.
TOLD = (Refused, NotFound, ParseError)


def job_start(*, owner: User, kind: str, work: Work, inline: bool | None = None) -> Job:
    """Queue the work as a job of ``owner`` and start it; returns the queued row."""
    job = Job.objects.create(owner=owner, kind=kind[:30])
    language = translation.get_language()
    if _inline(inline):
        _run(job.pk, work, language)
        job.refresh_from_db()
        return job
    thread = threading.Thread(
        target=_run_in_thread, args=(job.pk, work, language), name=f"job-{job.pk}"
    )
    # Started once the row is committed (at once outside a transaction).
    transaction.on_commit(thread.start)
    return job


def _inline(inline: bool | None) -> bool:
    return bool(getattr(settings, "JOBS_INLINE", False)) if inline is None else inline


def _run_in_thread(job_id: int, work: Work, language: str | None) -> None:
    try:
        _run(job_id, work, language)
    finally:
        # The thread's own connection: not left open for the server to time out.
        connections.close_all()


def _run(job_id: int, work: Work, language: str | None) -> None:
    """Steps 2 and 3; never raises."""
    with translation.override(language):
        _write(job_id, state=Job.State.RUNNING)
        try:
            result = work(_reporter(job_id))
        except TOLD as refusal:
            _write(job_id, state=Job.State.FAILED, error=str(refusal), finished=timezone.now())
        except Exception:
            logger.exception("job %s failed", job_id)
            error = _("任务因内部错误中断，未作任何改动。请稍后重试，或联系管理员。")
            _write(job_id, state=Job.State.FAILED, error=error, finished=timezone.now())
        else:
            _write(job_id, state=Job.State.DONE, result=result, finished=timezone.now())


def _reporter(job_id: int) -> Progress:
    def progress(done: int, total: int, stage: str) -> None:
        _write(job_id, done=max(done, 0), total=max(total, 0), stage=stage)

    return progress


def _write(job_id: int, **values: Any) -> None:
    Job.objects.filter(pk=job_id).update(updated=timezone.now(), **values)
