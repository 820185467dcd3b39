from django.apps import AppConfig


class ListeningConfig(AppConfig):
    name = "kawal.apps.listening"
    label = "listening"
