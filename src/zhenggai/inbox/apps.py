from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "zhenggai.inbox"
    verbose_name = _("消息")
