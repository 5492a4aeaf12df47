"""The states shared by measures and problems, kept apart from the models so that
every app and the workflow modules can name them without importing models."""

from django.db import models


class State(models.TextChoices):
    NOT_STARTED = "not_started", "未开始"
    IN_PROGRESS = "in_progress", "整改中"
    AWAITING_SIGN_OFF = "awaiting_sign_off", "已完成待销号"
    SIGNED_OFF = "signed_off", "已销号"
    LONG_TERM = "long_term", "长期坚持"
    REOPENED = "reopened", "回头看后重新整改"


# Done for completion rates: closed, or handed over to long-term work.
DONE_STATES = (State.SIGNED_OFF, State.LONG_TERM)


class PlanState(models.TextChoices):
    DRAFT = "draft", "起草中"
    SUBMITTED = "submitted", "待审批"
    APPROVED = "approved", "已审批"
