from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "zhenggai.campaigns"
    verbose_name = _("回头看专项")
