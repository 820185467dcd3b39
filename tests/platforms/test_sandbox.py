"""The sandbox network: one SQLite file shared by the web process and the worker."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from kawal.sources.platforms import PlatformError, connect
from kawal.sources.platforms.sandbox import LABEL, SandboxError, SandboxNetwork


@pytest.fixture
def path(tmp_path: Path) -> Path:
    network = SandboxNetwork(tmp_path / "sandbox.sqlite3")
    network.add_account("kawal_demo", display_name="Kawal Demo", bio="demo")
    return network.path


def test_two_processes_share_one_file(path: Path) -> None:
    web, worker = SandboxNetwork(path), connect("sandbox", base_url=f"sqlite:///{path}", credentials={},
                                                handle="kawal_demo")
    worker.publish("from the worker", idempotency_key="w")
    web.post_as("kawal_demo", "hijacked!", client="Unknown Bot")
    assert [(p.text, p.client) for p in web.posts("kawal_demo")] == [
        ("hijacked!", "Unknown Bot"), ("from the worker", "Kawal")]


def test_the_idempotency_key_is_honoured_natively(path: Path) -> None:
    connector = connect("sandbox", base_url=str(path), credentials={}, handle="kawal_demo")
    first = connector.publish("once", idempotency_key="k")
    assert connector.publish("once", idempotency_key="k") == first
    assert len(list(connector.timeline())) == 1
    found = connector.find_published("once", since=first.created_at, idempotency_key="k")
    assert found == first


def test_bad_input_gets_a_clear_error(path: Path) -> None:
    network = SandboxNetwork(path)
    with pytest.raises(SandboxError, match="no account @ghost"):
        network.post_as("ghost", "hi")
    with pytest.raises(SandboxError, match="at most 500"):
        network.post_as("kawal_demo", "x" * 501)
    with pytest.raises(SandboxError, match="needs a client name"):
        network.post_as("kawal_demo", "hi", client=" ")
    with pytest.raises(SandboxError, match="ids are numbers"):
        network.delete("kawal_demo", "abc")
    with pytest.raises(SandboxError, match="does not exist"):
        SandboxNetwork(path.parent / "missing" / "x.sqlite3")
    connector = connect("sandbox", base_url=str(path), credentials={}, handle="ghost")
    with pytest.raises(PlatformError) as caught:
        connector.profile()
    assert caught.value.permanent and "no account @ghost" in str(caught.value)


def test_set_profile_changes_only_what_is_given(path: Path) -> None:
    network = SandboxNetwork(path)
    before = network.profile("kawal_demo")
    after = network.set_profile("kawal_demo", bio="Akun resmi 🇮🇩")
    assert after.changes_from(before) == ["bio"]
    assert network.set_profile("kawal_demo", avatar_url="https://example.org/a.png").avatar_url


def test_another_account_cannot_delete_a_post(path: Path) -> None:
    network = SandboxNetwork(path)
    network.add_account("other")
    post = network.post_as("kawal_demo", "mine")
    with pytest.raises(PlatformError, match="has no sandbox post"):
        connect("sandbox", base_url=str(path), credentials={}, handle="other").delete(post.platform_id)


def test_it_is_labelled_as_a_sandbox() -> None:
    assert "Sandbox" in LABEL and "leaves this machine" in LABEL


def test_connect_names_the_problem() -> None:
    with pytest.raises(PlatformError, match="unknown platform 'myspace'"):
        connect("myspace", base_url="https://x", credentials={}, handle="a")
    with pytest.raises(PlatformError, match="instance"):
        connect("mastodon", base_url=None, credentials={"access_token": "t"}, handle="a")
    with pytest.raises(PlatformError, match="handle is required"):
        connect("x", base_url=None, credentials={"access_token": "t"}, handle="@")
    with pytest.raises(PlatformError, match="must start with http"):
        connect("x", base_url="ftp://x", credentials={"access_token": "t"}, handle="a")


def test_concurrent_writers_wait_for_each_other(path: Path) -> None:
    """The web process and the worker write at once: nothing is lost and nobody sees "database is locked"."""
    web, worker = SandboxNetwork(path), SandboxNetwork(path)

    def write(network: SandboxNetwork, client: str) -> None:
        for n in range(40):
            network.post_as("kawal_demo", f"{client} {n}", client=client, reply_to=None)

    threads = [threading.Thread(target=write, args=(web, "Web")), threading.Thread(target=write, args=(worker, "Kawal"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    posts = web.posts("kawal_demo", limit=1000)
    assert len(posts) == 80 and {p.client for p in posts} == {"Web", "Kawal"}


def test_without_a_path_it_uses_the_data_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAWAL_DATA_DIR", str(tmp_path))
    SandboxNetwork(tmp_path / "sandbox.sqlite3").add_account("demo")
    connector = connect("sandbox", base_url=None, credentials={"access_token": "ignored"}, handle="demo")
    connector.publish("hello", idempotency_key="k")
    assert [p.text for p in SandboxNetwork(tmp_path / "sandbox.sqlite3").posts("demo")] == ["hello"]
