"""The sandbox network: a built-in local platform, clearly not a real one, for demos and offline trials.

Everything lives in one SQLite file (stdlib ``sqlite3``, WAL mode) so that the web process and the
worker see the same accounts, posts and profiles. :class:`SandboxNetwork` is the platform itself: the
UI uses :meth:`SandboxNetwork.post_as` to "post directly on the sandbox as any client" (to simulate
a hijacked account) and :meth:`SandboxNetwork.set_profile` to change a profile. :class:`SandboxPlatform`
is the connector Kawal uses for a sandbox account, like the X, Mastodon and Bluesky connectors.
The sandbox honours idempotency keys natively: a repeated key returns the post already made.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kawal.engine.records import Item, Post
from kawal.sources.platforms import text as entities
from kawal.sources.platforms.base import Platform, PlatformError, Profile, Published

LABEL = "Sandbox network: a local practice platform; nothing posted here leaves this machine"
MAX_CHARS = 500
KAWAL_CLIENT = "Kawal"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sandbox_accounts (
    handle       TEXT PRIMARY KEY COLLATE NOCASE,
    display_name TEXT NOT NULL,
    bio          TEXT NOT NULL,
    avatar_url   TEXT,
    created_at   TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sandbox_posts (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    handle          TEXT NOT NULL COLLATE NOCASE REFERENCES sandbox_accounts(handle),
    text            TEXT NOT NULL,
    client          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    reply_to        TEXT,
    lang            TEXT,
    media           TEXT NOT NULL DEFAULT '[]',
    idempotency_key TEXT,
    deleted_at      TEXT,
    UNIQUE (handle, idempotency_key)
);
CREATE INDEX IF NOT EXISTS sandbox_posts_by_account ON sandbox_posts (handle, id);
"""


def default_path() -> Path:
    """``sandbox.sqlite3`` in Kawal's data directory (``KAWAL_DATA_DIR``, default ``./.kawal``)."""
    from kawal.server.env import data_dir  # plain os.environ reading, no Django

    return data_dir() / "sandbox.sqlite3"


class SandboxError(ValueError):
    """Bad input to the sandbox (unknown account, empty or too long text); the message names the problem."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


class SandboxNetwork:
    """The sandbox platform stored in the SQLite file at ``path`` (created with its tables if missing)."""

    label = LABEL

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.parent.is_dir():
            raise SandboxError(f"sandbox database folder {self.path.parent} does not exist")
        # One connection per thread, kept open: closing the last connection to a WAL database
        # checkpoints it with an fsync, which made every post cost ~30 ms.
        self._local = threading.local()
        with self._db() as db:
            db.executescript(_SCHEMA)

    def _db(self) -> _Transaction:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=15, isolation_level=None)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")    # the web process reads while the worker writes
            db.execute("PRAGMA synchronous=NORMAL")  # safe in WAL mode; no fsync per post needed here
            db.execute("PRAGMA foreign_keys=ON")
            self._local.db = db
        return _Transaction(db)

    def close(self) -> None:
        """Close this thread's connection (other threads' close when they end)."""
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    # -- accounts and profiles ---------------------------------------------------------------------
    def add_account(self, handle: str, *, display_name: str = "", bio: str = "",
                    avatar_url: str | None = None) -> Profile:
        """Create a sandbox account; an existing one is left as it is and returned."""
        handle = _handle(handle)
        with self._db() as db:
            db.execute("INSERT OR IGNORE INTO sandbox_accounts VALUES (?, ?, ?, ?, ?)",
                       (handle, display_name or handle, bio, avatar_url, _now()))
        return self.profile(handle)

    def accounts(self) -> list[Profile]:
        with self._db() as db:
            rows = db.execute("SELECT * FROM sandbox_accounts ORDER BY handle").fetchall()
        return [_profile(row) for row in rows]

    def profile(self, handle: str) -> Profile:
        with self._db() as db:
            row = db.execute("SELECT * FROM sandbox_accounts WHERE handle = ?", (_handle(handle),)).fetchone()
        if row is None:
            raise SandboxError(f"the sandbox has no account @{_handle(handle)}")
        return _profile(row)

    def set_profile(self, handle: str, *, display_name: str | None = None, bio: str | None = None,
                    avatar_url: str | None = None) -> Profile:
        """Change a profile as its owner could on the platform (a profile-change incident follows)."""
        current = self.profile(handle)
        with self._db() as db:
            db.execute("UPDATE sandbox_accounts SET display_name = ?, bio = ?, avatar_url = ? WHERE handle = ?",
                       (current.display_name if display_name is None else display_name,
                        current.bio if bio is None else bio,
                        current.avatar_url if avatar_url is None else (avatar_url or None), current.handle))
        return self.profile(handle)

    # -- posts -------------------------------------------------------------------------------------
    def post_as(self, handle: str, text: str, *, client: str = "Sandbox web", reply_to: str | None = None,
                lang: str | None = None, idempotency_key: str | None = None, media: tuple[bytes, ...] = (),
                created_at: datetime | None = None) -> Published:
        """Post on the sandbox as ``client`` (any name: "Kawal", "Twitter for iPhone", "unknown bot")."""
        account = self.profile(handle)
        _check_text(text, media)
        if not client.strip():
            raise SandboxError("a sandbox post needs a client name")
        names = [f"sha256:{hashlib.sha256(blob).hexdigest()[:16]}" for blob in media]
        moment = (created_at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="microseconds")
        with self._db() as db:
            if reply_to is not None and self._row(db, reply_to) is None:
                raise SandboxError(f"the sandbox has no post {reply_to} to answer")
            try:
                cursor = db.execute(
                    "INSERT INTO sandbox_posts (handle, text, client, created_at, reply_to, lang, media, "
                    "idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (account.handle, text, client.strip(), moment, reply_to, lang, json.dumps(names), idempotency_key))
                row = self._row(db, str(cursor.lastrowid))
            except sqlite3.IntegrityError:
                row = db.execute("SELECT * FROM sandbox_posts WHERE handle = ? AND idempotency_key = ?",
                                 (account.handle, idempotency_key)).fetchone()
        return _published(row)

    def by_key(self, handle: str, idempotency_key: str) -> Published | None:
        with self._db() as db:
            row = db.execute("SELECT * FROM sandbox_posts WHERE handle = ? AND idempotency_key = ? "
                             "AND deleted_at IS NULL", (_handle(handle), idempotency_key)).fetchone()
        return _published(row) if row else None

    def delete(self, handle: str, post_id: str) -> None:
        with self._db() as db:
            row = self._row(db, post_id)
            if row is None or row["handle"].lower() != _handle(handle).lower():
                raise SandboxError(f"@{_handle(handle)} has no sandbox post {post_id}")
            db.execute("UPDATE sandbox_posts SET deleted_at = ? WHERE id = ?", (_now(), int(post_id)))

    def posts(self, handle: str | None = None, *, since_id: str | None = None, before_id: str | None = None,
              limit: int = 200, query: str | None = None) -> list[Post]:
        """Live posts, newest first, of one account (or of all when ``handle`` is None)."""
        sql, args = "SELECT * FROM sandbox_posts WHERE deleted_at IS NULL", []
        for clause, value in (("handle = ?", _handle(handle) if handle else None),
                              ("id > ?", _int_id(since_id)), ("id < ?", _int_id(before_id))):
            if value is not None:
                sql, args = f"{sql} AND {clause}", [*args, value]
        if query:
            sql, args = f"{sql} AND instr(lower(text), lower(?)) > 0", [*args, query]
        with self._db() as db:
            rows = db.execute(f"{sql} ORDER BY id DESC LIMIT ?", [*args, limit]).fetchall()
        return [_post(row) for row in rows]

    def _row(self, db: sqlite3.Connection, post_id: str) -> sqlite3.Row | None:
        return db.execute("SELECT * FROM sandbox_posts WHERE id = ? AND deleted_at IS NULL",
                          (_int_id(post_id),)).fetchone()


class SandboxPlatform(Platform):
    """The connector for one sandbox account; Kawal's posts carry the client name "Kawal"."""

    name = "sandbox"
    page_size = 100

    def __init__(self, network: SandboxNetwork, handle: str) -> None:
        self.network = network
        self.handle = _handle(handle)

    def _guard(self, action: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return action(*args, **kwargs)
        except SandboxError as error:
            raise PlatformError(f"sandbox: {error}", permanent=True) from None
        except sqlite3.OperationalError as error:   # a locked or unreadable file may work next time
            raise PlatformError(f"sandbox: database error: {error}", permanent=False) from None

    def publish(self, text: str, *, idempotency_key: str, reply_to: str | None = None,
                media: tuple[bytes, ...] = ()) -> Published:
        return self._guard(self.network.post_as, self.handle, text, client=KAWAL_CLIENT, reply_to=reply_to,
                           idempotency_key=idempotency_key, media=media)

    def delete(self, platform_id: str) -> None:
        self._guard(self.network.delete, self.handle, platform_id)

    def timeline(self, *, since_id: str | None = None, limit: int = 200) -> Iterator[Post]:
        before = None
        while limit > 0:   # page by page, as a real platform serves them
            page = self._guard(self.network.posts, self.handle, since_id=since_id, before_id=before,
                               limit=min(self.page_size, limit))
            yield from page
            limit -= len(page)
            if len(page) < self.page_size:
                return
            before = page[-1].id

    def profile(self) -> Profile:
        return self._guard(self.network.profile, self.handle)

    def close(self) -> None:
        self.network.close()

    def mentions(self, query: str, *, since_id: str | None = None, limit: int = 200) -> Iterator[Item]:
        for post in self._guard(self.network.posts, None, since_id=since_id, limit=limit, query=query):
            yield Item(id=post.id, text=post.text, url=post.extras["url"], published_at=post.created_at,
                       source="sandbox", kind="mention", author=post.account, lang=post.lang)

    def find_published(self, text: str, *, since: datetime, idempotency_key: str | None = None,
                       limit: int = 200) -> Published | None:
        if idempotency_key:
            found = self._guard(self.network.by_key, self.handle, idempotency_key)
            if found is not None:
                return found
        return super().find_published(text, since=since, idempotency_key=idempotency_key, limit=limit)


class _Transaction:
    """``with network._db() as db:``: statements inside run in one transaction, rolled back on error."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        if not self.db.in_transaction:
            # IMMEDIATE: a read-then-write transaction would otherwise fail with "database is locked"
            # instead of waiting when the web process and the worker write at the same moment.
            self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if not self.db.in_transaction:
            return
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")


def _handle(handle: str) -> str:
    handle = handle.strip().lstrip("@")
    if not handle:
        raise SandboxError("a sandbox handle cannot be empty")
    return handle


def _int_id(post_id: str | None) -> int | None:
    if post_id is None:
        return None
    if not str(post_id).isdigit():
        raise SandboxError(f"sandbox post ids are numbers, got {post_id!r}")
    return int(post_id)


def _check_text(text: str, media: tuple[bytes, ...]) -> None:
    if not text.strip() and not media:
        raise SandboxError("a sandbox post needs text or media")
    if len(text) > MAX_CHARS:
        raise SandboxError(f"a sandbox post holds at most {MAX_CHARS} characters, got {len(text)}")


def _profile(row: sqlite3.Row) -> Profile:
    return Profile(handle=row["handle"], display_name=row["display_name"], bio=row["bio"],
                   avatar_url=row["avatar_url"])


def _url(handle: str, post_id: int | str) -> str:
    return f"sandbox://{handle}/{post_id}"


def _published(row: sqlite3.Row) -> Published:
    return Published(str(row["id"]), _url(row["handle"], row["id"]), datetime.fromisoformat(row["created_at"]))


def _post(row: sqlite3.Row) -> Post:
    text = row["text"]
    found = entities.entities(text)
    return Post(
        account=row["handle"], id=str(row["id"]), created_at=datetime.fromisoformat(row["created_at"]), text=text,
        reply_to=row["reply_to"], client=row["client"], lang=row["lang"],
        mentions=tuple(s.value.lower() for s in found if s.kind == "mention"),
        urls=tuple(s.value for s in found if s.kind == "link"),
        hashtags=tuple(s.value for s in found if s.kind == "tag"),
        media=tuple(json.loads(row["media"])), platform="sandbox", extras={"url": _url(row["handle"], row["id"])},
    )
