"""Listening pages under /listening/ (names: listening:home, the list page the nav links; listening:settings;
the settings actions; listening:intake, the webhook)."""

from django.urls import path

from kawal.apps.listening import views

app_name = "listening"
urlpatterns = [
    path("", views.home, name="home"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/feeds/", views.add_feed, name="add_feed"),
    path("settings/feeds/<int:feed_id>/remove/", views.remove_feed, name="remove_feed"),
    path("settings/queries/", views.add_query, name="add_query"),
    path("settings/queries/<int:query_id>/remove/", views.remove_query, name="remove_query"),
    path("settings/config/", views.save_config, name="save_config"),
    path("settings/secret/", views.rotate_secret, name="rotate_secret"),
    path("intake/<slug:slug>/", views.intake, name="intake"),
]
