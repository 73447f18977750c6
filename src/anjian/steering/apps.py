from django.apps import AppConfig


class SteeringConfig(AppConfig):
    name = "anjian.steering"
    label = "steering"
    verbose_name = "专项工作调度"
