"""The one interface every archive importer implements, and the report of what it skipped.

An importer turns an account archive (a zip, its extracted folder, or a file) into canonical
:class:`~kawal.engine.records.Post` records. Nothing is dropped silently: a record that cannot be read is
listed in :class:`ImportReport.skipped` with the file, the line or record number and the problem. An
archive that cannot be read at all raises :class:`ArchiveError` with the same three facts.

Archives are read, never extracted: member names are only compared, so a hostile name (``../../etc``)
cannot write anywhere, and every member is read through a size cap so a zip bomb stops at the cap.
"""

from __future__ import annotations

import zipfile
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from kawal.engine.records import Post

# A single member (tweets.js, outbox.json) larger than this is refused: large real archives stay far below.
MAX_MEMBER_BYTES = 1 << 30
# One record (a JSONL line, one tweet object) larger than this is skipped, not parsed.
MAX_RECORD_BYTES = 1 << 20
# Compression ratios above this on a large member are a zip bomb, not tweets.
MAX_COMPRESSION_RATIO = 200
_RATIO_CHECK_FROM = 1 << 20


class ArchiveError(Exception):
    """The archive (or one required file in it) cannot be read. The message names file, place and problem."""

    def __init__(self, file: str, problem: str, location: str | None = None) -> None:
        self.file, self.problem, self.location = file, problem, location
        where = f"{file}, {location}" if location else file
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True, slots=True)
class Skipped:
    """One record or file that was not imported, and why."""

    file: str
    location: str       # "line 12", "record 40", "whole file"
    problem: str

    def __str__(self) -> str:
        return f"{self.file}, {self.location}: {self.problem}"


@dataclass(slots=True)
class ImportReport:
    """What an import produced: how many posts and which records were skipped."""

    source: str
    imported: int = 0
    skipped: list[Skipped] = field(default_factory=list)

    def skip(self, file: str, location: str, problem: str) -> None:
        self.skipped.append(Skipped(file, location, problem))

    def summary(self) -> str:
        text = f"{self.source}: {self.imported} posts imported"
        if self.skipped:
            text += f", {len(self.skipped)} skipped"
        return text


class Importer(ABC):
    """Reads one kind of archive. ``iter_posts`` yields posts and fills ``report`` as it goes."""

    name: str

    @abstractmethod
    def can_read(self, path: Path) -> bool:
        """True when ``path`` looks like this importer's kind of archive (cheap: names, not content)."""

    @abstractmethod
    def iter_posts(self, path: Path, report: ImportReport) -> Iterator[Post]:
        """Yield the posts of the archive at ``path``; record every skipped record in ``report``."""

    def read(self, path: Path) -> tuple[list[Post], ImportReport]:
        """All posts of the archive, oldest first, and the report."""
        report = ImportReport(source=str(path))
        posts = list(self.iter_posts(Path(path), report))
        posts.sort(key=lambda post: (post.created_at, post.id))
        report.imported = len(posts)
        return posts, report


class ArchiveTree:
    """A zip or a folder seen the same way: relative POSIX member names and capped reads."""

    def __init__(self, path: Path, *, max_member_bytes: int = MAX_MEMBER_BYTES) -> None:
        self.path = Path(path)
        self.max_member_bytes = max_member_bytes
        self._zip: zipfile.ZipFile | None = None
        if self.path.is_file():
            try:
                self._zip = zipfile.ZipFile(self.path)
            except (zipfile.BadZipFile, OSError) as error:
                raise ArchiveError(str(self.path), f"not a readable zip archive ({error})") from error
        elif not self.path.is_dir():
            raise ArchiveError(str(self.path), "no such file or folder")

    def __enter__(self) -> ArchiveTree:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._zip is not None:
            self._zip.close()

    def names(self) -> list[str]:
        """Safe member names (hostile ones are left out here and reported by :meth:`unsafe_names`)."""
        return [name for name in self._all_names() if is_safe_name(name)]

    def unsafe_names(self) -> list[str]:
        return [name for name in self._all_names() if not is_safe_name(name)]

    def _all_names(self) -> list[str]:
        if self._zip is not None:
            return [info.filename for info in self._zip.infolist() if not info.is_dir()]
        return sorted(p.relative_to(self.path).as_posix() for p in self.path.rglob("*") if p.is_file())

    def find(self, suffix: str) -> list[str]:
        """Members whose path ends with ``suffix`` (archives are sometimes zipped inside a top folder)."""
        return sorted(n for n in self.names() if n == suffix or n.endswith("/" + suffix))

    def label(self, name: str) -> str:
        return f"{self.path.name}:{name}" if self._zip is not None else str(self.path / name)

    def read_bytes(self, name: str) -> bytes:
        """The member's bytes, refusing anything larger than the cap whatever the zip header claims."""
        if self._zip is None:
            target = self.path / name
            if target.stat().st_size > self.max_member_bytes:
                raise ArchiveError(self.label(name), f"file larger than {self.max_member_bytes} bytes")
            return target.read_bytes()
        return self._read_zip_member(name)

    def _read_zip_member(self, name: str) -> bytes:
        assert self._zip is not None
        info = self._zip.getinfo(name)
        label = self.label(name)
        if info.file_size > self.max_member_bytes:
            raise ArchiveError(label, f"member declares {info.file_size} bytes, more than the "
                                      f"{self.max_member_bytes}-byte limit")
        if info.file_size > _RATIO_CHECK_FROM and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise ArchiveError(label, "compression ratio too high: refusing a likely zip bomb")
        chunks, total = [], 0
        try:
            with self._zip.open(info) as handle:
                while chunk := handle.read(1 << 20):
                    total += len(chunk)
                    if total > self.max_member_bytes:
                        raise ArchiveError(label, f"member expands beyond the {self.max_member_bytes}-byte "
                                                  "limit: refusing a likely zip bomb")
                    chunks.append(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as error:
            raise ArchiveError(label, f"damaged zip member ({error})") from error
        return b"".join(chunks)


def is_safe_name(name: str) -> bool:
    """Reject absolute paths, drive letters and ``..`` components (path traversal)."""
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return False
    return ".." not in PurePosixPath(name.replace("\\", "/")).parts


def decode_text(data: bytes, label: str) -> str:
    """UTF-8 (with or without BOM); anything else is an error naming the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ArchiveError(label, f"not UTF-8 text (byte 0x{data[error.start]:02x} at offset "
                                  f"{error.start}); export the archive again or convert it to UTF-8",
                           f"line {line}") from error


def line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1
