"""Webhook intake: signed JSON payloads of one or many items; every refusal names its reason."""

from __future__ import annotations

import json

import pytest

from kawal.sources.intake import Intake, sign

SECRET = b"a-shared-secret-of-32-bytes-long"
ITEM = {"id": "mm-1", "text": "Pelanggan mengeluh tagihan dobel", "published_at": "2026-11-24T13:00:00Z"}


def _post(intake: Intake, payload: object | bytes, *, secret: bytes = SECRET, **headers: str):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    sent = {"Content-Type": "application/json", "X-Kawal-Signature": sign(body, secret), **headers}
    return intake.handle(body, sent)


@pytest.fixture
def intake() -> Intake:
    return Intake(SECRET, max_bytes=10_000, max_items=5)


@pytest.mark.parametrize("payload", [ITEM, [ITEM], {"items": [ITEM]}])
def test_it_accepts_one_item_a_list_or_an_items_object(intake, payload):
    response = _post(intake, payload)
    assert response.status == 202 and response.body() == {"ok": True, "message": "accepted 1 item(s)",
                                                           "accepted": 1}
    (item,) = response.items
    assert item.id == "mm-1" and item.source == "webhook"


def test_a_wrong_signature_is_refused(intake):
    response = _post(intake, ITEM, secret=b"another-secret-of-32-bytes-long!")
    assert response.status == 401 and "does not match" in response.message and response.items == []


def test_a_body_changed_after_signing_is_refused(intake):
    body = json.dumps(ITEM).encode()
    headers = {"Content-Type": "application/json", "X-Kawal-Signature": sign(body, SECRET)}
    assert intake.handle(body.replace(b"dobel", b"benar"), headers).status == 401


def test_a_missing_signature_is_refused(intake):
    response = intake.handle(json.dumps(ITEM).encode(), {"Content-Type": "application/json"})
    assert response.status == 401 and "missing" in response.message


def test_bad_json_is_refused_with_its_position(intake):
    response = _post(intake, b'{"id": "1", "text": ')
    assert response.status == 400 and "not valid JSON" in response.message and "column" in response.message


def test_an_oversized_body_is_refused_before_anything_else(intake):
    big = {"id": "1", "text": "x" * 20_000}
    response = _post(intake, big)
    assert response.status == 413 and "10,000 bytes" in response.message
    lying = intake.handle(b"{}", {"Content-Length": "999999", "X-Kawal-Signature": "sha256=00"})
    assert lying.status == 413


def test_too_many_items_is_refused(intake):
    response = _post(intake, [dict(ITEM, id=str(n)) for n in range(6)])
    assert response.status == 413 and "6 items" in response.message


def test_a_batch_with_an_invalid_item_is_refused_whole_and_names_each_problem(intake):
    response = _post(intake, [ITEM, {"id": "2"}, {"text": "no id"}])
    assert response.status == 422 and response.items == []
    assert response.body()["problems"] == ["item 2: 'text' is missing", "item 3: 'id' is missing"]


def test_wrong_content_type_and_wrong_shapes_are_refused(intake):
    assert _post(intake, ITEM, **{"Content-Type": "text/plain"}).status == 415
    assert _post(intake, {"items": "nope"}).status == 422
    assert _post(intake, []).status == 422
    assert _post(intake, b"   ").status == 400


def test_a_short_secret_is_refused_at_setup():
    with pytest.raises(ValueError, match="at least 16 bytes"):
        Intake("short")


@pytest.fixture
def served(intake):
    """The intake as a WSGI app on a local HTTP server; yields (url, received batches)."""
    import threading
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    from kawal.sources.intake import wsgi_app

    class Quiet(WSGIRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    received: list = []
    server = make_server("127.0.0.1", 0, wsgi_app(intake, received.append, "/items"), handler_class=Quiet)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", received
    server.shutdown()
    server.server_close()


def test_the_wsgi_app_accepts_signed_posts_over_http(served):
    import httpx

    base, received = served
    body = json.dumps({"items": [ITEM, dict(ITEM, id="mm-2")]}).encode()
    response = httpx.post(base + "/items", content=body,
                          headers={"Content-Type": "application/json", "X-Kawal-Signature": sign(body, SECRET)})
    assert response.status_code == 202 and response.json() == {"ok": True, "message": "accepted 2 item(s)",
                                                               "accepted": 2}
    assert [[item.id for item in batch] for batch in received] == [["mm-1", "mm-2"]]
    forged = httpx.post(base + "/items", content=body, headers={"Content-Type": "application/json",
                                                                 "X-Kawal-Signature": "sha256=" + "0" * 64})
    assert forged.status_code == 401 and forged.json()["ok"] is False
    assert httpx.get(base + "/items").status_code == 405
    assert httpx.post(base + "/other", content=body).status_code == 404
    big = b"x" * 20_000
    assert httpx.post(base + "/items", content=big, headers={"X-Kawal-Signature": sign(big, SECRET)}).status_code == 413
    assert len(received) == 1


def test_deeply_nested_json_is_a_clear_400_not_a_crash(intake):
    response = _post(intake, b"[" * 5_000 + b"]" * 5_000)
    assert response.status == 400 and "nested too deeply" in response.message
