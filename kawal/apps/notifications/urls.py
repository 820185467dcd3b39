"""Notification channel pages under /notifications/ (names: notifications:channels, ...)."""

from django.urls import path

from kawal.apps.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.channel_list, name="channels"),
    path("new/", views.channel_edit, name="channel_new"),
    path("<int:channel_id>/", views.channel_edit, name="channel_edit"),
    path("<int:channel_id>/delete/", views.channel_delete, name="channel_delete"),
    path("<int:channel_id>/test/", views.channel_test, name="channel_test"),
]
