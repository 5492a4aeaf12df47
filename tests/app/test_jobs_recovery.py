"""The job worker's start: the jobs a stopped worker left are handed out again at once,
or failed with their reason when the queue lost them; none stays running for good."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone
from django_q.models import OrmQ

from zhenggai.jobs.models import Job
from zhenggai.jobs.recovery import recover
from zhenggai.jobs.runner import job_start


@pytest.fixture
def owner(db: None) -> User:
    return User.objects.create_user(username="clerk", password="x")


def _queued(owner: User) -> Job:
    return job_start(owner=owner, kind="test_nap", arguments={"first": 0, "then": 0})


def _entry(job: Job) -> OrmQ:
    return next(e for e in OrmQ.objects.all() if e.task_id() == job.task)


def _taken_by_a_worker_that_died(job: Job) -> None:
    """Its run started and its task is locked for the retry time, as the dead worker
    left them."""
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, attempts=1)
    later = timezone.now() + dt.timedelta(hours=1)
    OrmQ.objects.filter(pk=_entry(job).pk).update(lock=later)


def test_a_running_job_whose_task_is_held_is_handed_out_at_once(owner: User) -> None:
    job = _queued(owner)
    _taken_by_a_worker_that_died(job)

    found = recover()

    assert (found.handed_out, found.failed) == ([job.pk], [])
    lock = _entry(job).lock
    assert lock is not None and lock <= timezone.now()
    job.refresh_from_db()
    assert (job.state, job.error) == (Job.State.RUNNING, "")  # its delivery decides


def test_a_running_job_whose_task_is_gone_fails_with_its_reason(owner: User) -> None:
    job = _queued(owner)
    _taken_by_a_worker_that_died(job)
    OrmQ.objects.all().delete()  # acknowledged, say, by a worker that then died

    found = recover()

    assert (found.handed_out, found.failed) == ([], [job.pk])
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.finished is not None
    assert job.error == "任务执行中服务重启，已中断；请重新提交。"


def test_a_queued_job_whose_task_is_gone_fails_and_one_still_queued_waits(
    owner: User,
) -> None:
    lost, waiting = _queued(owner), _queued(owner)
    OrmQ.objects.filter(pk=_entry(lost).pk).delete()

    found = recover()

    assert (found.handed_out, found.failed) == ([waiting.pk], [lost.pk])
    lost.refresh_from_db()
    waiting.refresh_from_db()
    assert lost.state == Job.State.FAILED and "排队时丢失" in lost.error
    assert waiting.state == Job.State.QUEUED


def test_a_job_started_before_the_queue_leaves_none_running(owner: User) -> None:
    # A job of the thread that ran jobs before the queue: it has no task at all.
    job = Job.objects.create(owner=owner, kind="feedback_import", state=Job.State.RUNNING)

    recover()

    job.refresh_from_db()
    assert job.state == Job.State.FAILED


def test_finished_jobs_are_left_as_they_were(owner: User) -> None:
    done = job_start(owner=owner, kind="test_steps", inline=True)
    before = Job.objects.values().get(pk=done.pk)

    found = recover()

    assert (found.handed_out, found.failed) == ([], [])
    assert Job.objects.values().get(pk=done.pk) == before


def test_the_worker_command_recovers_before_it_runs_the_queue(
    owner: User, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    job = _queued(owner)
    _taken_by_a_worker_that_died(job)
    OrmQ.objects.all().delete()
    states: list[str] = []  # the job's, when the queue's cluster starts
    monkeypatch.setattr(
        "zhenggai.jobs.management.commands.worker.serve",
        lambda: states.append(Job.objects.get(pk=job.pk).state),
    )

    call_command("worker")

    assert states == [Job.State.FAILED]
    assert "0 handed out again, 1 failed" in capsys.readouterr().out
