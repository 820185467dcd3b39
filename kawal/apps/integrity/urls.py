"""Integrity pages under /integrity/ (names: integrity:overview, integrity:account, integrity:sync,
integrity:sandbox_post)."""

from django.urls import path

from kawal.apps.integrity import views

app_name = "integrity"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("accounts/<int:account_id>/", views.account_page, name="account"),
    path("accounts/<int:account_id>/sync/", views.sync_now, name="sync"),
    path("accounts/<int:account_id>/sandbox-post/", views.sandbox_post, name="sandbox_post"),
    path("accounts/<int:account_id>/archive/", views.import_archive, name="import_archive"),
]
