from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "lianxin.routing"
    label = "routing"
