"""Every leak detector over every post of the shared timelines: real official accounts' posts (brand care
agents, a president, a candidate) are full of ticket numbers, archive URLs, dates and support addresses,
and none of them is a leak."""

import json
from pathlib import Path

from kawal.engine.screen.leaks import DETECTORS
from kawal.engine.screen.leaks.common import url_spans


def test_no_leak_detector_fires_on_the_shared_timelines(shared_data: Path) -> None:
    files = sorted((shared_data / "timelines").glob("*.jsonl"))
    assert files, "no timelines in ../shared/data/timelines"
    posts = 0
    hits = []
    for path in files:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                text = json.loads(line)["text"]
                posts += 1
                skip = url_spans(text)
                for detector in DETECTORS:
                    hits += [(path.name, f.kind, text) for f in detector(text, skip)]
    assert posts > 7000
    assert hits == []
