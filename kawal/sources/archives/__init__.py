"""Archive importers: an account's own export, read into canonical posts with a report of what was skipped.

>>> from kawal.sources.archives import load_archive
>>> posts, report = load_archive("path/to/twitter-2024.zip")   # doctest: +SKIP

``load_archive`` picks the importer (X archive, Mastodon archive, canonical JSONL) from the path.
"""

from __future__ import annotations

from pathlib import Path

from kawal.engine.records import Post
from kawal.sources.archives.base import ArchiveError, Importer, ImportReport, Skipped
from kawal.sources.archives.jsonl import JsonlImporter
from kawal.sources.archives.mastodon import MastodonArchiveImporter
from kawal.sources.archives.x import XArchiveImporter

__all__ = ["ArchiveError", "ImportReport", "Importer", "Skipped", "detect_importer", "load_archive",
           "IMPORTERS"]

IMPORTERS: tuple[type[Importer], ...] = (XArchiveImporter, MastodonArchiveImporter, JsonlImporter)


def detect_importer(path: str | Path) -> Importer:
    """The importer for ``path``; :class:`ArchiveError` when no importer recognises it."""
    path = Path(path)
    if not path.exists():
        raise ArchiveError(str(path), "no such file or folder")
    for kind in IMPORTERS:
        importer = kind()
        if importer.can_read(path):
            return importer
    raise ArchiveError(str(path), "not an archive Kawal can read: expected an X archive (zip or folder with "
                                  "data/tweets.js), a Mastodon archive (with outbox.json) or a .jsonl timeline")


def load_archive(path: str | Path) -> tuple[list[Post], ImportReport]:
    """All posts of the archive at ``path``, oldest first, and the report of skipped records."""
    return detect_importer(path).read(Path(path))
