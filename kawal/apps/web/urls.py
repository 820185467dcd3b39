from django.contrib.auth.views import LogoutView
from django.urls import path

from kawal.apps.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("login/verify/", views.login_verify, name="login_verify"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("security/", views.security, name="security"),
    path("security/password/", views.PasswordChange.as_view(), name="password_change"),
    path("security/2fa/enrol/", views.enrol_2fa, name="enrol_2fa"),
    path("security/2fa/<int:device_id>/remove/", views.remove_device, name="remove_device"),
    path("security/tokens/new/", views.create_api_token, name="create_api_token"),
    path("security/tokens/<int:token_id>/revoke/", views.revoke_api_token, name="revoke_api_token"),
    path("switch-org/", views.switch_org_view, name="switch_org"),
    path("setup/<str:token>/", views.setup, name="setup"),
]
