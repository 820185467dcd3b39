"""Notifications API (mounted at /api/notifications/): the organisation's channels and their health.
Configuration (URLs, secrets, tokens) never leaves the server; manage channels in the web UI."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from kawal.apps.notifications.models import Channel
from kawal.apps.orgs.api_auth import require

router = Router()


class ChannelOut(Schema):
    id: int
    name: str
    kind: str
    min_severity: str
    escalations_only: bool
    enabled: bool
    last_error: str
    last_error_at: datetime | None
    last_success_at: datetime | None


@router.get("/channels", response=list[ChannelOut])
def channels(request: HttpRequest) -> list[Channel]:
    org = require(request, "notifications.manage")
    return list(Channel.objects.filter(organization=org))
