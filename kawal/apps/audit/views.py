"""The audit log page: the current organisation's entries, and a check of the whole chain."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from kawal.apps.audit.log import verify
from kawal.apps.audit.models import AuditEntry
from kawal.apps.orgs.current import current_org
from kawal.apps.orgs.models import Membership, Organization
from kawal.apps.orgs.permissions import can


def org_entries(org: Organization) -> QuerySet[AuditEntry]:
    """The organisation's entries, plus its members' own security events (logins, 2FA), which have no org."""
    member_ids = list(Membership.objects.filter(organization=org).values_list("user_id", flat=True))
    personal = Q(organization__isnull=True) & (
        Q(actor_id__in=member_ids)
        | Q(target_type="auth.user", target_id__in=[str(i) for i in member_ids]))
    return AuditEntry.objects.filter(Q(organization_id=org.pk) | personal)


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    org = current_org(request)
    if org is None or not can(request.user, "audit.view", org=org):
        raise PermissionDenied(_("Your roles do not allow this."))
    entries = org_entries(org)
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
