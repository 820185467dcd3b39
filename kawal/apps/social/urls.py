"""Web UI routes of this app (included by kawal/server/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
