"""Images attached to drafts: validation by magic bytes, content-addressed storage, and what changed.

The bytes live in the data directory under ``media/<first two hex digits>/<the other 62>`` (never in the
database); a version records each image as ``{"sha256", "name", "type", "size", "alt"}`` in order, and the
content hash covers the hashes and the alt texts. Reading an image back checks its hash again, so a file
changed on disk is refused instead of published.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

MAX_IMAGES = 4
MAX_BYTES = 5 * 1024 * 1024       # X's image limit; Mastodon instances accept at least this by default
MAX_ALT_CHARS = 1000              # X and Bluesky accept 1,000 characters of alt text (Mastodon 1,500)
# Platforms with a smaller image limit than Kawal's own.
PLATFORM_MAX_BYTES = {"bluesky": 1_000_000}
TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WebP"}


class MediaError(ValueError):
    """An image that cannot be attached or published; the message names the file and the problem."""


@dataclass(frozen=True, slots=True)
class Stored:
    sha256: str
    name: str
    type: str
    size: int


def sniff(data: bytes) -> str | None:
    """The image type from the file's first bytes (never from its name), or None if it is none we take."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def check(name: str, data: bytes) -> str:
    """The sniffed type of an upload; MediaError naming the file when it is empty, too big or no image."""
    if not data:
        raise MediaError(f"{name}: the file is empty.")
    check_size(name, len(data))
    kind = sniff(data)
    if kind is None:
        raise MediaError(f"{name}: the file is not a JPEG, PNG, GIF or WebP image (judged by its content, "
                         "not its name).")
    return kind


def check_size(name: str, size: int) -> None:
    if size > MAX_BYTES:
        raise MediaError(f"{name}: the file has {size:,} bytes; Kawal accepts images up to {MAX_BYTES:,} bytes "
                         "(5 MB).")


def root() -> Path:
    return Path(settings.DATA_DIR) / "media"


def path_of(sha256: str) -> Path:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise MediaError(f"{sha256!r} is not a media hash (64 lower-case hex digits).")
    return root() / sha256[:2] / sha256[2:]


def store(name: str, data: bytes, *, organization_id: int) -> Stored:
    """Validate and store the bytes under their sha256 (written atomically; storing twice is harmless),
    and remember that ``organization_id`` uploaded them (see :func:`describe`)."""
    from kawal.apps.publishing.models import MediaUpload

    kind = check(name, data)
    digest = hashlib.sha256(data).hexdigest()
    target = path_of(digest)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, target)
    MediaUpload.objects.get_or_create(organization_id=organization_id, sha256=digest)
    return Stored(sha256=digest, name=_clean_name(name, digest, kind), type=kind, size=len(data))


def read_verified(sha256: str) -> bytes:
    """The stored bytes of ``sha256``, after checking they still hash to it."""
    target = path_of(sha256)
    try:
        data = target.read_bytes()
    except FileNotFoundError:
        raise MediaError(f"image {sha256[:12]}… is missing from the media store ({target}).") from None
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha256:
        raise MediaError(f"image {sha256[:12]}… changed on disk (it now hashes to {actual[:12]}…); "
                         "refusing to publish bytes other than the approved ones.")
    return data


def describe(sha256: str, *, organization_id: int, name: str = "", alt: str = "") -> dict[str, Any]:
    """The version's record of an already stored image (type and size read from the stored bytes). Only
    an image ``organization_id`` uploaded itself may be attached."""
    from kawal.apps.publishing.models import MediaUpload

    path_of(sha256)  # a malformed hash is named as such
    if not MediaUpload.objects.filter(organization_id=organization_id, sha256=sha256).exists():
        raise MediaError(f"image {sha256[:12]}… was not uploaded in this organisation; upload it first.")
    data = read_verified(sha256)
    kind = check(name or sha256[:12], data)
    alt = alt.strip()
    if len(alt) > MAX_ALT_CHARS:
        raise MediaError(f"{name or sha256[:12]}: the alt text has {len(alt)} characters; at most "
                         f"{MAX_ALT_CHARS} are accepted.")
    return {"sha256": sha256, "name": _clean_name(name, sha256, kind), "type": kind, "size": len(data),
            "alt": alt}


def check_set(items: Sequence[dict[str, Any]], platform: str) -> None:
    """The attachments of one version: at most four, each within the platform's size limit."""
    if len(items) > MAX_IMAGES:
        raise MediaError(f"{len(items)} images attached; a post holds at most {MAX_IMAGES}.")
    limit = PLATFORM_MAX_BYTES.get(platform)
    for item in items:
        if limit and int(item.get("size", 0)) > limit:
            raise MediaError(f"{item['name']}: {int(item['size']):,} bytes; {platform} accepts images up to "
                             f"{limit:,} bytes.")


def changes(old: Sequence[dict[str, Any]], new: Sequence[dict[str, Any]]) -> list[str]:
    """What changed in the images from one version to the next, in words (English, as the audit log)."""
    old_hashes, new_hashes = [m["sha256"] for m in old], [m["sha256"] for m in new]
    by_old = {m["sha256"]: m for m in old}
    out = [f"added {m['name']}" for m in new if m["sha256"] not in by_old]
    out += [f"removed {m['name']}" for m in old if m["sha256"] not in set(new_hashes)]
    kept_old = [h for h in old_hashes if h in set(new_hashes)]
    kept_new = [h for h in new_hashes if h in set(old_hashes)]
    if kept_old != kept_new:
        out.append("reordered: " + ", ".join(m["name"] for m in new if m["sha256"] in by_old))
    out += [f"alt text of {m['name']} changed" for m in new
            if m["sha256"] in by_old and m.get("alt", "") != by_old[m["sha256"]].get("alt", "")]
    return out


def _clean_name(name: str, sha256: str, kind: str) -> str:
    base = os.path.basename((name or "").replace("\\", "/")).strip()[:120]
    return base or f"image-{sha256[:8]}.{kind.split('/')[1]}"
