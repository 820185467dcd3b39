"""WSGI entry point (``kawal up`` serves it with waitress)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kawal.server.settings")
application = get_wsgi_application()
