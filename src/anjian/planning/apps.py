from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "anjian.planning"
    verbose_name = "入企计划统筹"
    default_auto_field = "django.db.models.BigAutoField"
