from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaxonomyConfig(AppConfig):
    name = "zhenggai.taxonomy"
    verbose_name = _("问题分类")
