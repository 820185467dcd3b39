"""The local servers as separate processes, steered over HTTP as browser tests and demos do."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from kawal.sources.platforms import connect

HANDLES = {"x": "kawal_demo", "mastodon": "kawal_demo", "bluesky": "kawal.demo"}


@pytest.fixture(params=["x", "mastodon", "bluesky"])
def running(request: pytest.FixtureRequest) -> Iterator[tuple[str, dict]]:
    name = request.param
    process = subprocess.Popen(
        [sys.executable, "-m", f"kawal.sources.platforms.local.{name}", "--port", "0",
         "--account", f"{HANDLES[name]}:secret-for-tests-1", "--rate-limit", "1000"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        yield name, json.loads(process.stdout.readline())
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_server_started_from_the_command_line_serves_a_connector(running: tuple[str, dict]) -> None:
    name, info = running
    account = info["accounts"][0]
    assert info["platform"] == name and account["handle"] == HANDLES[name]
    connector = connect(name, base_url=info["url"], credentials=account["credentials"], handle=account["handle"])
    published = connector.publish("dari Kawal", idempotency_key="k")

    control = httpx.Client(base_url=info["url"])
    direct = control.post("/_local/posts", json={"handle": account["handle"], "text": "langsung di platform",
                                                  "client": "Twitter for Android"}).json()
    control.post("/_local/profile", json={"handle": account["handle"], "bio": "diubah"})
    assert [p.id for p in connector.timeline()] == [direct["id"], published.platform_id]
    assert connector.profile().bio == "diubah"
    assert [p["text"] for p in control.get("/_local/posts").json()] == ["langsung di platform", "dari Kawal"]

    control.post("/_local/faults", json={"kind": "status", "status": 503})
    with pytest.raises(Exception, match="503"):
        connector.profile()
    bad = control.post("/_local/faults", json={"kind": "teleport"})
    assert bad.status_code == 400 and "unknown fault kind" in bad.json()["error"]
    connector.close()
    control.close()
