"""Integrity pages: every account's reconciliation state, and one account's observed posts with their scores
and reasons, a "sync now" button and, on sandbox accounts, a form to post directly as any client."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kawal.apps.audit.log import record
from kawal.apps.incidents.models import Incident, Status
from kawal.apps.integrity.models import ObservedPost, ProfileSnapshot, Verdict
from kawal.apps.integrity.sync import SyncBusy, SyncError, integrity_profile, learn_archive, sync_account
from kawal.apps.orgs.current import current_org
from kawal.apps.orgs.models import Organization
from kawal.apps.orgs.permissions import can
from kawal.apps.social.models import PlatformName, SocialAccount
from kawal.sources.archives import ArchiveError, load_archive
from kawal.sources.platforms.sandbox import SandboxError, SandboxNetwork

PAGE_SIZE = 50


def _org(request: HttpRequest) -> Organization:
    org = current_org(request)
    if org is None or not can(request.user, "account.view", org=org):
        raise PermissionDenied(_("Your roles do not allow this."))
    return org


def _account(request: HttpRequest, account_id: int, action: str = "account.view") -> SocialAccount:
    org = _org(request)
    account = SocialAccount.objects.select_related("organization").filter(organization=org, pk=account_id).first()
    if account is None:
        raise Http404
    if not can(request.user, action, account=account):
        raise PermissionDenied(_("Your roles do not allow this."))
    return account


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    accounts = SocialAccount.objects.filter(organization=org).annotate(
        observed=Count("observed_posts", distinct=True),
        unsanctioned=Count("observed_posts", filter=Q(observed_posts__verdict=Verdict.UNSANCTIONED), distinct=True),
        open_incidents=Count("incidents", filter=~Q(incidents__status=Status.RESOLVED), distinct=True))
    return render(request, "integrity/overview.html", {"accounts": accounts})


@login_required
def account_page(request: HttpRequest, account_id: int) -> HttpResponse:
    account = _account(request, account_id)
    row = integrity_profile(account)
    posts = ObservedPost.objects.filter(account=account)
    page = Paginator(posts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "integrity/account.html", {
        "account": account, "profile_row": row, "posts": page.object_list, "page": page,
        "snapshots": ProfileSnapshot.objects.filter(account=account)[:10],
        "incidents": Incident.objects.filter(account=account).exclude(status=Status.RESOLVED),
        "is_sandbox": account.platform == PlatformName.SANDBOX,
        "can_sync": can(request.user, "integrity.sync", account=account),
        "can_simulate": can(request.user, "integrity.simulate", account=account)})


@require_POST
@login_required
def sync_now(request: HttpRequest, account_id: int) -> HttpResponse:
    account = _account(request, account_id, "integrity.sync")
    try:
        result = sync_account(account, actor=request.user)
    except SyncBusy:
        messages.info(request, _("This account is being synced right now; look again in a moment."))
    except SyncError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Synced: %(posts)d new post(s), %(incidents)d incident(s) opened.")
                         % {"posts": result.new_posts, "incidents": len(result.incidents)})
    return redirect("integrity:account", account.pk)


@require_POST
@login_required
def sandbox_post(request: HttpRequest, account_id: int) -> HttpResponse:
    """Post on the sandbox as any client (simulates a hijack or a colleague's phone)."""
    account = _account(request, account_id, "integrity.simulate")
    if account.platform != PlatformName.SANDBOX:
        raise Http404
    text, client = request.POST.get("text", "").strip(), request.POST.get("client", "").strip()
    if not text or not client:
        messages.error(request, _("Write the post's text and the client it comes from."))
        return redirect("integrity:account", account.pk)
    network = SandboxNetwork(account.effective_base_url().removeprefix("sqlite:///"))
    try:
        if not any(p.handle.lower() == account.handle.lstrip("@").lower() for p in network.accounts()):
            network.add_account(account.handle, display_name=account.display_name)
        published = network.post_as(account.handle, text, client=client)
    except SandboxError as exc:
        messages.error(request, str(exc))
        return redirect("integrity:account", account.pk)
    finally:
        network.close()
    record("integrity.sandbox_post", actor=request.user, organization=account.organization_id, target=account,
           payload={"client": client, "platform_id": published.platform_id})
    messages.success(request, _("Posted on the sandbox as “%(client)s”. Sync now to see Kawal catch it.")
                     % {"client": client})
    return redirect("integrity:account", account.pk)


ARCHIVE_SUFFIXES = (".zip", ".jsonl", ".json", ".js")


@require_POST
@login_required
def import_archive(request: HttpRequest, account_id: int) -> HttpResponse:
    """Teach the account's profile an archive it exported (X or Mastodon zip, or canonical JSONL), so
    out-of-character scores mean something from the first sync."""
    account = _account(request, account_id, "integrity.sync")
    upload = request.FILES.get("archive")
    if upload is None:
        messages.error(request, _("Choose an archive file to import."))
        return redirect("integrity:account", account.pk)
    try:
        learned, skipped = _learn_upload(account, upload)
    except (ArchiveError, SyncError, ValueError) as exc:
        messages.error(request, _("The archive could not be imported: %(error)s") % {"error": exc})
        return redirect("integrity:account", account.pk)
    messages.success(request, _("The profile learned %(n)d post(s) from %(name)s; %(skipped)d record(s) skipped.")
                     % {"n": learned, "name": upload.name, "skipped": skipped})
    return redirect("integrity:account", account.pk)


def _learn_upload(account: SocialAccount, upload: Any) -> tuple[int, int]:
    suffix = "".join(Path(upload.name).suffixes[-1:]).lower()
    if suffix not in ARCHIVE_SUFFIXES:
        raise ValueError(f"{upload.name}: expected an X or Mastodon archive (.zip) or a .jsonl timeline")
    with tempfile.TemporaryDirectory(prefix="kawal-archive-") as folder:
        path = Path(folder) / f"upload{suffix}"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        posts, report = load_archive(path)
    # A JSONL file may hold several accounts: keep this account's posts when it names any.
    handle = account.handle.lstrip("@").lower()
    mine = [p for p in posts if p.account.lstrip("@").lower() == handle]
    if not mine and len({p.account for p in posts}) > 1:
        raise ValueError(f"{upload.name} holds no posts of {account.handle}")
    learned = learn_archive(account, mine or posts)
    return learned, len(report.skipped)
