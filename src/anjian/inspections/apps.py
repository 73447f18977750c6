from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "anjian.inspections"
    verbose_name = "行政检查"
    default_auto_field = "django.db.models.BigAutoField"
