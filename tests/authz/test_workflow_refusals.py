"""The refusals the matrix cannot express by role alone: nobody approves their own draft (nor one they
edited), in the page, by a forged POST or through the API; and an approval of a stale version is refused."""

from __future__ import annotations

import json
from typing import Any

from kawal.apps.publishing import services
from kawal.apps.publishing.models import Decision, Draft
from kawal.apps.publishing.services import Content
from tests.authz.conftest import World


def _approve_web(world: World, who: str, draft: Draft, content_hash: str) -> Any:
    return world.web[who].post(f"/publishing/drafts/{draft.pk}/approve/", {"content_hash": content_hash})


def _approve_api(world: World, who: str, draft: Draft, content_hash: str) -> Any:
    return world.api[who].post(f"/api/publishing/drafts/{draft.pk}/approvals",
                               json.dumps({"content_hash": content_hash}), content_type="application/json")


def test_an_admin_cannot_approve_their_own_draft(world: World) -> None:
    admin = world.users["admin"]
    draft = services.create_draft(admin, world.brand, Content(text="Written by the admin"))
    services.submit(admin, draft)
    draft.refresh_from_db()
    content_hash = draft.current_version.content_hash

    page = world.web["admin"].get(f"/publishing/drafts/{draft.pk}/")
    assert page.status_code == 200 and b"Written by the admin" in page.content
    assert f"/publishing/drafts/{draft.pk}/approve/".encode() not in page.content  # no Approve button
    forged = world.web["admin"].post(f"/publishing/drafts/{draft.pk}/approve/", {"content_hash": content_hash},
                                     follow=True)
    assert "you cannot approve it" in forged.content.decode()                     # forged POST: refused
    assert _approve_api(world, "admin", draft, content_hash).status_code == 403
    assert not Decision.objects.filter(draft=draft).exists()

    approver_page = world.web["approver"].get(f"/publishing/drafts/{draft.pk}/")
    assert f"/publishing/drafts/{draft.pk}/approve/".encode() in approver_page.content
    assert _approve_web(world, "approver", draft, content_hash).status_code == 302
    assert Decision.objects.filter(draft=draft, user=world.users["approver"], kind="approval").exists()


def test_an_editor_of_someone_elses_draft_cannot_approve_it(world: World) -> None:
    draft = world.in_review
    services.new_version(world.users["admin"], draft, Content(text="The admin's wording"), base_version=1)
    draft.refresh_from_db()
    assert _approve_api(world, "admin", draft, draft.current_version.content_hash).status_code == 403
    _approve_web(world, "admin", draft, draft.current_version.content_hash)
    assert not Decision.objects.filter(draft=draft).exists()


def test_approving_a_stale_version_is_refused(world: World) -> None:
    draft = world.in_review
    old_hash = draft.current_version.content_hash
    services.new_version(world.users["author"], draft, Content(text="Second thoughts"), base_version=1)

    web = world.web["approver"].post(f"/publishing/drafts/{draft.pk}/approve/", {"content_hash": old_hash},
                                     follow=True)
    assert "out of date" in web.content.decode()
    api = _approve_api(world, "approver", draft, old_hash)
    assert api.status_code == 409 and "out of date" in api.json()["detail"]
    assert not Decision.objects.filter(draft=draft).exists()
