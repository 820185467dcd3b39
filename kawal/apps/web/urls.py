from django.contrib.auth.views import LogoutView
from django.urls import path

from kawal.apps.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("security/", views.security, name="security"),
    path("switch-org/", views.switch_org_view, name="switch_org"),
]
