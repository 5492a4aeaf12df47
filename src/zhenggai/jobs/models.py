"""A job: work that takes longer than a page should wait for (an import, a large
export), described by its row (its kind and arguments), worked by the job worker and
watched through that row."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# No run of a job outlives the worker's time limit (the queue stops it there), so a
# job still running with no sign of life for longer lost its run: a worker that died
# or restarted. Its page says so; the queue then runs it again or fails it with its
# reason (zhenggai/jobs/runner.py).
STALE_AFTER = dt.timedelta(seconds=settings.JOBS_TIMEOUT + 60)
# A job waiting longer than this to start: the worker may not be running.
PATIENCE = dt.timedelta(minutes=2)


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # One of settings.JOBS_KINDS: what the worker runs (zhenggai/jobs/kinds.py).
    kind = models.CharField(_("类型"), max_length=30)
    # What the work needs, as JSON, and the file it reads (an uploaded document),
    # dropped once the job is over.
    arguments = models.JSONField(_("参数"), default=dict, blank=True)
    attachment = models.BinaryField(_("附件"), default=b"", blank=True)
    # The language of the page that started it: the work's messages are in it.
    language = models.CharField(_("语言"), max_length=10, blank=True)
    # The queue's id for the job's task: the worker's start finds by it whether the
    # queue still holds the job.
    task = models.CharField(_("队列任务"), max_length=32, blank=True)
    # Runs started: more than one when a worker died during a run and the job was run
    # again from its start.
    attempts = models.PositiveSmallIntegerField(_("执行次数"), default=0)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(_("已完成步数"), default=0)
    total = models.PositiveIntegerField(_("总步数"), default=0)
    stage = models.TextField(_("当前阶段"), blank=True)
    # What the work produced, for the page that follows it: an inspection id, a file.
    result = models.JSONField(_("结果"), default=dict, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated = models.DateTimeField(_("最近进展"), auto_now_add=True)
    finished = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"

    @property
    def over(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    def stalled(self, now: dt.datetime) -> bool:
        """A run that lost its worker: the page stops promising progress."""
        return self.state == self.State.RUNNING and now - self.updated > STALE_AFTER

    def waiting_long(self, now: dt.datetime) -> bool:
        """Queued for long: the page says the worker may be down."""
        return self.state == self.State.QUEUED and now - self.created > PATIENCE
