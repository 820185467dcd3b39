"""Audit API: the organisation's entries and a chain check."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from kawal.apps.audit.log import verify
from kawal.apps.audit.views import org_entries
from kawal.apps.orgs.api_auth import require

router = Router()


class EntryOut(Schema):
    seq: int
    created_at: datetime
    action: str
    actor_name: str
    target_type: str
    target_id: str
    target_repr: str
    payload: dict
    hash: str


class VerifyOut(Schema):
    intact: bool
    entries: int
    problems: list[str]


@router.get("/entries", response=list[EntryOut], summary="Audit entries of the token's organisation")
def entries(request: HttpRequest, action: str = "", before_seq: int | None = None, limit: int = 100) -> list:
    org = require(request, "audit.view")
    query = org_entries(org)
    if action:
        query = query.filter(action__startswith=action)
    if before_seq is not None:
        query = query.filter(seq__lt=before_seq)
    return list(query.order_by("-seq")[: max(1, min(limit, 500))])


@router.get("/verify", response=VerifyOut, summary="Walk the whole hash chain")
def verify_chain(request: HttpRequest) -> dict:
    require(request, "audit.view")
    count, problems = verify()
    return {"intact": not problems, "entries": count, "problems": [p.message for p in problems]}
