from django.apps import AppConfig


class ListeningConfig(AppConfig):
    name = "kawal.apps.listening"
    label = "listening"

    def ready(self) -> None:
        from kawal.apps.orgs.permissions import register_action

        # Reading is listening.view (every role). Changing what is watched, and the webhook secret, is for
        # admins only: a feed list or a leaked secret decides what lands in everyone's alerts.
        register_action("listening.configure", {"admin"})
