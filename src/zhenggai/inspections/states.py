"""The states shared by measures and problems, kept apart from the models so that
every app and the workflow modules can name them without importing models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    NOT_STARTED = "not_started", _("未开始")
    IN_PROGRESS = "in_progress", _("整改中")
    AWAITING_SIGN_OFF = "awaiting_sign_off", _("已完成待销号")
    SIGNED_OFF = "signed_off", _("已销号")
    LONG_TERM = "long_term", _("长期坚持")
    REOPENED = "reopened", _("回头看后重新整改")


# Done for completion rates: closed, or handed over to long-term work.
DONE_STATES = (State.SIGNED_OFF, State.LONG_TERM)


class PlanState(models.TextChoices):
    DRAFT = "draft", _("起草中")
    SUBMITTED = "submitted", _("待审批")
    OFFICE_REVIEW = "office_review", _("待巡察办审核")
    RETURNED = "returned", _("退回修改")
    APPROVED = "approved", _("已审批")
    AMENDING = "amending", _("修订中")
