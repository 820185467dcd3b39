"""Publishing pages: approval queue, composer (with live screening), draft detail, calendar, controls.

Views only translate HTTP to the workflow services and back; the services check permissions and rules.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kawal.apps.orgs.current import current_org
from kawal.apps.orgs.models import Organization
from kawal.apps.orgs.permissions import can
from kawal.apps.publishing import control, media, screening, services
from kawal.apps.publishing import monthgrid as cal
from kawal.apps.publishing.forms import BreakGlassForm, ComposeForm, EditForm, parse_local
from kawal.apps.publishing.models import Draft, DraftVersion, ForcedReview, PreAuthorization
from kawal.apps.publishing.replies import reply_url
from kawal.apps.publishing.services import REFUSALS, Content
from kawal.apps.social.models import SocialAccount
from kawal.apps.web.forms import error_lines


def _org(request: HttpRequest) -> Organization:
    org = current_org(request)
    if org is None or not can(request.user, "draft.view", org=org):
        raise PermissionDenied(_("You are not a member of an organisation."))
    return org


def _draft(request: HttpRequest, draft_id: int) -> Draft:
    org = _org(request)
    draft = (Draft.objects.filter(organization=org, pk=draft_id)
             .select_related("account", "current_version", "created_by").first())
    if draft is None or not can(request.user, "draft.view", account=draft.account):
        raise Http404
    return draft


def _act(request: HttpRequest, fn: Callable[[], Any], success: str) -> bool:
    """Run a workflow action; a refusal becomes a message (forbidden ones a 403)."""
    try:
        fn()
    except REFUSALS as exc:
        if exc.code == "forbidden":
            raise PermissionDenied(services.message_of(exc)) from exc
        messages.error(request, services.message_of(exc))
        return False
    messages.success(request, success)
    return True


# --- queue ----------------------------------------------------------------------------------------------

@login_required
def queue(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    reviews = ForcedReview.objects.filter(organization=org, acknowledged_at__isnull=True).select_related(
        "draft", "draft__account", "opened_by")
    return render(request, "publishing/queue.html", {
        "org": org, "items": services.queue_for(request.user, org),
        "reviews": [r for r in reviews if can(request.user, "draft.view", account=r.draft.account)],
        "recent": services.visible_drafts(request.user, org, limit=100)[:30],
        "can_pause": can(request.user, "org.pause", org=org),
        "can_resume": can(request.user, "publishing.resume", org=org)})


@require_POST
@login_required
def pause(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    _act(request, lambda: control.pause_org(request.user, org, reason=request.POST.get("reason", "")),
         _("Publishing is paused for the whole organisation."))
    return redirect("publishing:queue")


@require_POST
@login_required
def resume(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    _act(request, lambda: control.resume_org(request.user, org), _("Publishing resumed."))
    return redirect("publishing:queue")


@require_POST
@login_required
def acknowledge(request: HttpRequest, review_id: int) -> HttpResponse:
    org = _org(request)
    review = ForcedReview.objects.filter(organization=org, pk=review_id).select_related("draft__account").first()
    if review is None:
        raise Http404
    _act(request, lambda: control.acknowledge(request.user, review, note=request.POST.get("note", "")),
         _("Emergency post reviewed."))
    return redirect("publishing:queue")


# --- composer -------------------------------------------------------------------------------------------

@login_required
def compose(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    accounts = services.member_accounts(request.user, org)
    glass_accounts = services.member_accounts(request.user, org, "publishing.break_glass")
    if not accounts and not glass_accounts:
        raise PermissionDenied(_("Your roles do not allow you to write drafts."))
    form = ComposeForm(request.POST or None, accounts=accounts, tz_name=org.timezone)
    screening.warm_up()
    slots = media_slots([])
    if request.method == "POST" and accounts:
        attached, slots, problems = collect_media(request)
        for problem in problems:
            messages.error(request, problem)
        if form.is_valid() and not problems:
            draft = _create(request, form, attached)
            if draft is not None:
                return redirect("publishing:draft", draft_id=draft.pk)
    return render(request, "publishing/compose.html", {
        "form": form, "org": org, "slots": slots, "max_mb": media.MAX_BYTES // (1024 * 1024),
        "glass": BreakGlassForm(accounts=glass_accounts, auto_id="glass_%s") if glass_accounts else None})


# --- images: the four attachment slots of the composer and the edit form --------------------------------

def media_slots(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Four slots for the form, filled in order with ``items`` (the images attached so far)."""
    return [{"n": n, **(items[n - 1] if n <= len(items) else {})} for n in range(1, media.MAX_IMAGES + 1)]


def collect_media(request: HttpRequest) -> tuple[tuple[dict[str, Any], ...], list[dict[str, Any]], list[str]]:
    """The images of a posted form, slot by slot: a new upload replaces the slot's image, "remove" empties
    it, and each slot's position number sets the order. Valid uploads are stored even when another one is
    refused, and come back as kept slots, so nothing the user gave is lost; each refusal names the file and
    the problem."""
    placed: list[tuple[int, int, dict[str, Any]]] = []
    problems: list[str] = []
    for n in range(1, media.MAX_IMAGES + 1):
        try:
            item = _slot(request, n)
        except media.MediaError as exc:
            problems.append(str(exc))
            continue
        if item is not None:
            placed.append((_position(request, n), n, item))
    attached = [item for _pos, _n, item in sorted(placed, key=lambda p: p[:2])]
    return tuple(attached), media_slots(attached), problems


def _position(request: HttpRequest, n: int) -> int:
    """The slot's position field (1 to 4); a missing or unreadable one keeps the slot where it is."""
    try:
        return int(request.POST.get(f"position_{n}", n))
    except ValueError:
        return n


def _slot(request: HttpRequest, n: int) -> dict[str, Any] | None:
    upload = request.FILES.get(f"image_{n}")
    alt = request.POST.get(f"alt_{n}", "")
    if upload is not None:
        media.check_size(upload.name, upload.size)   # before reading it into memory
        org_id = current_org(request).pk
        stored = media.store(upload.name, upload.read(), organization_id=org_id)
        return media.describe(stored.sha256, organization_id=org_id, name=stored.name, alt=alt)
    keep = request.POST.get(f"keep_{n}", "")
    if keep and not request.POST.get(f"remove_{n}"):
        return media.describe(keep, organization_id=current_org(request).pk,
                              name=request.POST.get(f"keepname_{n}", ""), alt=alt)
    return None


def _create(request: HttpRequest, form: ComposeForm, attached: tuple[dict[str, Any], ...]) -> Draft | None:
    data = form.cleaned_data
    try:
        draft = services.create_draft(request.user, data["account"], Content(
            text=data["text"], media=attached, scheduled_at=data["scheduled_at"], reply_to=data["reply_to"],
            reply_to_text=data["reply_to_text"]), title=data["title"])
        if data["submit_now"]:
            services.submit(request.user, draft)
    except REFUSALS as exc:
        if exc.code == "forbidden":
            raise PermissionDenied(services.message_of(exc)) from exc
        messages.error(request, services.message_of(exc))
        return locals().get("draft")
    messages.success(request, _("Draft saved."))
    return draft


@require_POST
@login_required
def screen(request: HttpRequest) -> HttpResponse:
    """The composer's live screening (htmx, on a pause in typing): verdict and findings as HTML, judging
    the text as a reply when the text of the post it answers is given."""
    _org(request)
    text = request.POST.get("text", "")
    answered = request.POST.get("reply_to_text", "").strip()
    result = screening.run(text, reply_to_text=answered or None) if text.strip() else None
    return render(request, "publishing/_screening.html", {"result": result})


@require_POST
@login_required
def break_glass(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    form = BreakGlassForm(request.POST, accounts=services.member_accounts(request.user, org,
                                                                         "publishing.break_glass"))
    if not form.fields["account"].choices:
        raise PermissionDenied(_("Only publishers and admins can publish in an emergency."))
    if not form.is_valid():
        messages.error(request, _("Emergency publishing needs an account, the text and a reason."))
        return redirect("publishing:compose")
    data, holder = form.cleaned_data, {}

    def go() -> None:
        holder["draft"] = control.break_glass(request.user, data["account"], data["text"], reason=data["reason"])

    if _act(request, go, _("Emergency post queued; it must be reviewed afterwards.")):
        return redirect("publishing:draft", draft_id=holder["draft"].pk)
    return redirect("publishing:compose")


# --- draft detail and its actions -----------------------------------------------------------------------

@login_required
def draft_detail(request: HttpRequest, draft_id: int) -> HttpResponse:
    return _render_draft(request, _draft(request, draft_id))


def _render_draft(request: HttpRequest, draft: Draft, edit: EditForm | None = None,
                  slots: list[dict[str, Any]] | None = None) -> HttpResponse:
    org, version, user = draft.organization, draft.current_version, request.user
    situation = services.situation_for(draft)
    local = version.scheduled_at.astimezone(cal.zone(org)).strftime("%Y-%m-%dT%H:%M") if version.scheduled_at else ""
    edit = edit or EditForm(initial={"text": version.text, "scheduled_at": local, "base_version": version.number,
                                     "reply_to": version.reply_to, "reply_to_text": version.reply_to_text},
                            tz_name=org.timezone)
    return render(request, "publishing/draft.html", {
        "slots": media_slots(list(version.media)) if slots is None else slots,
        "max_mb": media.MAX_BYTES // (1024 * 1024),
        "draft": draft, "version": version, "evaluation": services.evaluate(situation),
        "situation": situation, "versions": services.versions_with_diffs(draft),
        "comments": draft.comments.select_related("author", "version"),
        "decisions": draft.decisions.select_related("user", "version"),
        "screening": screening.Screening.from_json(version.screening), "edit": edit,
        "reply_url": reply_url(version.reply_to, draft.account.platform, base_url=draft.account.base_url or "")
        if version.reply_to else None,
        "outbox": draft.outbox.order_by("-created_at"),
        "may_edit": can(user, "draft.edit", account=draft.account),
        "may_schedule": can(user, "draft.schedule", account=draft.account),
        "may_withdraw": (can(user, "draft.edit", account=draft.account)
                         or can(user, "draft.publish", account=draft.account)),
        "may_decide": services.may_decide(user, draft),
        "is_principal": draft.account.is_executive and user.pk == draft.account.principal_id,
        "preauths": PreAuthorization.objects.filter(account=draft.account, revoked_at__isnull=True),
        "review": getattr(draft, "forced_review", None),
        "may_policy": can(user, "publishing.policy", account=draft.account)})


def _draft_action(name: str, run: Callable[[HttpRequest, Draft], Any], success: str) -> Callable[..., HttpResponse]:
    @require_POST
    @login_required
    def view(request: HttpRequest, draft_id: int) -> HttpResponse:
        draft = _draft(request, draft_id)
        _act(request, lambda: run(request, draft), success)
        return redirect("publishing:draft", draft_id=draft.pk)

    view.__name__ = name
    return view


@require_POST
@login_required
def edit(request: HttpRequest, draft_id: int) -> HttpResponse:
    """Save a new version. A refused edit (an image, the text, a stale base) shows the page again with
    everything that was typed and attached, instead of losing it in a redirect."""
    draft = _draft(request, draft_id)
    if not can(request.user, "draft.edit", account=draft.account):
        raise PermissionDenied(_("Your roles do not allow you to edit drafts."))
    form = EditForm(request.POST, tz_name=draft.organization.timezone)
    attached, slots, problems = collect_media(request)
    for problem in problems:
        messages.error(request, problem)
    if not form.is_valid():
        messages.error(request, "; ".join(error_lines(form)))
    elif not problems:
        data = form.cleaned_data
        content = Content(text=data["text"], media=attached, scheduled_at=data["scheduled_at"],
                          reply_to=data["reply_to"], reply_to_text=data["reply_to_text"])
        if _act(request, lambda: services.new_version(request.user, draft, content,
                                                      base_version=data["base_version"]),
                _("Saved as a new version; earlier approvals no longer count.")):
            return redirect("publishing:draft", draft_id=draft.pk)
    draft.refresh_from_db()
    return _render_draft(request, draft, edit=form, slots=slots)


@login_required
def media_file(request: HttpRequest, draft_id: int, sha256: str) -> HttpResponse:
    """An image of a draft, for whoever may see the draft (and only images some version of it holds)."""
    draft = _draft(request, draft_id)
    item = next((m for v in DraftVersion.objects.filter(draft=draft).only("media") for m in v.media
                 if m.get("sha256") == sha256), None)
    if item is None:
        raise Http404
    try:
        data = media.read_verified(sha256)
    except media.MediaError as exc:
        raise Http404(str(exc)) from None
    response = HttpResponse(data, content_type=item.get("type") or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


def _schedule(request: HttpRequest, draft: Draft) -> None:
    when = parse_local(request.POST.get("scheduled_at", ""), draft.organization.timezone)
    services.schedule(request.user, draft, when, base_version=int(request.POST.get("base_version", "0")))


def _hash(request: HttpRequest) -> str:
    return request.POST.get("content_hash", "")


reschedule = _draft_action("reschedule", _schedule, _("Schedule changed; it needs approval again."))
submit = _draft_action("submit", lambda r, d: services.submit(r.user, d), _("Submitted for approval."))
approve = _draft_action("approve", lambda r, d: services.approve(r.user, d, _hash(r), note=r.POST.get("note", "")),
                        _("Approved."))
sign_off = _draft_action("sign_off", lambda r, d: services.sign_off(r.user, d, _hash(r)), _("Signed off."))
reject = _draft_action("reject", lambda r, d: services.reject(r.user, d, _hash(r), note=r.POST.get("note", "")),
                       _("Rejected; the author has been told why."))
withdraw = _draft_action("withdraw", lambda r, d: services.withdraw(r.user, d, reason=r.POST.get("reason", "")),
                         _("Withdrawn; nothing will be published unless it is submitted again."))
comment = _draft_action("comment", lambda r, d: services.comment(r.user, d, r.POST.get("body", "")),
                        _("Comment added."))
grant_preauth = _draft_action(
    "grant_preauth", lambda r, d: control.grant_preauthorization(r.user, d.account, note=r.POST.get("note", "")),
    _("Standing pre-authorisation granted; you can revoke it at any time."))


@require_POST
@login_required
def revoke_preauth(request: HttpRequest, preauth_id: int) -> HttpResponse:
    org = _org(request)
    preauth = PreAuthorization.objects.filter(account__organization=org, pk=preauth_id).first()
    if preauth is None:
        raise Http404
    _act(request, lambda: control.revoke_preauthorization(request.user, preauth),
         _("Pre-authorisation revoked; posts that relied on it went back to review."))
    return redirect(request.POST.get("next") or "publishing:queue")


# --- approval policy ------------------------------------------------------------------------------------

@login_required
def policy(request: HttpRequest, account_id: int) -> HttpResponse:
    org = _org(request)
    account = SocialAccount.objects.filter(organization=org, pk=account_id).first()
    if account is None:
        raise Http404
    if not can(request.user, "publishing.policy", account=account):
        raise PermissionDenied(_("Only an admin can change an account's approval policy."))
    text = json.dumps(services.policy_for(account).to_json(), indent=2, ensure_ascii=False)
    if request.method == "POST":
        text = request.POST.get("document", "")
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            messages.error(request, _("The policy is not valid JSON: %(error)s") % {"error": exc})
        else:
            if _act(request, lambda: control.set_policy(request.user, account, document), _("Policy saved.")):
                return redirect("publishing:policy", account_id=account.pk)
    return render(request, "publishing/policy.html", {"account": account, "document": text})


# --- calendar -------------------------------------------------------------------------------------------

@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    try:
        month = cal.parse_month(request.GET.get("month", ""), org)
    except ValueError as exc:
        messages.error(request, str(exc))
        month = cal.parse_month("", org)
    accounts = [a for a in services.member_accounts(request.user, org, "draft.view")]
    account_id = request.GET.get("account", "")
    chosen = [a for a in accounts if str(a.pk) == account_id] or accounts
    return render(request, "publishing/calendar.html", {
        "org": org, "month": month, "weeks": cal.month_grid(org, chosen, month), "accounts": accounts,
        "account_id": account_id, "prev": cal.shift(month, -1), "next": cal.shift(month, 1)})
