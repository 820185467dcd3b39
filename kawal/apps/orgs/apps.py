from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "kawal.apps.orgs"
    label = "orgs"
