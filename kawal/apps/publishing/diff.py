"""Line diffs between two versions of a draft (difflib), for the draft page and the API."""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DiffLine:
    kind: str   # "add", "remove", "same" or "hunk" (a unified-diff @@ header)
    text: str


def line_diff(old: str, new: str) -> list[DiffLine]:
    """The unified diff of ``old`` to ``new`` as typed lines (no file headers)."""
    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=3)
    out: list[DiffLine] = []
    for line in lines:
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            out.append(DiffLine("hunk", line))
        elif line.startswith("+"):
            out.append(DiffLine("add", line[1:]))
        elif line.startswith("-"):
            out.append(DiffLine("remove", line[1:]))
        else:
            out.append(DiffLine("same", line[1:]))
    return out


def unified_diff(old: str, new: str, *, old_label: str = "previous", new_label: str = "this") -> str:
    """The plain-text unified diff (what the API returns)."""
    return "\n".join(difflib.unified_diff(old.splitlines(), new.splitlines(), fromfile=old_label,
                                          tofile=new_label, lineterm=""))
