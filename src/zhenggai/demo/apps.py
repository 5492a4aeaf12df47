from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo loader and the synthetic benchmark data: not the product's domain,
    an app only so that `zhenggai demo` is a command."""

    name = "zhenggai.demo"
    verbose_name = "演示数据"
