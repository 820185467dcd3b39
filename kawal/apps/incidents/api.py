"""Incidents API (mounted at /api/incidents/): list, detail, acknowledge, assign, comment, severity, resolve.

The same services as the web pages; refusals come back with their message: 403 for roles, 409 for an
incident in the wrong state, 400 for bad input, 404 for another organisation's incident.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from kawal.apps.incidents import services
from kawal.apps.incidents.models import Incident, Status
from kawal.apps.orgs.api_auth import require

router = Router()
T = TypeVar("T")
STATUS_FOR_CODE = {"forbidden": 403, "conflict": 409, "invalid": 400}


class TimelineOut(Schema):
    at: datetime
    who: str
    action: str
    text: str


class IncidentOut(Schema):
    id: int
    kind: str
    severity: str
    status: str
    title: str
    summary: str
    account_id: int | None
    owner: str | None
    opened_at: datetime
    acknowledged_at: datetime | None
    escalation_level: int
    resolved_at: datetime | None
    resolution: str
    resolution_note: str
    details: dict[str, Any]


class IncidentDetailOut(IncidentOut):
    timeline: list[TimelineOut]


class AssignIn(Schema):
    owner: str | None = None  # a username; null unassigns


class CommentIn(Schema):
    body: str


class SeverityIn(Schema):
    severity: str


class ResolveIn(Schema):
    category: str = ""
    note: str = ""
    resume_account: bool = False
    sanction_client: bool = False


def _call(fn: Callable[[], T]) -> T:
    try:
        return fn()
    except services.IncidentError as exc:
        raise HttpError(STATUS_FOR_CODE.get(exc.code, 400), str(exc)) from exc


def _out(incident: Incident) -> dict[str, Any]:
    return {"id": incident.pk, "kind": incident.kind, "severity": incident.severity, "status": incident.status,
            "title": incident.title, "summary": incident.summary, "account_id": incident.account_id,
            "owner": incident.owner.get_username() if incident.owner_id else None,
            "opened_at": incident.opened_at, "acknowledged_at": incident.acknowledged_at,
            "escalation_level": incident.escalation_level, "resolved_at": incident.resolved_at,
            "resolution": incident.resolution, "resolution_note": incident.resolution_note,
            "details": incident.details or {}}


def _detail(incident: Incident) -> dict[str, Any]:
    timeline = [{"at": e.at, "who": e.who, "action": e.action, "text": e.text}
                for e in incident.timeline.select_related("actor")]
    return {**_out(incident), "timeline": timeline}


def _get(request: HttpRequest, incident_id: int) -> Incident:
    org = require(request, "incident.view")
    incident = Incident.objects.select_related("account", "owner", "organization").filter(
        organization=org, pk=incident_id).first()
    if incident is None:
        raise HttpError(404, "no such incident in this organisation")
    return incident


@router.get("/", response=list[IncidentOut])
def list_incidents(request: HttpRequest, status: str = "active", account_id: int | None = None) -> list[dict]:
    org = require(request, "incident.view")
    incidents = Incident.objects.filter(organization=org).select_related("owner")
    if status == "active":
        incidents = incidents.exclude(status=Status.RESOLVED)
    elif status in Status.values:
        incidents = incidents.filter(status=status)
    elif status != "all":
        raise HttpError(400, f"status must be active, all or one of {', '.join(Status.values)}")
    if account_id is not None:
        incidents = incidents.filter(account_id=account_id)
    return [_out(i) for i in incidents[:500]]


@router.get("/{incident_id}", response=IncidentDetailOut)
def incident_detail(request: HttpRequest, incident_id: int) -> dict:
    return _detail(_get(request, incident_id))


@router.post("/{incident_id}/acknowledge", response=IncidentDetailOut)
def acknowledge(request: HttpRequest, incident_id: int) -> dict:
    incident = _get(request, incident_id)
    return _detail(_call(lambda: services.acknowledge(request.user, incident)))


@router.post("/{incident_id}/assign", response=IncidentDetailOut)
def assign(request: HttpRequest, incident_id: int, body: AssignIn) -> dict:
    incident = _get(request, incident_id)
    owner = None
    if body.owner:
        owner = get_user_model().objects.filter(username=body.owner).first()
        if owner is None:
            raise HttpError(400, f"no user named {body.owner!r}")
    return _detail(_call(lambda: services.assign(request.user, incident, owner)))


@router.post("/{incident_id}/comment", response=IncidentDetailOut)
def comment(request: HttpRequest, incident_id: int, body: CommentIn) -> dict:
    incident = _get(request, incident_id)
    _call(lambda: services.comment(request.user, incident, body.body))
    return _detail(incident)


@router.post("/{incident_id}/severity", response=IncidentDetailOut)
def severity(request: HttpRequest, incident_id: int, body: SeverityIn) -> dict:
    incident = _get(request, incident_id)
    return _detail(_call(lambda: services.set_severity(request.user, incident, body.severity)))


@router.post("/{incident_id}/resolve", response=IncidentDetailOut)
def resolve(request: HttpRequest, incident_id: int, body: ResolveIn) -> dict:
    incident = _get(request, incident_id)
    return _detail(_call(lambda: services.resolve(
        request.user, incident, category=body.category, note_text=body.note,
        resume_account=body.resume_account, sanction_client=body.sanction_client)))
