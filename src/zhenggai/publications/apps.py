from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "zhenggai.publications"
    verbose_name = _("公开通报")
