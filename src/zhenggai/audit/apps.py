from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "zhenggai.audit"
    verbose_name = "审计日志"
