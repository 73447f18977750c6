from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "anjian.registry"
    label = "registry"
    verbose_name = "企业与执法人员台账"
