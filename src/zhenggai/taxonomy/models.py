"""The topics an inspection office sorts problems by (its taxonomy), each problem's
topic (suggested by the rules of zhenggai.core.topics, corrected by a person), and
what the office lets organisations see of each other's similar problems (举一反三).

An app of its own, apart from inspections, so that its tables and migrations stand
alone; services/similar.py writes to them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenggai.inspections.models import Problem
from zhenggai.orgs.models import Organisation


class Topic(models.Model):
    office = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="topics")
    name = models.CharField(_("名称"), max_length=50)
    order = models.PositiveIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("问题分类")
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["office", "name"], name="topic_unique_name")]

    def __str__(self) -> str:
        return self.name


class ProblemTopic(models.Model):
    """A problem's topic: ``suggested`` until a person sets it (who and when kept)."""

    problem = models.OneToOneField(Problem, on_delete=models.CASCADE, related_name="topic")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="problems")
    suggested = models.BooleanField(_("自动建议"), default=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    set_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("问题的分类")


class SimilarSettings(models.Model):
    """What an office lets its organisations see of other organisations' problems."""

    office = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="similar_settings"
    )
    # False: another organisation's problem is shown as 「某单位」's.
    names_shown = models.BooleanField(_("向被巡察单位显示其他单位名称"), default=False)

    class Meta:
        verbose_name = _("举一反三设置")
