from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "anjian.enforcement"
    verbose_name = "行政处罚"
    default_auto_field = "django.db.models.BigAutoField"
