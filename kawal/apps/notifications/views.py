"""Notification channels page: list, add, edit, delete and send a test message."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from kawal.apps.audit.log import record
from kawal.apps.notifications.forms import FIELDS, SECRETS, ChannelForm
from kawal.apps.notifications.models import Channel
from kawal.apps.notifications.transports import Message, TransportError, transport_for
from kawal.apps.orgs.current import current_org
from kawal.apps.orgs.models import Organization
from kawal.apps.orgs.permissions import can


def _org(request: HttpRequest, action: str = "notifications.manage") -> Organization:
    org = current_org(request)
    if org is None or not can(request.user, action, org=org):
        raise PermissionDenied(_("Your roles do not allow this."))
    return org


def _channel(org: Organization, channel_id: int) -> Channel:
    channel = Channel.objects.filter(organization=org, pk=channel_id).first()
    if channel is None:
        raise Http404
    return channel


@login_required
def channel_list(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    return render(request, "notifications/channels.html", {
        "channels": Channel.objects.filter(organization=org)})


def _public_config(channel: Channel) -> dict[str, str]:
    """What the form may show again: everything but the secrets."""
    config = channel.get_config()
    return {key: value for key, value in config.items() if key not in SECRETS}


@sensitive_post_parameters("url", "secret", "bot_token")
@login_required
def channel_edit(request: HttpRequest, channel_id: int | None = None) -> HttpResponse:
    org = _org(request)
    channel = _channel(org, channel_id) if channel_id else None
    stored = {**channel.get_config(), "_kind": channel.kind} if channel else {}
    initial = ({"name": channel.name, "kind": channel.kind, "min_severity": channel.min_severity,
                "escalations_only": channel.escalations_only, "enabled": channel.enabled,
                **_public_config(channel)} if channel else None)
    form = ChannelForm(request.POST or None, initial=initial, stored=stored)
    if request.method == "POST" and form.is_valid():
        _save(request, org, channel, form)
        messages.success(request, _("Channel saved."))
        return redirect("notifications:channels")
    return render(request, "notifications/channel_form.html", {"form": form, "channel": channel,
                                                               "fields": FIELDS})


def _save(request: HttpRequest, org: Organization, channel: Channel | None, form: ChannelForm) -> Channel:
    data = form.cleaned_data
    channel = channel or Channel(organization=org)
    channel.name, channel.kind, channel.min_severity = data["name"], data["kind"], data["min_severity"]
    channel.escalations_only, channel.enabled = data["escalations_only"], data["enabled"]
    channel.set_config(data["config"])
    created = channel.pk is None
    channel.save()
    record("notifications.channel.created" if created else "notifications.channel.updated", actor=request.user,
           organization=org, target=channel,
           payload={"kind": channel.kind, "name": channel.name, "config_keys": sorted(data["config"])})
    return channel


@require_POST
@login_required
def channel_delete(request: HttpRequest, channel_id: int) -> HttpResponse:
    org = _org(request)
    channel = _channel(org, channel_id)
    record("notifications.channel.deleted", actor=request.user, organization=org, target=channel,
           payload={"kind": channel.kind, "name": channel.name})
    channel.delete()
    messages.success(request, _("Channel deleted."))
    return redirect("notifications:channels")


@require_POST
@login_required
def channel_test(request: HttpRequest, channel_id: int) -> HttpResponse:
    """Send a test message now and say what happened; the channel remembers the outcome."""
    org = _org(request)
    channel = _channel(org, channel_id)
    message = Message(subject=f"Test from Kawal ({org.name})", severity="info", event="test",
                      text=f"{request.user.get_username()} sent this test to the channel '{channel.name}'.")
    now = timezone.now()
    try:
        transport_for(channel.kind, channel.get_config()).notify(message)
    except (TransportError, ValueError) as exc:
        Channel.objects.filter(pk=channel.pk).update(last_error=str(exc), last_error_at=now)
        messages.error(request, _("The test failed: %(error)s") % {"error": exc})
    else:
        Channel.objects.filter(pk=channel.pk).update(last_success_at=now)
        messages.success(request, _("Test message sent."))
    record("notifications.channel.tested", actor=request.user, organization=org, target=channel, payload={})
    return redirect("notifications:channels")
