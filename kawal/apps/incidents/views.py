"""Incident pages: the list, and one incident with its evidence, timeline and actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kawal.apps.incidents import services
from kawal.apps.incidents.models import Incident, Resolution, Severity, Status
from kawal.apps.orgs.current import current_org
from kawal.apps.orgs.models import Organization
from kawal.apps.orgs.permissions import can

PAGE_SIZE = 50


def _org(request: HttpRequest) -> Organization:
    org = current_org(request)
    if org is None or not can(request.user, "incident.view", org=org):
        raise PermissionDenied(_("Your roles do not allow this."))
    return org


def _incident(org: Organization, incident_id: int) -> Incident:
    incident = Incident.objects.select_related("account", "owner", "organization").filter(
        organization=org, pk=incident_id).first()
    if incident is None:
        raise Http404
    return incident


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    status = request.GET.get("status", "active")
    incidents = Incident.objects.filter(organization=org).select_related("account", "owner")
    if status == "active":
        incidents = incidents.exclude(status=Status.RESOLVED)
    elif status in Status.values:
        incidents = incidents.filter(status=status)
    page = Paginator(incidents, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "incidents/list.html", {"incidents": page.object_list, "page": page,
                                                   "status": status, "statuses": Status.choices})


@login_required
def incident_detail(request: HttpRequest, incident_id: int) -> HttpResponse:
    org = _org(request)
    incident = _incident(org, incident_id)
    members = get_user_model().objects.filter(memberships__organization=org).order_by("username").distinct()
    scope = {"account": incident.account} if incident.account_id else {"org": org}
    return render(request, "incidents/detail.html", {
        "incident": incident, "timeline": incident.timeline.select_related("actor"),
        "details": incident.details or {}, "members": members, "severities": Severity.choices,
        "resolutions": Resolution.choices,
        "can_manage": can(request.user, "incident.manage", **scope),
        "can_close": can(request.user, "incident.close", **scope),
        "can_resume": bool(incident.account_id) and can(request.user, "publishing.resume", account=incident.account),
        "notifications": incident.notifications.select_related("channel")[:50]})


@require_POST
@login_required
def incident_act(request: HttpRequest, incident_id: int, action: str) -> HttpResponse:
    org = _org(request)
    incident = _incident(org, incident_id)
    try:
        _do(request, incident, action)
    except services.IncidentError as exc:
        if exc.code == "forbidden":
            raise PermissionDenied(str(exc)) from exc
        messages.error(request, str(exc))
    return redirect("incidents:detail", incident.pk)


def _do(request: HttpRequest, incident: Incident, action: str) -> None:
    user, post = request.user, request.POST
    if action == "acknowledge":
        services.acknowledge(user, incident)
        messages.success(request, _("Incident acknowledged."))
    elif action == "assign":
        owner = None
        if post.get("owner"):
            owner = get_user_model().objects.filter(pk=post.get("owner")).first()
            if owner is None:
                raise services.IncidentError(_("No such user."))
        services.assign(user, incident, owner)
    elif action == "comment":
        services.comment(user, incident, post.get("body", ""))
    elif action == "severity":
        services.set_severity(user, incident, post.get("severity", ""))
    elif action == "resolve":
        _resolve(user, incident, post)
        messages.success(request, _("Incident resolved."))
    else:
        raise Http404


def _resolve(user: Any, incident: Incident, post: QueryDict) -> None:
    category = post.get("category", "")
    try:
        services.resolve(user, incident, category=category, note_text=post.get("note", ""),
                         resume_account=post.get("resume") == "1", sanction_client=post.get("sanction") == "1")
    except services.IncidentError as exc:
        # The page names the categories by their labels; the service's message lists the API's codes.
        if exc.code != "forbidden" and category not in Resolution.values:
            raise services.IncidentError(_("Choose a resolution category from the list: what happened?")) from exc
        raise
