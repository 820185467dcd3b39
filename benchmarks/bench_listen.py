"""Listening: topic quality on held-out examples, and throughput of classify, dedupe and feed parsing.

Two sets of examples written by the team, each item labelled with its topics (possibly none):

- ``listen_topics_dev.jsonl`` (48): written after the first topic terms and measured once (micro precision
  0.96, recall 0.55); its misses then guided a broadening of the terms, so it is a development set now and
  its figure flatters the rules.
- ``listen_topics_heldout.jsonl`` (48): written after that broadening and measured once (micro precision
  0.85, recall 0.56, F1 0.68); its misses then guided a second broadening (Indonesian affixes, "-nya", more
  phrasings), so it is a development set now too.
- ``listen_topics_heldout_v3.jsonl`` (50, 13 of them with no topic, to catch false alarms): written after
  the second broadening and never used to change the terms: the honest figure.

The examples in ``tests/listen/data/labelled.jsonl`` were written alongside the terms (test fixtures).
Topics are scored with a fixed stand-in for the language and tone models, so the figures are about the
topic rules alone. Run: ``.venv/bin/python benchmarks/bench_listen.py``.
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from pathlib import Path

from kawal.engine.listen.classify import Classifier
from kawal.engine.listen.entities import find_entities
from kawal.engine.listen.topics import default_topics
from kawal.engine.listen.understand import Sentiment, Understanding
from kawal.engine.records import Item
from kawal.sources.dedupe import Deduper
from kawal.sources.feeds import parse_feed

DATA = Path(__file__).parent / "data"
SETS = {"held-out (v3)": DATA / "listen_topics_heldout_v3.jsonl",
        "development (v2)": DATA / "listen_topics_heldout.jsonl",
        "development (v1)": DATA / "listen_topics_dev.jsonl"}
FIXED = Understanding(language=lambda text: "id",
                      sentiment=lambda text, lang: Sentiment("neutral", {"neutral": 1.0}, "fixed"))


def _examples(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8")]


def topic_quality(name: str) -> None:
    classifier = Classifier(understanding=FIXED)
    tp, fp, fn = Counter(), Counter(), Counter()
    exact = 0
    misses = []
    examples = _examples(SETS[name])
    for example in examples:
        item = Item(id=example["id"], text=example["text"], title=example.get("title"))
        predicted = {hit.topic for hit in classifier.classify(item).topics}
        expected = set(example["topics"])
        exact += predicted == expected
        for topic in predicted & expected:
            tp[topic] += 1
        for topic in predicted - expected:
            fp[topic] += 1
        for topic in expected - predicted:
            fn[topic] += 1
        if predicted != expected:
            misses.append(f"  {example['id']}: expected {sorted(expected)}, got {sorted(predicted)}")
    print(f"Topics on the {len(examples)} {name} examples (Indonesian and English)")
    print(f"{'topic':<20}{'precision':>10}{'recall':>8}{'support':>9}")
    for topic in sorted(set(tp) | set(fp) | set(fn)):
        p = tp[topic] / max(tp[topic] + fp[topic], 1)
        r = tp[topic] / max(tp[topic] + fn[topic], 1)
        print(f"{topic:<20}{p:>10.2f}{r:>8.2f}{tp[topic] + fn[topic]:>9}")
    stp, sfp, sfn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    precision, recall = stp / max(stp + sfp, 1), stp / max(stp + sfn, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    print(f"micro precision {precision:.2f}  recall {recall:.2f}  F1 {f1:.2f}  exact topic set {exact}/{len(examples)}")
    print("misses:\n" + "\n".join(misses))


def _rate(label: str, count: int, seconds: float) -> None:
    print(f"{label:<46}{count / seconds:>10,.0f} items/s  ({count:,} in {seconds:.2f} s)")


def throughput() -> None:
    texts = [e.get("title", "") + " " + e["text"] for path in SETS.values() for e in _examples(path)]
    items = [Item(id=str(n), text=texts[n % len(texts)]) for n in range(3000)]
    topics = default_topics()
    start = time.perf_counter()
    for item in items:
        topics.match(item.text)
    _rate("topics only", len(items), time.perf_counter() - start)
    start = time.perf_counter()
    for item in items:
        find_entities(item.text)
    _rate("entities only", len(items), time.perf_counter() - start)
    classifier = Classifier()
    classifier.classify(items[0])  # load the models outside the timing
    start = time.perf_counter()
    for item in items[:1000]:
        classifier.classify(item)
    _rate("classify (language + tone models + topics + entities)", 1000, time.perf_counter() - start)
    rnd = random.Random(1)
    words = " ".join(texts).split()
    articles = [Item(id=str(n), text=" ".join(rnd.choice(words) for _ in range(120)), title=f"Judul berita {n}",
                     url=f"https://warta.example/{n}?utm_source=x", kind="news") for n in range(3000)]
    deduper = Deduper()
    start = time.perf_counter()
    for item in articles:
        deduper.check(item)
    _rate("dedupe (120-word articles, MinHash)", len(articles), time.perf_counter() - start)
    entries = "".join(f"<item><title>Berita {n}</title><link>https://warta.example/{n}</link>"
                      f"<description>&lt;p&gt;{texts[n % len(texts)]}&lt;/p&gt;</description>"
                      f"<pubDate>Tue, 24 Nov 2026 10:00:00 +0700</pubDate></item>" for n in range(500))
    feed = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>{entries}</channel></rss>'
    start = time.perf_counter()
    parsed, _ = parse_feed(feed.encode("utf-8"), "https://warta.example/rss", "application/rss+xml")
    _rate("feed parsing (one 500-entry RSS feed)", len(parsed), time.perf_counter() - start)


if __name__ == "__main__":
    for name in SETS:
        topic_quality(name)
        print()
    throughput()
