"""The team's own labelled data: well-formed, and the benchmark's held-out sets stay out of training."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEADS = ("abusive", "offensive", "hostile", "sarcasm")


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def test_training_examples_are_well_formed() -> None:
    rows = read(ROOT / "training" / "data" / "tone_examples.jsonl")
    assert len(rows) >= 500
    for row in rows:
        assert isinstance(row["text"], str) and row["text"].strip()
        assert any(k in row for k in (*HEADS, "sentiment")), row
        assert all(row[k] in (0, 1) for k in HEADS if k in row), row
        assert row.get("sentiment", "neutral") in ("negative", "neutral", "positive"), row


def test_held_out_sets_are_not_in_the_training_examples() -> None:
    training = {r["text"].strip().lower() for r in read(ROOT / "training" / "data" / "tone_examples.jsonl")}
    training |= {
        (r.get("reply_to_text") or "").strip().lower() for r in read(ROOT / "training" / "data" / "tone_examples.jsonl")
    }
    held_out = ["id_abuse_heldout.jsonl", "id_abuse_heldout_v2.jsonl", "official_replies_heldout.jsonl",
                "en_offensive_heldout.jsonl"]
    for path in (ROOT / "benchmarks" / "data" / name for name in held_out):
        for row in read(path):
            assert row["text"].strip().lower() not in training, (path.name, row["text"])
            if row.get("reply_to_text"):
                assert row["reply_to_text"].strip().lower() not in training, (path.name, row["reply_to_text"])
