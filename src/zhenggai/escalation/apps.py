from django.apps import AppConfig


class EscalationConfig(AppConfig):
    name = "zhenggai.escalation"
    verbose_name = "督促函件"
