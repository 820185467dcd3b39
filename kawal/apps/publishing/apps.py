from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "kawal.apps.publishing"
    label = "publishing"
