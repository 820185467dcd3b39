"""Accounts pages under /social/ (names: social:accounts, social:account_new, social:account_edit)."""

from django.urls import path

from kawal.apps.social import views

app_name = "social"
urlpatterns = [
    path("accounts/", views.account_list, name="accounts"),
    path("accounts/new/", views.account_edit, name="account_new"),
    path("accounts/<int:account_id>/", views.account_edit, name="account_edit"),
    path("accounts/<int:account_id>/pause/", views.account_pause, name="account_pause"),
]
