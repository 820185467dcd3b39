"""The audit log page: the current organisation's entries, and a check of the whole chain."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from kawal.apps.audit.log import verify
from kawal.apps.audit.models import AuditEntry
from kawal.apps.orgs.current import current_org
from kawal.apps.orgs.permissions import can


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    org = current_org(request)
    if org is None or not can(request.user, "audit.view", org=org):
        raise PermissionDenied(_("Your roles do not allow this."))
    entries = AuditEntry.objects.filter(organization_id=org.pk)
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"page": page, "action": action, "org": org})


@login_required
def audit_verify(request: HttpRequest) -> HttpResponse:
    org = current_org(request)
    if org is None or not can(request.user, "audit.view", org=org):
        raise PermissionDenied(_("Your roles do not allow this."))
    count, problems = verify()
    return render(request, "audit/verify.html", {"count": count, "problems": problems})
