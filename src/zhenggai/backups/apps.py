from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """`zhenggai backup` and `zhenggai restore`: an app only so that they are commands."""

    name = "zhenggai.backups"
    verbose_name = "备份与恢复"
