from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "kawal.apps.incidents"
    label = "incidents"
