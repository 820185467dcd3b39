from django.urls import path

from kawal.apps.web import views

urlpatterns = [
    path("", views.home, name="home"),
]
