"""Background jobs: the row says what to run, how far the work is, how it ended and
why it failed; a failed job leaves nothing half-written; a job whose run died is run
again from its start or failed with its reason, never left running."""

import datetime as dt
import threading
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from django_q.models import OrmQ

from zhenggai.jobs.models import STALE_AFTER, Job
from zhenggai.jobs.runner import deliver, job_start
from zhenggai.orgs.models import Organisation


@pytest.fixture
def owner(db: None) -> User:
    return User.objects.create_user(username="clerk", password="x")


def test_it_runs_the_work_and_keeps_its_result_and_progress(owner: User) -> None:
    job = job_start(owner=owner, kind="test_steps", inline=True)

    assert job.result == {"inspection": 7, "seen": [Job.State.RUNNING, 1, 2, "第一步", 1]}
    assert (job.state, job.done, job.total, job.stage) == (Job.State.DONE, 2, 2, "第二步")
    assert job.error == ""
    assert job.finished is not None and job.over


def test_a_refusal_becomes_the_jobs_error_as_it_is(owner: User) -> None:
    job = job_start(
        owner=owner, kind="test_refuse", arguments={"why": "文件中没有可读的文字"}, inline=True
    )

    assert job.state == Job.State.FAILED
    assert job.error == "文件中没有可读的文字"
    assert job.result == {}


def test_an_unexpected_failure_is_told_in_chinese_and_leaves_nothing_written(
    owner: User, caplog: pytest.LogCaptureFixture
) -> None:
    job = job_start(owner=owner, kind="test_break", inline=True)

    assert job.state == Job.State.FAILED
    assert "内部错误" in job.error and "boom" not in job.error
    assert not Organisation.objects.filter(name="写到一半的单位").exists()
    assert f"job {job.pk} failed" in caplog.text


def test_a_run_past_the_time_limit_fails_saying_so(owner: User, settings: Any) -> None:
    settings.JOBS_TIMEOUT = 1200
    job = job_start(owner=owner, kind="test_overtime", inline=True)

    assert job.state == Job.State.FAILED
    assert "超过20分钟仍未完成" in job.error


def test_the_attachment_is_dropped_when_the_job_ends(owner: User) -> None:
    job = job_start(owner=owner, kind="test_steps", attachment=b"PK\x03\x04", inline=True)

    assert job.state == Job.State.DONE and bytes(job.attachment) == b""


def test_an_unknown_kind_is_refused_before_anything_is_written(owner: User) -> None:
    with pytest.raises(KeyError):
        job_start(owner=owner, kind="no_such_kind", inline=True)

    assert not Job.objects.exists()


def test_the_setting_runs_jobs_inline(owner: User, settings: Any) -> None:
    settings.JOBS_INLINE = True

    job = job_start(owner=owner, kind="test_where")

    assert job.result == {"thread": threading.current_thread().name}


def test_without_it_the_job_waits_in_the_queue_written_with_its_row(owner: User) -> None:
    job = job_start(
        owner=owner, kind="test_nap", arguments={"first": 0, "then": 0}, attachment=b"x"
    )

    assert (job.state, job.attempts) == (Job.State.QUEUED, 0)
    [entry] = OrmQ.objects.all()
    assert entry.task_id() == job.task and entry.name() == f"job-{job.pk}"
    assert entry.func() == "zhenggai.jobs.runner.deliver" and entry.args() == (job.pk,)
    # What the worker does with it.
    deliver(job.pk)
    job.refresh_from_db()
    assert (job.state, job.attempts, job.result) == (Job.State.DONE, 1, {"attempt": 1})


# --- A delivery after a run that died ---------------------------------------------------


def _died(owner: User, kind: str, attempts: int = 1) -> Job:
    """A job whose run died: the row still says running, its worker is gone."""
    job = job_start(owner=owner, kind=kind, arguments={"first": 0, "then": 0})
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING, attempts=attempts, done=1, total=3, stage="正在写入"
    )
    return job


def test_a_job_that_may_run_again_starts_again_and_counts_the_attempt(owner: User) -> None:
    job = _died(owner, "test_nap")

    deliver(job.pk)

    job.refresh_from_db()
    assert (job.state, job.attempts, job.result) == (Job.State.DONE, 2, {"attempt": 2})
    assert job.error == ""


def test_a_job_that_may_not_run_again_fails_with_its_reason(owner: User) -> None:
    job = _died(owner, "test_nap_once")

    deliver(job.pk)

    job.refresh_from_db()
    assert (job.state, job.attempts, job.result) == (Job.State.FAILED, 1, {})
    assert job.error == "任务执行中服务重启，已中断；请重新提交。"
    assert job.finished is not None


def test_a_job_whose_runs_died_too_often_fails_with_its_reason(owner: User) -> None:
    job = _died(owner, "test_nap", attempts=3)

    deliver(job.pk)

    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.FAILED, 3)
    assert "执行了3次" in job.error and "已停止重试" in job.error


def test_a_delivery_after_the_end_changes_nothing(owner: User) -> None:
    job = job_start(owner=owner, kind="test_steps", inline=True)
    before = Job.objects.values().get(pk=job.pk)

    deliver(job.pk)

    assert Job.objects.values().get(pk=job.pk) == before


# --- What the page is told --------------------------------------------------------------


def test_a_running_job_silent_past_the_time_limit_is_stalled(owner: User) -> None:
    job = Job.objects.create(owner=owner, kind="test_nap", state=Job.State.RUNNING)
    later = job.updated + STALE_AFTER + dt.timedelta(seconds=1)

    assert not job.stalled(timezone.now())
    assert job.stalled(later)
    job.state = Job.State.DONE
    assert not job.stalled(later)


def test_a_job_queued_for_long_says_the_worker_may_be_down(owner: User) -> None:
    job = Job.objects.create(owner=owner, kind="test_nap")

    assert not job.waiting_long(timezone.now())
    assert job.waiting_long(timezone.now() + dt.timedelta(minutes=3))
    assert not job.stalled(timezone.now() + STALE_AFTER * 2)


def test_the_job_page_tells_a_run_again_a_lost_run_and_a_long_wait(owner: User) -> None:
    running = {"owner": owner, "kind": "feedback_import", "state": Job.State.RUNNING}
    again = Job.objects.create(**running, attempts=2)
    lost = Job.objects.create(**running)
    waiting = Job.objects.create(owner=owner, kind="ledger_export")
    long_ago = timezone.now() - STALE_AFTER - dt.timedelta(minutes=1)
    Job.objects.filter(pk__in=[lost.pk, waiting.pk]).update(created=long_ago, updated=long_ago)
    client = Client()
    client.force_login(owner)

    def page(job: Job) -> str:
        return client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()

    assert "第2次执行" in page(again) and 'hx-trigger="every 1s"' in page(again)
    # Still polled, more slowly, until the worker's start runs it again or fails it.
    assert "执行已中断" in page(lost) and 'hx-trigger="every 5s"' in page(lost)
    assert "后台服务可能未在运行" in page(waiting) and "执行已中断" not in page(waiting)
