"""Images in governed publishing: validation by content, content-addressed storage, approvals bound to the
exact images, the composer and edit form, the authenticated thumbnail view, the API, and the worker
publishing the approved bytes (and refusing changed ones) to a local Mastodon server."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kawal.apps.orgs.models import ApiToken, Organization
from kawal.apps.publishing import media, publisher, services
from kawal.apps.publishing.models import Draft, DraftStatus, LedgerEntry, Outbox, OutboxStatus
from kawal.apps.publishing.services import Content, WorkflowError
from kawal.apps.social.models import SocialAccount
from kawal.sources.platforms.local.mastodon import LocalMastodon
from tests.publishing.conftest import verified_client

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR first image"
JPEG = b"\xff\xd8\xff\xe0" + b"second image"
GIF = b"GIF89a" + b"third image"
WEBP = b"RIFF\x10\x00\x00\x00WEBPVP8 fourth image"


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path: Any) -> Any:
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def uploading_org(org: Any) -> Any:
    return org


def org_id() -> int:
    """The organisation the tests' images are uploaded in (the ``org`` fixture's)."""
    return Organization.objects.get(slug="contoh").pk


def attach(*blobs: bytes, alts: tuple[str, ...] = ()) -> tuple[dict[str, Any], ...]:
    stored = [media.store(f"img{i}.bin", blob, organization_id=org_id()) for i, blob in enumerate(blobs)]
    return services.parse_media([{"sha256": s.sha256, "name": s.name, "alt": alts[i] if i < len(alts) else ""}
                                 for i, s in enumerate(stored)], organization_id=org_id())


# --- validation and storage -----------------------------------------------------------------------------

def test_it_judges_the_type_by_the_bytes_not_the_name():
    assert [media.sniff(b) for b in (PNG, JPEG, GIF, WEBP)] == ["image/png", "image/jpeg", "image/gif",
                                                                 "image/webp"]
    assert media.store("photo.jpg", PNG, organization_id=org_id()).type == "image/png"
    with pytest.raises(media.MediaError, match=r"^notes\.png: the file is not a JPEG, PNG, GIF or WebP"):
        media.store("notes.png", b"just some text, named like an image", organization_id=org_id())
    with pytest.raises(media.MediaError, match=r"^empty\.gif: the file is empty"):
        media.store("empty.gif", b"", organization_id=org_id())
    with pytest.raises(media.MediaError, match=r"^big\.png: the file has 5,242,881 bytes"):
        media.store("big.png", PNG + b"\0" * (media.MAX_BYTES + 1 - len(PNG)), organization_id=org_id())


def test_it_stores_the_bytes_by_sha256_in_the_data_directory(data_dir):
    stored = media.store("a.png", PNG, organization_id=org_id())
    digest = hashlib.sha256(PNG).hexdigest()
    assert stored.sha256 == digest
    assert (data_dir / "media" / digest[:2] / digest[2:]).read_bytes() == PNG
    assert media.store("again.png", PNG, organization_id=org_id()).sha256 == digest   # storing twice is harmless
    assert media.read_verified(digest) == PNG


def test_reading_refuses_a_file_changed_on_disk(data_dir):
    digest = media.store("a.png", PNG, organization_id=org_id()).sha256
    (data_dir / "media" / digest[:2] / digest[2:]).write_bytes(JPEG)
    with pytest.raises(media.MediaError, match="changed on disk"):
        media.read_verified(digest)


# --- versions and approvals -------------------------------------------------------------------------------

def test_a_version_records_its_images_and_the_hash_covers_them(people, account):
    draft = services.create_draft(people["author"], account, Content(
        text="Foto kegiatan", media=attach(PNG, JPEG, alts=("Menteri berpidato", ""))))
    v = draft.current_version
    assert [(m["sha256"], m["type"], m["alt"]) for m in v.media] == [
        (hashlib.sha256(PNG).hexdigest(), "image/png", "Menteri berpidato"),
        (hashlib.sha256(JPEG).hexdigest(), "image/jpeg", "")]
    assert v.media[0]["name"] == "img0.bin" and v.media[0]["size"] == len(PNG)
    text_only = services.create_draft(people["author"], account, Content(text="Foto kegiatan"))
    assert text_only.current_version.content_hash != v.content_hash


@pytest.mark.parametrize("change", ["replace", "add", "remove", "reorder", "alt"])
def test_any_change_of_the_images_is_a_new_version_that_voids_approvals(people, account, change):
    images = attach(PNG, JPEG, alts=("a", "b"))
    draft = services.create_draft(people["author"], account, Content(text="Foto kegiatan", media=images))
    services.submit(people["author"], draft)
    old_hash = draft.current_version.content_hash
    services.approve(people["approver"], draft, old_hash)   # the default policy: one approval clears it
    draft.refresh_from_db()
    assert draft.status == DraftStatus.SCHEDULED
    changed = {"replace": (images[0], attach(GIF)[0]), "add": (*images, attach(GIF)[0]),
               "remove": images[:1], "reorder": (images[1], images[0]),
               "alt": (images[0], {**images[1], "alt": "other words"})}[change]
    services.new_version(people["author"], draft, Content(text="Foto kegiatan", media=changed), base_version=1)
    draft.refresh_from_db()
    assert draft.current_version.number == 2 and draft.current_version.content_hash != old_hash
    assert draft.status == DraftStatus.IN_REVIEW   # the approval of version 1 no longer counts
    assert not Outbox.objects.filter(draft=draft, status=OutboxStatus.PENDING).exists()
    with pytest.raises(services.ApprovalRefused, match="out of date"):
        services.approve(people["approver2"], draft, old_hash)
    words = services.versions_with_diffs(draft)[0][2]
    expected = {"replace": "added img0.bin", "add": "added img0.bin", "remove": "removed img1.bin",
                "reorder": "reordered", "alt": "alt text of img1.bin changed"}[change]
    assert any(expected in w for w in words), words


def test_an_image_another_organisation_uploaded_cannot_be_attached_by_its_hash(people, account):
    other = Organization.objects.create(name="Lain", slug="lain")
    theirs = media.store("their.png", PNG, organization_id=other.pk).sha256
    with pytest.raises(WorkflowError, match="was not uploaded in this organisation"):
        services.parse_media([{"sha256": theirs}], organization_id=org_id())
    media.store("ours.png", PNG, organization_id=org_id())   # the same bytes, uploaded here too
    assert services.parse_media([{"sha256": theirs}], organization_id=org_id())[0]["sha256"] == theirs


def test_it_refuses_more_than_four_images_and_a_duplicate(people, account):
    with pytest.raises(WorkflowError, match="5 images attached; a post holds at most 4"):
        attach(PNG, JPEG, GIF, WEBP, PNG + b"x")
    one = media.store("a.png", PNG, organization_id=org_id()).sha256
    with pytest.raises(WorkflowError, match="attached twice"):
        services.parse_media([{"sha256": one}, {"sha256": one}], organization_id=org_id())


def test_a_bluesky_account_refuses_an_image_over_its_limit(org, people):
    sky = SocialAccount.objects.create(organization=org, platform="bluesky", handle="humas.test",
                                       base_url="http://127.0.0.1:9")
    big = attach(PNG + b"\0" * 1_000_000)
    with pytest.raises(WorkflowError, match=r"img0\.bin: 1,000,\d+ bytes; bluesky accepts images up to 1,000,000"):
        services.create_draft(people["author"], sky, Content(text="Foto", media=big))


# --- the web pages ------------------------------------------------------------------------------------------

def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_the_composer_keeps_everything_typed_when_an_upload_is_refused(people, account):
    client = verified_client(people["author"])
    response = client.post("/publishing/compose/", {
        "account": account.pk, "title": "Kunjungan", "text": "Teks yang panjang sekali", "submit_now": "on",
        "image_1": upload("ok.png", PNG), "alt_1": "Foto bersama",
        "image_2": upload("laporan.jpg", b"%PDF-1.7 not an image")})
    page = response.content.decode()
    assert response.status_code == 200 and not Draft.objects.exists()
    assert "laporan.jpg: the file is not a JPEG, PNG, GIF or WebP image" in page
    assert "Teks yang panjang sekali" in page and "Kunjungan" in page and "Foto bersama" in page
    kept = hashlib.sha256(PNG).hexdigest()
    assert f'name="keep_1" value="{kept}"' in page   # the valid image need not be uploaded again

    response = client.post("/publishing/compose/", {
        "account": account.pk, "title": "Kunjungan", "text": "Teks yang panjang sekali",
        "keep_1": kept, "keepname_1": "ok.png", "alt_1": "Foto bersama", "image_2": upload("b.gif", GIF)})
    draft = Draft.objects.get()
    assert response.status_code == 302
    assert [(m["name"], m["alt"]) for m in draft.current_version.media] == [("ok.png", "Foto bersama"),
                                                                            ("b.gif", "")]


def test_the_draft_page_shows_thumbnails_only_to_those_who_may_see_the_draft(people, account, org):
    draft = services.create_draft(people["author"], account, Content(text="Foto", media=attach(PNG)))
    sha = draft.current_version.media[0]["sha256"]
    url = f"/publishing/drafts/{draft.pk}/media/{sha}/"
    page = verified_client(people["viewer"]).get(f"/publishing/drafts/{draft.pk}/").content.decode()
    assert url in page
    response = verified_client(people["viewer"]).get(url)
    assert response.status_code == 200 and response.content == PNG and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert verified_client(people["outsider"]).get(url).status_code in (403, 404)
    assert Client().get(url).status_code == 302   # to the login
    other = media.store("other.gif", GIF, organization_id=org_id()).sha256   # stored, but no version of this draft holds it
    assert verified_client(people["viewer"]).get(f"/publishing/drafts/{draft.pk}/media/{other}/").status_code == 404


def test_the_edit_form_removes_an_image_and_the_diff_says_so(people, account):
    draft = services.create_draft(people["author"], account, Content(text="Foto", media=attach(PNG, JPEG)))
    first, second = draft.current_version.media
    client = verified_client(people["author"])
    response = client.post(f"/publishing/drafts/{draft.pk}/edit/", {
        "text": "Foto", "base_version": 1, "keep_1": first["sha256"], "keepname_1": first["name"],
        "keep_2": second["sha256"], "keepname_2": second["name"], "remove_2": "on"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert [m["sha256"] for m in draft.current_version.media] == [first["sha256"]]
    assert "removed img1.bin" in client.get(f"/publishing/drafts/{draft.pk}/").content.decode()


def test_the_edit_form_reorders_images_by_their_position(people, account):
    draft = services.create_draft(people["author"], account, Content(text="Foto", media=attach(PNG, JPEG)))
    first, second = draft.current_version.media
    response = verified_client(people["author"]).post(f"/publishing/drafts/{draft.pk}/edit/", {
        "text": "Foto", "base_version": 1, "keep_1": first["sha256"], "position_1": "2",
        "keep_2": second["sha256"], "position_2": "1"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert [m["sha256"] for m in draft.current_version.media] == [second["sha256"], first["sha256"]]
    assert draft.current_version.media[0]["name"] == "image-" + second["sha256"][:8] + ".jpeg"  # no name posted
    assert services.versions_with_diffs(draft)[0][2] == [f"reordered: {draft.current_version.media[0]['name']}, "
                                                         f"{draft.current_version.media[1]['name']}"]


def test_a_refused_edit_shows_the_typed_text_again(people, account):
    draft = services.create_draft(people["author"], account, Content(text="Foto"))
    response = verified_client(people["author"]).post(f"/publishing/drafts/{draft.pk}/edit/", {
        "text": "Teks baru yang diketik", "base_version": 1, "image_1": upload("virus.webp", b"MZ\x90\x00")})
    page = response.content.decode()
    assert response.status_code == 200 and "virus.webp: the file is not a JPEG" in page
    assert "Teks baru yang diketik" in page
    assert draft.versions.count() == 1


# --- the API -----------------------------------------------------------------------------------------------

def api(user: Any, org: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": "Bearer " + ApiToken.issue(user, org, "t")[1]}


def test_the_api_uploads_then_drafts_and_edits_with_media(people, account, org):
    auth = api(people["author"], org)
    client = Client()
    up = client.post("/api/publishing/media", json.dumps({"name": "a.png", "content_base64": base64.b64encode(
        PNG).decode()}), content_type="application/json", **auth)
    assert up.status_code == 201 and up.json() == {"sha256": hashlib.sha256(PNG).hexdigest(), "name": "a.png",
                                                   "type": "image/png", "size": len(PNG)}
    sha = up.json()["sha256"]
    created = client.post("/api/publishing/drafts", json.dumps({
        "account_id": account.pk, "text": "Foto", "media": [{"sha256": sha, "name": "a.png", "alt": "Gedung"}]}),
        content_type="application/json", **auth)
    assert created.status_code == 201
    body = created.json()
    assert body["versions"][0]["media"][0]["alt"] == "Gedung"
    edited = client.post(f"/api/publishing/drafts/{body['id']}/versions", json.dumps({
        "text": "Foto", "base_version": 1, "media": [{"sha256": sha, "alt": "Gedung baru"}]}),
        content_type="application/json", **auth)
    assert edited.status_code == 201
    latest = max(edited.json()["versions"], key=lambda v: v["number"])
    assert latest["media_changes"] == ["alt text of a.png changed"]
    assert edited.json()["content_hash"] != body["content_hash"]


def test_the_api_refuses_bad_uploads_with_the_reason(people, org, account):
    auth = api(people["author"], org)
    bad = Client().post("/api/publishing/media", json.dumps({"name": "x.png", "content_base64": "@@@"}),
                        content_type="application/json", **auth)
    assert bad.status_code == 400 and "x.png: content_base64 is not valid base64" in bad.json()["detail"]
    text = Client().post("/api/publishing/media", json.dumps({
        "name": "x.png", "content_base64": base64.b64encode(b"hello").decode()}),
        content_type="application/json", **auth)
    assert text.status_code == 400 and "x.png: the file is not a JPEG" in text.json()["detail"]


def test_the_api_takes_a_five_megabyte_image_as_a_multipart_file(people, org, account):
    auth = api(people["author"], org)
    big = PNG + b"\0" * (media.MAX_BYTES - len(PNG))
    ok = Client().post("/api/publishing/media", {"file": upload("big.png", big)}, **auth)
    assert ok.status_code == 201 and ok.json()["size"] == media.MAX_BYTES
    too_big = Client().post("/api/publishing/media", {"file": upload("huge.png", big + b"\0")}, **auth)
    assert too_big.status_code == 400 and too_big.json()["detail"].startswith("huge.png: the file has 5,242,881")
    nothing = Client().post("/api/publishing/media", {"other": upload("a.png", PNG)}, **auth)
    assert nothing.status_code == 400 and "no part named 'file'" in nothing.json()["detail"]


@pytest.mark.parametrize("who", ["admin", "author", "approver", "publisher", "reviewer", "security", "viewer",
                                 "outsider", "anonymous"])
def test_who_may_upload_through_the_api(people, org, account, who, data_dir):
    headers = {} if who == "anonymous" else api(people[who], people[who].memberships.first().organization)
    response = Client().post("/api/publishing/media", json.dumps({
        "name": "a.png", "content_base64": base64.b64encode(PNG).decode()}), content_type="application/json",
        **headers)
    # The outsider is an admin of their own organisation, where they may write drafts (with no account
    # there, they cannot).
    allowed = who in ("admin", "author")
    assert (response.status_code == 201) is allowed, (who, response.status_code)
    assert (data_dir / "media").exists() is allowed


@pytest.mark.parametrize("who", ["admin", "author", "approver", "publisher", "reviewer", "security", "viewer",
                                 "outsider"])
def test_who_may_attach_images_on_the_composer_and_edit_form(people, account, who, data_dir):
    draft = services.create_draft(people["author"], account, Content(text="Foto"))
    client = verified_client(people[who])
    client.post(f"/publishing/drafts/{draft.pk}/edit/", {"text": "Foto", "base_version": 1,
                                                        "image_1": upload("a.png", PNG)})
    client.post("/publishing/compose/", {"account": account.pk, "text": "Baru", "image_1": upload("b.gif", GIF)})
    allowed = who in ("admin", "author")
    assert (draft.versions.count() == 2) is allowed
    assert Draft.objects.filter(versions__media__0__name="b.gif").exists() is allowed
    assert (data_dir / "media").exists() is allowed   # nobody else can put files on the server


# --- publishing -------------------------------------------------------------------------------------------

@pytest.fixture
def mastodon(org):
    with LocalMastodon() as server:
        account = SocialAccount(organization=org, platform="mastodon", handle="humas", base_url=server.url)
        account.set_credentials(server.add_account("humas", display_name="Humas"))
        account.save()
        yield server, account


def approved_with(people, account, images):
    draft = services.create_draft(people["author"], account, Content(text="Foto kegiatan", media=images))
    services.submit(people["author"], draft)
    services.approve(people["approver"], draft, draft.current_version.content_hash)
    return draft


def test_the_worker_publishes_the_approved_images_with_the_post(people, mastodon):
    server, account = mastodon
    approved_with(people, account, attach(PNG, JPEG))
    assert publisher.publish_next() is True
    (post,) = server.live_posts()
    assert post.text == "Foto kegiatan"
    assert [server.media[m] for m in post.media] == [PNG, JPEG]   # the bytes arrived, in order
    assert LedgerEntry.objects.count() == 1
    assert publisher.publish_next() is False


def test_the_worker_refuses_an_image_changed_on_disk(people, mastodon, data_dir):
    server, account = mastodon
    draft = approved_with(people, account, attach(PNG))
    sha = draft.current_version.media[0]["sha256"]
    (data_dir / "media" / sha[:2] / sha[2:]).write_bytes(JPEG)
    assert publisher.publish_next() is True
    row = Outbox.objects.get(draft=draft)
    assert row.status == OutboxStatus.FAILED and "changed on disk" in row.last_error
    assert server.live_posts() == [] and not server.media and not LedgerEntry.objects.exists()
    draft.refresh_from_db()
    assert draft.status == DraftStatus.FAILED


def test_text_only_hashes_are_unchanged_by_images_so_existing_approvals_still_count():
    from kawal.apps.publishing.content import content_hash

    canonical = json.dumps({"account": "7", "media": [], "scheduled_at": None, "text": "Selamat pagi"},
                           ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert content_hash("Selamat pagi", account=7) == hashlib.sha256(canonical.encode()).hexdigest()
    img = hashlib.sha256(PNG).hexdigest()
    assert content_hash("x", media_hashes=[img], account=7) == content_hash("x", media_hashes=[img], account=7,
                                                                          media_alt=[""])
    assert content_hash("x", media_hashes=[img], account=7, media_alt=["a"]) != content_hash(
        "x", media_hashes=[img], account=7, media_alt=["b"])
    with pytest.raises(ValueError, match="one alt text per media hash"):
        content_hash("x", media_hashes=[img], account=7, media_alt=["a", "b"])


def test_the_worker_publishes_images_to_the_sandbox_network_of_the_demo(people, org, tmp_path):
    from kawal.sources.platforms.sandbox import SandboxNetwork

    network = SandboxNetwork(tmp_path / "sandbox.sqlite3")
    network.add_account("humas_sandbox")
    account = SocialAccount.objects.create(organization=org, platform="sandbox", handle="humas_sandbox",
                                           base_url=str(tmp_path / "sandbox.sqlite3"))
    approved_with(people, account, attach(PNG, GIF))
    assert publisher.publish_next() is True
    (post,) = network.posts("humas_sandbox")
    assert post.text == "Foto kegiatan"
    assert list(post.media) == [f"sha256:{hashlib.sha256(b).hexdigest()[:16]}" for b in (PNG, GIF)]
    network.close()
