from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "zhenggai.inspections"
    verbose_name = "巡察与反馈"
