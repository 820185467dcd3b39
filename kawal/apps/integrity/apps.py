from django.apps import AppConfig


class IntegrityConfig(AppConfig):
    name = "kawal.apps.integrity"
    label = "integrity"
