from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "kawal.apps.audit"
    label = "audit"
