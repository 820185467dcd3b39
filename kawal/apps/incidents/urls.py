"""Incident pages under /incidents/ (names: incidents:list, incidents:detail, incidents:act)."""

from django.urls import path

from kawal.apps.incidents import views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("<int:incident_id>/", views.incident_detail, name="detail"),
    path("<int:incident_id>/<slug:action>/", views.incident_act, name="act"),
]
