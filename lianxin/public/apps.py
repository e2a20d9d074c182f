from django.apps import AppConfig


class PublicConfig(AppConfig):
    """The citizen pages: submit an appeal, track it, rate the outcome, the public league table."""

    name = "lianxin.public"
    label = "public"
