"""The webhook intake: a signed batch is accepted and stored (a replay counts once); a bad signature, an
organisation without a secret, and an invalid batch are refused whole."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from kawal.apps.listening.models import ListenItem
from kawal.apps.listening.understanding import settings_for
from kawal.sources.intake import sign

pytestmark = pytest.mark.django_db
SECRET = "a-shared-secret-of-enough-bytes"
BATCH = {"items": [
    {"id": "m-1", "text": "aplikasinya gak bisa dibuka dari tadi pagi, gangguan lagi?", "author": "@rina"},
    {"id": "m-2", "text": "Customer service was quick to help me today, thanks", "lang": "en"},
]}


@pytest.fixture
def secret(org) -> str:
    config = settings_for(org)
    config.set_webhook_secret(SECRET)
    config.save()
    return SECRET


def post(body: bytes, signature: str | None, slug: str = "contoh"):
    headers = {"HTTP_X_KAWAL_SIGNATURE": signature} if signature else {}
    # enforce_csrf_checks: a sender has no CSRF token, and the intake must not need one
    return Client(enforce_csrf_checks=True).post(f"/listening/intake/{slug}/", data=body,
                                                 content_type="application/json", **headers)


def test_a_signed_batch_is_accepted_and_stored_once(org, secret):
    body = json.dumps(BATCH).encode()
    answer = post(body, sign(body, secret.encode()))
    assert answer.status_code == 202
    assert answer.json()["accepted"] == 2 and answer.json()["new"] == 2
    stored = ListenItem.objects.filter(organization=org, source="webhook")
    assert sorted(stored.values_list("external_id", flat=True)) == ["m-1", "m-2"]
    assert stored.get(external_id="m-1").author == "@rina"

    replay = post(body, sign(body, secret.encode()))
    assert replay.status_code == 202 and replay.json()["already_seen"] == 2
    assert stored.count() == 2


def test_a_bad_signature_is_refused_and_nothing_stored(org, secret):
    body = json.dumps(BATCH).encode()
    wrong = post(body, sign(body, b"another-secret-of-enough-bytes"))
    assert wrong.status_code == 401 and "does not match" in wrong.json()["message"]
    missing = post(body, None)
    assert missing.status_code == 401 and "missing" in missing.json()["message"]
    tampered = post(body.replace(b"quick", b"slow!"), sign(body, secret.encode()))
    assert tampered.status_code == 401
    assert not ListenItem.objects.filter(organization=org).exists()


def test_an_invalid_item_refuses_the_whole_batch_with_its_reason(org, secret):
    body = json.dumps({"items": [{"id": "ok", "text": "baik"}, {"text": "no id"}]}).encode()
    answer = post(body, sign(body, secret.encode()))
    assert answer.status_code == 422
    assert any("item 2" in problem and "'id'" in problem for problem in answer.json()["problems"])
    assert not ListenItem.objects.filter(organization=org).exists()


def test_no_intake_without_a_secret_or_for_an_unknown_organisation(org):
    body = json.dumps(BATCH).encode()
    assert post(body, sign(body, SECRET.encode())).status_code == 404
    assert post(body, sign(body, SECRET.encode()), slug="nobody").status_code == 404


def test_the_secret_is_encrypted_at_rest(org, secret):
    config = settings_for(org)
    assert SECRET not in config.webhook_secret and config.get_webhook_secret() == SECRET
    with pytest.raises(ValueError, match="at least 16 bytes"):
        config.set_webhook_secret("short")
