from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "kawal.apps.notifications"
    label = "notifications"
