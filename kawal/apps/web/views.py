from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kawal.apps.orgs.current import switch_org


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


login_view = auth_views.LoginView.as_view(template_name="web/login.html")


@login_required
def security(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


@require_POST
@login_required
def switch_org_view(request: HttpRequest) -> HttpResponse:
    try:
        switch_org(request, int(request.POST.get("org", "0")))
    except (LookupError, ValueError):
        pass
    return redirect("home")
