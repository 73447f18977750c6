from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "anjian.policy"
    verbose_name = "入企规则与事项清单"
    default_auto_field = "django.db.models.BigAutoField"
