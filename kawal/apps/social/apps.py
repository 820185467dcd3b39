from django.apps import AppConfig


class SocialConfig(AppConfig):
    name = "kawal.apps.social"
    label = "social"
