"""Account credentials are encrypted at rest and never shown back."""

from __future__ import annotations

import stat

import pytest
from django.db import connection

from kawal.apps.social import crypto
from kawal.apps.social.models import SocialAccount


def test_ciphertext_in_the_database_not_the_token(brand):
    brand.set_credentials({"access_token": "super-secret-token-123"})
    brand.save()
    with connection.cursor() as cursor:
        cursor.execute("SELECT credentials FROM social_socialaccount WHERE id = %s", [brand.pk])
        stored = cursor.fetchone()[0]
    assert "super-secret-token-123" not in stored
    assert stored.startswith("gAAAA")  # a Fernet token
    assert SocialAccount.objects.get(pk=brand.pk).get_credentials() == {"access_token": "super-secret-token-123"}
    assert "super-secret" not in repr(brand) and "gAAAA" not in repr(brand)


def test_generated_key_file_is_private(db):
    crypto.fernet()
    mode = stat.S_IMODE(crypto.key_file().stat().st_mode)
    assert mode == 0o600


def test_wrong_key_gives_a_clear_error(brand, monkeypatch):
    brand.set_credentials({"access_token": "t"})
    from cryptography.fernet import Fernet

    monkeypatch.setenv("KAWAL_ENCRYPTION_KEY", Fernet.generate_key().decode())
    crypto.fernet.cache_clear()
    try:
        with pytest.raises(crypto.CredentialsError, match="cannot be decrypted"):
            brand.get_credentials()
    finally:
        monkeypatch.delenv("KAWAL_ENCRYPTION_KEY")
        crypto.fernet.cache_clear()


def test_invalid_key_is_named(monkeypatch):
    monkeypatch.setenv("KAWAL_ENCRYPTION_KEY", "not-a-key")
    crypto.fernet.cache_clear()
    try:
        with pytest.raises(crypto.CredentialsError, match="not a valid Fernet key"):
            crypto.encrypt_json({"a": 1})
    finally:
        monkeypatch.delenv("KAWAL_ENCRYPTION_KEY")
        crypto.fernet.cache_clear()


def test_account_form_stores_encrypted_and_never_renders_the_token(web, people, org):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.core.conftest import totp_code

    admin = people["admin"]
    device = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    web.post("/login/", {"username": "admin", "password": "pw-admin-long"})
    web.post("/login/verify/", {"otp_token": totp_code(device)})
    # An invalid submit (missing handle) re-renders the form: the token must not come back.
    bad = web.post("/social/accounts/new/", {"platform": "mastodon", "base_url": "https://m.example",
                                             "credentials_json": '{"access_token": "tok-XYZ-999"}'})
    assert bad.status_code == 200 and b"tok-XYZ-999" not in bad.content
    ok = web.post("/social/accounts/new/", {"platform": "mastodon", "base_url": "https://m.example",
                                            "handle": "@acme", "timezone": "Asia/Jakarta",
                                            "credentials_json": '{"access_token": "tok-XYZ-999"}',
                                            "sanctioned_clients_text": "Sprinklr, Hootsuite"})
    assert ok.status_code == 302
    account = SocialAccount.objects.get(handle="@acme")
    assert account.get_credentials() == {"access_token": "tok-XYZ-999"}
    assert account.sanctioned_clients == ["Sprinklr", "Hootsuite"]
    for page in ("/social/accounts/", f"/social/accounts/{account.pk}/", "/audit/"):
        assert b"tok-XYZ-999" not in web.get(page).content
    from kawal.apps.audit.models import AuditEntry

    assert "tok-XYZ-999" not in str(list(AuditEntry.objects.values_list("payload", flat=True)))


def test_a_token_the_connector_renews_is_stored_encrypted_and_audited(org):
    from kawal.apps.audit.models import AuditEntry
    from kawal.sources.platforms.local.x import LocalX

    server = LocalX().start()
    try:
        first = server.add_account("kawal_id", display_name="Kawal")
        account = SocialAccount.objects.create(organization=org, platform="x", handle="kawal_id",
                                               base_url=server.url)
        account.set_credentials(first)
        account.save()
        server.expire_access_tokens()  # X's access tokens live two hours

        assert account.connector().profile().handle == "kawal_id"

        account.refresh_from_db()
        renewed = account.get_credentials()
        assert renewed["refresh_token"] != first["refresh_token"]  # the spent one would fail next time
        assert first["refresh_token"] not in account.credentials
        entry = AuditEntry.objects.get(action="account.credentials_renewed")
        assert first["refresh_token"] not in str(entry.payload) and renewed["access_token"] not in str(entry.payload)

        server.expire_access_tokens()  # two hours later, the stored pair renews again
        assert account.connector().profile().handle == "kawal_id"
    finally:
        server.stop()
