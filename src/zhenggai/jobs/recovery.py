"""What the job worker does when it starts, before it takes a task: the jobs that a
worker which stopped (a restart, a crash, a machine that went down) left unfinished.

One worker runs per database (settings.Q_CLUSTER; its concurrency is its number of
processes), so at its start no run of any job is alive, and a job that says
"running" lost its run. In order:

1. The unfinished jobs are listed first, so that a job queued meanwhile by a page
   is not among them.
2. The queue's entries are read; those of listed jobs are handed out at once
   rather than after the queue's retry time. Their delivery runs each job again
   or fails it with its reason (zhenggai/jobs/runner.py).
3. A listed job whose task the queue no longer holds would never run: it fails,
   saying why, instead of staying "running" or "queued" for good.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django_q.models import OrmQ

from zhenggai.jobs.models import Job


@dataclass(frozen=True)
class Recovered:
    handed_out: list[int]  # job ids, run again or failed by their delivery
    failed: list[int]  # job ids whose task was gone


def recover() -> Recovered:
    """Steps 1 to 3."""
    unfinished = dict(
        Job.objects.filter(state__in=(Job.State.QUEUED, Job.State.RUNNING)).values_list(
            "pk", "task"
        )
    )
    entries = {entry.task_id(): entry.pk for entry in OrmQ.objects.all()}
    held = {pk for pk, task in unfinished.items() if task and task in entries}
    OrmQ.objects.filter(pk__in=[entries[unfinished[pk]] for pk in held]).update(lock=timezone.now())
    lost = sorted(set(unfinished) - held)
    _fail(lost, Job.State.RUNNING, _("任务执行中服务重启，已中断；请重新提交。"))
    _fail(lost, Job.State.QUEUED, _("任务在排队时丢失（后台服务重启），未执行；请重新提交。"))
    return Recovered(sorted(held), lost)


def _fail(pks: list[int], state: Job.State, error: str) -> None:
    now = timezone.now()
    Job.objects.filter(pk__in=pks, state=state).update(
        state=Job.State.FAILED, error=error, attachment=b"", updated=now, finished=now
    )
