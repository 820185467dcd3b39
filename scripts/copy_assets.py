"""Copy the web UI's front-end packages from node_modules/ into kawal/static/vendor/ (git-ignored).

Run by `make assets` after `npm ci`. Nothing is fetched at run time; without these files the UI still
works, with plain styling and full-page form posts instead of htmx swaps.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "kawal" / "static" / "vendor"

# (file in node_modules, destination under kawal/static/vendor)
FILES = [
    ("htmx.org/dist/htmx.min.js", "htmx/htmx.min.js"),
    ("@picocss/pico/css/pico.min.css", "pico/pico.min.css"),
    ("@picocss/pico/LICENSE.md", "pico/LICENSE.md"),
    ("htmx.org/LICENSE", "htmx/LICENSE"),
]


def main() -> int:
    modules = ROOT / "node_modules"
    missing = [src for src, _ in FILES if not (modules / src).exists()]
    if missing:
        print(f"copy_assets: missing in {modules}: {', '.join(missing)}; run `npm ci` first", file=sys.stderr)
        return 1
    for src, dest in FILES:
        target = VENDOR / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(modules / src, target)
        print(f"copied {src} -> {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
