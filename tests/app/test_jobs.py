"""Background jobs: the row tells the page how far the work is, how it ended, and why
it failed; a failed job leaves nothing half-written."""

import datetime as dt
import threading
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from zhenggai.jobs.models import STALE_AFTER, Job
from zhenggai.jobs.runner import Progress, job_start
from zhenggai.orgs.models import Organisation
from zhenggai.refusals import Refused


@pytest.fixture
def owner(db: None) -> User:
    return User.objects.create_user(username="clerk", password="x")


def test_it_runs_the_work_and_keeps_its_result_and_progress(owner: User) -> None:
    seen: list[tuple[str, int, int, str]] = []

    def work(progress: Progress) -> dict[str, Any]:
        progress(1, 2, "第一步")
        row = Job.objects.get(owner=owner)
        seen.append((row.state, row.done, row.total, row.stage))
        progress(2, 2, "第二步")
        return {"inspection": 7}

    job = job_start(owner=owner, kind="feedback_import", work=work, inline=True)

    assert seen == [(Job.State.RUNNING, 1, 2, "第一步")]
    assert (job.state, job.done, job.total, job.stage) == (Job.State.DONE, 2, 2, "第二步")
    assert job.result == {"inspection": 7}
    assert job.error == ""
    assert job.finished is not None and job.over


def test_a_refusal_becomes_the_jobs_error_as_it_is(owner: User) -> None:
    def work(progress: Progress) -> dict[str, Any]:
        raise Refused("文件中没有可读的文字")

    job = job_start(owner=owner, kind="feedback_import", work=work, inline=True)

    assert job.state == Job.State.FAILED
    assert job.error == "文件中没有可读的文字"
    assert job.result == {}


def test_an_unexpected_failure_is_told_in_chinese_and_leaves_nothing_written(
    owner: User, caplog: pytest.LogCaptureFixture
) -> None:
    def work(progress: Progress) -> dict[str, Any]:
        with transaction.atomic():
            Organisation.objects.create(name="写到一半的单位", kind=Organisation.Kind.INSPECTED)
            raise KeyError("boom")

    job = job_start(owner=owner, kind="feedback_import", work=work, inline=True)

    assert job.state == Job.State.FAILED
    assert "内部错误" in job.error and "boom" not in job.error
    assert not Organisation.objects.filter(name="写到一半的单位").exists()
    assert f"job {job.pk} failed" in caplog.text


def test_the_setting_runs_jobs_inline(owner: User, settings: Any) -> None:
    settings.JOBS_INLINE = True
    ran_in: list[str] = []

    def work(progress: Progress) -> dict[str, Any]:
        ran_in.append(threading.current_thread().name)
        return {}

    job_start(owner=owner, kind="x", work=work)

    assert ran_in == [threading.current_thread().name]


@pytest.mark.django_db(transaction=True)
def test_without_it_the_work_runs_in_a_thread_of_its_own() -> None:
    owner = User.objects.create_user(username="clerk", password="x")
    reported, release = threading.Event(), threading.Event()
    ran_in: list[str] = []

    def work(progress: Progress) -> dict[str, Any]:
        ran_in.append(threading.current_thread().name)
        progress(1, 2, "等待")
        reported.set()
        release.wait(timeout=30)
        return {"path": "exports/ledger.xlsx"}

    job = job_start(owner=owner, kind="export", work=work, inline=False)
    # The request has its answer while the work still runs.
    assert job.state == Job.State.QUEUED
    thread = next(t for t in threading.enumerate() if t.name == f"job-{job.pk}")
    # The test's in-memory SQLite refuses a write that meets a read at the same moment
    # (shared-cache table locks do not wait), so the row is read only while the work
    # waits: after it reported, before it is released.
    assert reported.wait(timeout=30)
    job.refresh_from_db()
    assert (job.state, job.stage) == (Job.State.RUNNING, "等待")
    release.set()
    thread.join(timeout=30)

    job.refresh_from_db()
    assert ran_in == [f"job-{job.pk}"]
    assert job.state == Job.State.DONE
    assert job.result == {"path": "exports/ledger.xlsx"}


def test_a_job_silent_for_too_long_is_stalled(owner: User) -> None:
    job = Job.objects.create(owner=owner, kind="x", state=Job.State.RUNNING)
    later = job.updated + STALE_AFTER + dt.timedelta(seconds=1)

    assert not job.stalled(timezone.now())
    assert job.stalled(later)
    job.state = Job.State.DONE
    assert not job.stalled(later)
