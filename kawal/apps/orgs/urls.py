"""Members pages under /orgs/ (names: orgs:members, ...)."""

from django.urls import path

from kawal.apps.orgs import views

app_name = "orgs"
urlpatterns = [
    path("new/", views.org_new, name="org_new"),
    path("settings/", views.org_settings, name="org_settings"),
    path("members/", views.members, name="members"),
    path("members/add/", views.add_member, name="add_member"),
    path("members/<int:membership_id>/roles/", views.change_roles, name="change_roles"),
    path("members/<int:membership_id>/remove/", views.remove_member, name="remove_member"),
    path("members/<int:membership_id>/reset-2fa/", views.reset_2fa, name="reset_2fa"),
    path("members/<int:membership_id>/grants/", views.add_grant, name="add_grant"),
    path("grants/<int:grant_id>/remove/", views.remove_grant, name="remove_grant"),
]
