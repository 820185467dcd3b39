"""Rebuild the shipped tone model (``kawal/engine/models/tone.npz`` + ``tone.json``).

Data, all allowed for a shipped model by ``../shared/data/README.md`` (train splits only; valid splits and
every tweeteval file are left to the benchmark):

* sentiment: SmSA train (IndoNLU, MIT), NusaX sentiment ID and EN train (CC BY-SA 4.0), EmoT train (IndoNLU,
  MIT; anger/fear/sadness -> negative, happy/love -> positive), plus the team's own examples;
* offensive and abusive: Davidson et al. (MIT; hate speech and offensive language -> 1, neither -> 0), the
  team's own Indonesian and English examples (``training/data/tone_examples.jsonl``) and clean review text
  from SmSA/NusaX as non-abusive;
* hostile toward the addressee and sarcasm: the team's own examples only.

Each head is a logistic regression over the shared hashed features; the weights are stacked into one
matrix. Run from the repository root: ``.venv/bin/python training/train_tone.py`` (about a minute on one
core); ``--sample N`` trains on at most N rows per source (for tests), ``--out DIR`` writes elsewhere.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kawal.engine.screen import text as textmod  # noqa: E402
from training import build_lexicons  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "tone"
OWN = ROOT / "training" / "data"
MODELS = ROOT / "kawal" / "engine" / "models"
SENTIMENT = ("negative", "neutral", "positive")
BINARY_HEADS = ("hostile", "abusive", "offensive", "sarcasm")
EMOT_TO_SENTIMENT = {"anger": "negative", "fear": "negative", "sadness": "negative", "happy": "positive",
                     "love": "positive"}
# Inverse regularisation per head: the heads learned from a few hundred own examples are held tighter, so
# they lean on lexicon and context features rather than on incidental words of the examples.
HEAD_C = {"abusive": 2.0, "offensive": 2.0, "hostile": 0.5, "sarcasm": 0.5}
# Heads whose positives are rare in real posts keep the data's own prior rather than a 50/50 one, so an
# ordinary announcement does not start near the threshold.
UNBALANCED = ("hostile",)
# Features a head must not use. An ambiguous word ("anjing" the dog, "gila" as praise) is hostile only when
# aimed at the addressee, which the "you+abuse_weak" feature carries; on its own, or said of a third person
# ("aim+abuse_weak": "the mayor is a clown"), it says nothing of hostility toward the addressee.
MASKED = {"hostile": ("lex:abuse_weak", "aim+abuse_weak")}
# Only these files may train a shipped model (see ../shared/data/README.md); tweeteval never.
ALLOWED = {"smsa_train.jsonl", "emot_train.jsonl", "nusax_senti_id_train.jsonl", "nusax_senti_en_train.jsonl",
           "davidson_labeled_data.jsonl"}


def read_jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def shared_rows(name: str, sample: int | None) -> list[dict]:
    if name not in ALLOWED:
        raise ValueError(f"{name} may not train a shipped model")
    rows = list(read_jsonl(SHARED / name))
    if sample is not None and len(rows) > sample:
        rows = random.Random(13).sample(rows, sample)
    return rows


def own_rows(sample: int | None) -> list[dict]:
    rows: list[dict] = []
    for path in sorted(OWN.glob("*.jsonl")):
        rows.extend(read_jsonl(path))
    if sample is not None and len(rows) > sample:
        rows = random.Random(13).sample(rows, sample)
    return rows


def build_datasets(sample: int | None) -> dict[str, list[tuple[str, str | None, object, float]]]:
    """Per head: (text, reply_to_text, label, sample weight)."""
    data: dict[str, list[tuple[str, str | None, object, float]]] = {h: [] for h in ("sentiment", *BINARY_HEADS)}
    clean_texts: list[str] = []
    for name in ("smsa_train.jsonl", "nusax_senti_id_train.jsonl", "nusax_senti_en_train.jsonl"):
        for row in shared_rows(name, sample):
            weight = 1.0 if name.startswith("smsa") else 3.0  # NusaX is small but closest to social text
            data["sentiment"].append((row["text"], None, row["label"], weight))
            clean_texts.append(row["text"])
    for row in shared_rows("emot_train.jsonl", sample):
        data["sentiment"].append((row["text"], None, EMOT_TO_SENTIMENT[row["label"]], 0.5))
    # Davidson is 83% offensive; keep every "neither" tweet and as many offensive ones again, so that the
    # English tweets do not drown the Indonesian examples nor set a prior that everything is offensive
    davidson = shared_rows("davidson_labeled_data.jsonl", sample)
    neither = [r for r in davidson if r["label_name"] == "neither"]
    offensive = [r for r in davidson if r["label_name"] != "neither"]
    offensive = random.Random(11).sample(offensive, min(len(offensive), int(1.5 * len(neither)) + 1))
    for row in neither + offensive:
        label = 0 if row["label_name"] == "neither" else 1
        data["offensive"].append((row["text"], None, label, 1.0))
        data["abusive"].append((row["text"], None, label, 1.0))
    # reviews and news-like sentences are clean: they teach that Indonesian itself is not a risk
    for text in random.Random(7).sample(clean_texts, min(len(clean_texts), 3000)):
        for head in ("offensive", "abusive", "hostile"):
            data[head].append((text, None, 0, 0.5))
    for row in own_rows(sample):
        add_own_row(data, row)
    return data


def add_own_row(data: dict[str, list[tuple[str, str | None, object, float]]], row: dict) -> None:
    reply = row.get("reply_to_text")
    weight = float(row.get("weight", 3.0))  # own examples are few and targeted
    if row.get("sentiment") in SENTIMENT:
        data["sentiment"].append((row["text"], None, row["sentiment"], weight))
    for head in BINARY_HEADS:
        if head in row:
            data[head].append((row["text"], reply if head == "hostile" else None, int(row[head]), weight))


_PLAIN: dict[str, textmod.Features] = {}


def featurize_one(text: str, extra: dict[str, float] | None) -> textmod.Features:
    """Features of one text; texts without context are cached, as several heads share them."""
    if extra:
        return textmod.featurize(textmod.tokenize(text), extra)
    if text not in _PLAIN:
        _PLAIN[text] = textmod.featurize(textmod.tokenize(text))
    return _PLAIN[text]


def featurize_all(items: Iterable[tuple[str, str | None]], context) -> sparse.csr_matrix:
    rows = [featurize_one(t, context(r)) for t, r in items]
    data, indices, indptr = textmod.to_csr_parts(rows)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(rows), textmod.n_features()))


def fit_head(
    x: sparse.csr_matrix, y: np.ndarray, w: np.ndarray, c: float, balanced: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    # fit on the columns this head's data actually uses (the optimiser's cost grows with the width);
    # unused columns would get weight zero anyway
    used = np.unique(x.indices)
    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced" if balanced else None, solver="lbfgs")
    model.fit(x[:, used], y, sample_weight=w)
    coef = np.zeros((model.coef_.shape[0], x.shape[1]), dtype=np.float64)
    coef[:, used] = model.coef_
    return coef, model.intercept_


def train(sample: int | None = None, out: Path = MODELS, verbose: bool = True, rebuild_lexicons: bool = True) -> dict:
    """Train every head and write ``tone.npz``/``tone.json`` to ``out``; returns the written metadata.

    ``rebuild_lexicons`` first rewrites the shipped slang map and lexicons from ``build_lexicons.py``.
    """
    if rebuild_lexicons:
        build_lexicons.main()
    textmod.clear_caches()
    started = time.time()
    data = build_datasets(sample)
    n_feat = textmod.n_features()
    weights = np.zeros((n_feat, 3 + len(BINARY_HEADS)), dtype=np.float32)
    bias = np.zeros(3 + len(BINARY_HEADS), dtype=np.float32)
    no_context = lambda _reply: None  # noqa: E731

    sent = data["sentiment"]
    x = featurize_all(((t, r) for t, r, _, _ in sent), no_context)
    y = np.asarray([SENTIMENT.index(str(lab)) for _, _, lab, _ in sent])
    coef, intercept = fit_head(x, y, np.asarray([w for *_, w in sent]), c=4.0)
    weights[:, 0:3] = coef.T
    bias[0:3] = intercept
    log(verbose, f"sentiment: {len(sent)} rows")

    # the hostile head sees the replied-to post through the sentiment/abuse heads trained just before
    order = ("abusive", "offensive", "sarcasm", "hostile")
    for head in order:
        rows = data[head]
        col = 3 + BINARY_HEADS.index(head)
        if len({lab for _, _, lab, _ in rows}) < 2:
            log(verbose, f"{head}: skipped, one class only in {len(rows)} rows")
            continue
        context = make_context(weights, bias) if head == "hostile" else no_context
        x = featurize_all(((t, r) for t, r, _, _ in rows), context)
        if head in MASKED:
            x = mask_columns(x, MASKED[head])
        y = np.asarray([int(lab) for _, _, lab, _ in rows])  # type: ignore[call-overload]
        coef, intercept = fit_head(x, y, np.asarray([w for *_, w in rows]), c=HEAD_C[head],
                                    balanced=head not in UNBALANCED)
        weights[:, col] = coef[0]
        bias[col] = intercept[0]
        log(verbose, f"{head}: {len(rows)} rows, {int(y.sum())} positive")
    meta = write_model(weights, bias, data, out)
    log(verbose, f"trained in {time.time() - started:.0f}s -> {out}")
    return meta


def mask_columns(x: sparse.csr_matrix, slot_names: tuple[str, ...]) -> sparse.csr_matrix:
    slots = textmod.dense_slot_names()
    columns = [textmod.N_HASH + slots.index(name) for name in slot_names]
    x = x.tocsc(copy=True)
    for col in columns:
        x.data[x.indptr[col] : x.indptr[col + 1]] = 0.0
    x = x.tocsr()
    x.eliminate_zeros()
    return x


def make_context(weights: np.ndarray, bias: np.ndarray):
    """Context features of a replied-to post, computed with the heads trained so far (as at inference)."""

    def context(reply: str | None) -> dict[str, float] | None:
        if not reply:
            return None
        feats = textmod.featurize(textmod.tokenize(reply))
        z = feats.values @ weights[feats.indices] + bias
        sent = np.exp(z[0:3] - z[0:3].max())
        sent /= sent.sum()
        abusive = 1.0 / (1.0 + np.exp(-z[3 + BINARY_HEADS.index("abusive")]))
        offensive = 1.0 / (1.0 + np.exp(-z[3 + BINARY_HEADS.index("offensive")]))
        return {"ctx:reply": 1.0, "ctx:reply_negative": float(sent[0]),
                "ctx:reply_abusive": float(max(abusive, offensive))}

    return context


def write_model(weights: np.ndarray, bias: np.ndarray, data: dict, out: Path) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    # float16 halves the size; the weights are small numbers where its precision is ample
    np.savez_compressed(out / "tone.npz", weights=weights.astype(np.float16), bias=bias.astype(np.float32))
    heads = [{"name": "sentiment", "columns": [0, 1, 2], "kind": "softmax", "classes": list(SENTIMENT)}]
    heads += [{"name": h, "columns": [3 + i], "kind": "sigmoid"} for i, h in enumerate(BINARY_HEADS)]
    meta = {
        "version": 1,
        "features": {"n_hash": textmod.N_HASH, "dense_slots": list(textmod.dense_slot_names())},
        "heads": heads,
        "thresholds": {"hostile": 0.5, "abusive": 0.5, "offensive": 0.5, "sarcasm": 0.5},
        "training_rows": {head: len(rows) for head, rows in data.items()},
        "data": sorted(ALLOWED) + ["training/data/*.jsonl (Kawal team)"],
    }
    (out / "tone.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return meta


def log(verbose: bool, message: str) -> None:
    if verbose:
        print(message, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=None, help="at most N rows per source (for tests)")
    parser.add_argument("--out", type=Path, default=MODELS, help="output directory")
    parser.add_argument("--keep-lexicons", action="store_true", help="do not rewrite slang.json/lexicons.json")
    args = parser.parse_args()
    train(args.sample, args.out, rebuild_lexicons=not args.keep_lexicons)


if __name__ == "__main__":
    main()
