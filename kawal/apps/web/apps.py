from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "kawal.apps.web"
    label = "web"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        from kawal.apps.audit.log import record

        def audit_logout(sender: object, request: object, user: object, **kwargs: object) -> None:
            if user is not None:
                record("logout", actor=user)

        user_logged_out.connect(audit_logout, dispatch_uid="kawal-audit-logout")
