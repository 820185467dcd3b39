"""Audit pages under /audit/ (names: audit:log, audit:verify)."""

from django.urls import path

from kawal.apps.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_log, name="log"),
    path("verify/", views.audit_verify, name="verify"),
]
