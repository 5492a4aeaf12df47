"""A job: work that takes longer than a page should wait for (an import, a large
export), run beside the request and watched through its row."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# A job that has shown no sign of life for this long died with its process (a
# restarted worker); its page says so instead of polling forever.
STALE_AFTER = dt.timedelta(minutes=30)


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("类型"), max_length=30)
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
        return not self.over and now - self.updated > STALE_AFTER
