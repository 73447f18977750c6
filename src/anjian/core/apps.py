from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "anjian.core"
    label = "core"
    verbose_name = "框架"
