from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "zhenggai.web"
    label = "web"
