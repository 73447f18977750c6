from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "anjian.training"
    verbose_name = "安全培训与考试"
    default_auto_field = "django.db.models.BigAutoField"
