from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "lianxin.intake"
    label = "intake"
