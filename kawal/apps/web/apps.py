from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "kawal.apps.web"
    label = "web"
