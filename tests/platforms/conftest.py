"""Fixtures: each connector against its local platform server (or the sandbox file), never a mock."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kawal.sources.platforms import Platform, connect
from kawal.sources.platforms.local.bluesky import LocalBluesky
from kawal.sources.platforms.local.mastodon import LocalMastodon
from kawal.sources.platforms.local.server import LocalServer
from kawal.sources.platforms.local.x import LocalX
from kawal.sources.platforms.sandbox import SandboxNetwork

HANDLES = {"x": "kawal_id", "mastodon": "kawal", "bluesky": "kawal.test", "sandbox": "kawal_demo"}
SERVERS: dict[str, type[LocalServer]] = {"x": LocalX, "mastodon": LocalMastodon, "bluesky": LocalBluesky}


@dataclass
class Harness:
    """One account on one platform, plus the platform-side controls a test needs."""

    platform: str
    handle: str
    base_url: str
    credentials: dict[str, Any]
    server: LocalServer | None = None
    network: SandboxNetwork | None = None
    connectors: list[Platform] = field(default_factory=list)

    def connect(self, *, timeout: float = 5.0, credentials: dict[str, Any] | None = None,
                page_size: int | None = None, on_credentials_change: Any = None) -> Platform:
        connector = connect(self.platform, base_url=self.base_url, handle=self.handle, timeout=timeout,
                            credentials=self.credentials if credentials is None else credentials,
                            on_credentials_change=on_credentials_change)
        if page_size is not None:
            connector.page_size = page_size  # type: ignore[attr-defined]
        self.connectors.append(connector)
        return connector

    def post_direct(self, text: str, *, client: str) -> str:
        """A post made on the platform itself, outside Kawal."""
        if self.network is not None:
            return self.network.post_as(self.handle, text, client=client).platform_id
        assert self.server is not None
        return self.server.post_direct(self.handle, text, client=client).id

    def set_profile(self, **fields: Any) -> None:
        target = self.network if self.network is not None else self.server
        assert target is not None
        target.set_profile(self.handle, **fields)


def _harness(platform: str, tmp_path: Path) -> Iterator[Harness]:
    handle = HANDLES[platform]
    if platform == "sandbox":
        network = SandboxNetwork(tmp_path / "sandbox.sqlite3")
        network.add_account(handle, display_name="Kawal Demo", bio="Sandbox account")
        yield Harness(platform, handle, str(network.path), {}, network=network)
        return
    server = SERVERS[platform]().start()
    credentials = server.add_account(handle, display_name="Kawal", bio="Official account")
    server.add_account("alice.test" if platform == "bluesky" else "alice", display_name="Alice")
    harness = Harness(platform, handle, server.url, credentials, server=server)
    try:
        yield harness
    finally:
        for connector in harness.connectors:
            connector.close()
        server.stop()


@pytest.fixture(params=["x", "mastodon", "bluesky", "sandbox"])
def harness(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Harness]:
    yield from _harness(request.param, tmp_path)


@pytest.fixture(params=["x", "mastodon", "bluesky"])
def http_harness(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Harness]:
    yield from _harness(request.param, tmp_path)


@pytest.fixture
def x(tmp_path: Path) -> Iterator[Harness]:
    yield from _harness("x", tmp_path)


@pytest.fixture
def mastodon(tmp_path: Path) -> Iterator[Harness]:
    yield from _harness("mastodon", tmp_path)


@pytest.fixture
def bluesky(tmp_path: Path) -> Iterator[Harness]:
    yield from _harness("bluesky", tmp_path)
