"""URL configuration: the web UI of every app, the API and the admin."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from kawal.server.api import api

# Each app's pages live under its own prefix; the web app (login, home, setup) sits at the root.
APP_PREFIXES = ("orgs", "social", "audit", "publishing", "integrity", "incidents", "notifications",
                "listening")

urlpatterns = [
    # The admin signs in through Kawal's own login: throttled, audited, with two-factor.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    *[path(f"{label}/", include(f"kawal.apps.{label}.urls")) for label in APP_PREFIXES],
    path("", include("kawal.apps.web.urls")),
]
