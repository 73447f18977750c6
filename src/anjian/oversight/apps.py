from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "anjian.oversight"
    label = "oversight"
    verbose_name = "监督"
