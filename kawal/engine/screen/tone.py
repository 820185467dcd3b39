"""Tone scores for a post: sentiment, offensive, abusive, hostile toward the addressee, sarcasm.

One hashed feature vector per text (``kawal.engine.screen.text``) feeds several linear heads stored together
in ``kawal/engine/models/tone.npz`` (weights) and ``tone.json`` (head layout, thresholds, provenance).
Inference is numpy only; the model is rebuilt by ``training/train_tone.py``.

``score`` returns probabilities in 0..1 under the keys hostile, abusive, offensive, negative, neutral,
positive, sarcasm, plus ``lang`` ("id", "en" or "other"). ``labels`` turns scores into decisions with the
shipped thresholds; ``explain`` names the words that pushed a score up.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from kawal.engine.screen import text as textmod
from kawal.engine.screen.langid import detect

SENTIMENT = ("negative", "neutral", "positive")
BINARY_HEADS = ("hostile", "abusive", "offensive", "sarcasm")
SCORE_KEYS = ("hostile", "abusive", "offensive", "negative", "neutral", "positive", "sarcasm")
RAW_TOKEN_RE = re.compile(r"[^\s]+")
SPAN_LOOKAHEAD = 64  # how far ahead a normalised token is looked for among the raw pieces
# Words that show a post speaks to someone: second person, and Indonesian vocatives and insult frames
# ("dasar ...", "woi ...", "min" for the admin of an account).
ADDRESSING = textmod.SECOND_PERSON | frozenset(
    "dasar woi woy heh hei hey oi min admin kak kakak pak bapak bu ibu mas mbak bang bro sis".split()
)


@dataclass(frozen=True)
class Head:
    """One output of the model: its weight columns and how they turn into probabilities."""

    name: str
    columns: tuple[int, ...]
    kind: str  # "softmax" over several columns or "sigmoid" of one


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


class ToneModel:
    """The shipped tone model. Use :meth:`load` (cached) rather than the constructor."""

    def __init__(self, weights: np.ndarray, bias: np.ndarray, meta: dict[str, Any]) -> None:
        if weights.shape[0] != textmod.n_features():
            raise ValueError(
                f"tone model has {weights.shape[0]} feature rows but the feature extractor makes "
                f"{textmod.n_features()}: rebuild it with training/train_tone.py"
            )
        self.weights = weights.astype(np.float32)
        self.bias = bias.astype(np.float32)
        self.meta = meta
        self.heads = {h["name"]: Head(h["name"], tuple(h["columns"]), h["kind"]) for h in meta["heads"]}
        self.thresholds: dict[str, float] = dict(meta.get("thresholds", {}))

    @classmethod
    def load(cls) -> ToneModel:
        """The model shipped in the package (read once per process; no network)."""
        return _load_shipped()

    @classmethod
    def from_files(cls, npz_path: str, json_path: str) -> ToneModel:
        with np.load(npz_path, allow_pickle=False) as arrays:
            weights, bias = arrays["weights"], arrays["bias"]
        with open(json_path, encoding="utf-8") as handle:
            meta = json.load(handle)
        return cls(weights, bias, meta)

    # scoring ------------------------------------------------------------------------------------------
    def logits(self, features: textmod.Features) -> np.ndarray:
        rows = self.weights[features.indices]
        return features.values @ rows + self.bias

    def _probabilities(self, z: np.ndarray) -> dict[str, float]:
        out: dict[str, float] = {}
        for head in self.heads.values():
            cols = list(head.columns)
            if head.kind == "softmax":
                probs = _softmax(z[cols])
                out.update({cls: float(p) for cls, p in zip(SENTIMENT, probs, strict=True)})
            else:
                out[head.name] = float(_sigmoid(z[cols[0]]))
        return out

    def context_features(self, reply_to_text: str | None) -> dict[str, float]:
        """Features describing the post being replied to: a reply to an angry or abusive post is where
        a dismissive answer does the most harm."""
        if not reply_to_text or not reply_to_text.strip():
            return {}
        z = self.logits(textmod.featurize(textmod.tokenize(reply_to_text)))
        probs = self._probabilities(z)
        return {
            "ctx:reply": 1.0,
            "ctx:reply_negative": probs.get("negative", 0.0),
            "ctx:reply_abusive": max(probs.get("abusive", 0.0), probs.get("offensive", 0.0)),
        }

    def score(self, text: str, lang: str | None = None, reply_to_text: str | None = None) -> dict[str, Any]:
        """Probabilities for every tone key, plus ``lang``."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, not {type(text).__name__}")
        tokens = textmod.tokenize(text)
        context = self.context_features(reply_to_text)
        scores: dict[str, Any] = self._probabilities(self.logits(textmod.featurize(tokens, context)))
        scores["hostile"] = combined_hostility(scores, tokens, bool(context))
        scores["lang"] = lang or detect(text)
        return {key: scores[key] for key in (*SCORE_KEYS, "lang")}

    def score_batch(
        self,
        texts: Sequence[str],
        langs: Sequence[str | None] | None = None,
        reply_to_texts: Sequence[str | None] | None = None,
    ) -> list[dict[str, Any]]:
        """``score`` for many texts; same results as calling it one by one."""
        n = len(texts)
        for name, seq in (("langs", langs), ("reply_to_texts", reply_to_texts)):
            if seq is not None and len(seq) != n:
                raise ValueError(f"{name} has {len(seq)} items but texts has {n}")
        langs = langs if langs is not None else [None] * n
        replies = reply_to_texts if reply_to_texts is not None else [None] * n
        return [self.score(t, lang=lg, reply_to_text=r) for t, lg, r in zip(texts, langs, replies, strict=True)]

    # decisions ----------------------------------------------------------------------------------------
    def labels(self, scores: dict[str, Any]) -> dict[str, Any]:
        """Booleans for hostile/abusive/offensive (shipped thresholds) and the most likely sentiment."""
        out: dict[str, Any] = {
            name: bool(scores[name] >= self.thresholds.get(name, 0.5)) for name in ("hostile", "abusive", "offensive")
        }
        out["sentiment"] = max(SENTIMENT, key=lambda k: scores[k])
        return out

    # explanation --------------------------------------------------------------------------------------
    def explain(
        self,
        text: str,
        head: str | None = None,
        reply_to_text: str | None = None,
        top: int = 5,
    ) -> list[tuple[tuple[int, int], str, float]]:
        """The words that pushed ``head`` up most: ``[((start, end), feature, contribution)]``.

        ``head`` is a score key ("hostile", "abusive", "offensive", "negative", "sarcasm", ...); by default
        the riskiest of hostile/abusive/offensive. ``(start, end)`` are character offsets into ``text``;
        ``feature`` says what was seen (e.g. ``word 'goblok'`` or ``lexicon abuse_strong: 'goblok'``);
        ``contribution`` is the change in the head's logit that the word's features add (positive = more).
        """
        tokens = textmod.tokenize(text)
        feats = textmod.featurize(tokens, self.context_features(reply_to_text))
        if head is None or head == "hostile":
            raw = self._probabilities(self.logits(feats))
            combined = combined_hostility(raw, tokens, reply_to_text is not None and bool(reply_to_text.strip()))
            if head is None:
                head = max(("abusive", "offensive"), key=lambda k: raw[k]) if combined > raw["hostile"] else "hostile"
            elif combined > raw["hostile"]:
                head = "abusive"  # the hostility comes from abuse aimed at the addressee
        column = self._column(head)
        weight_of = dict(zip(feats.indices.tolist(), (feats.values * self.weights[feats.indices, column]).tolist(),
                             strict=True))
        spans = token_spans(text, tokens)
        contributions = self._token_contributions(tokens, weight_of)
        ranked = sorted(range(len(tokens)), key=lambda i: -contributions[i][0])
        out: list[tuple[tuple[int, int], str, float]] = []
        for i in ranked[:top]:
            value, label = contributions[i]
            if value <= 0 or spans[i] is None:
                continue
            out.append((spans[i], label, round(value, 4)))
        return out

    def _column(self, key: str) -> int:
        if key in SENTIMENT:
            return self.heads["sentiment"].columns[SENTIMENT.index(key)]
        if key not in self.heads:
            raise ValueError(f"unknown tone head {key!r}; expected one of {', '.join(SCORE_KEYS)}")
        return self.heads[key].columns[0]

    def _token_contributions(self, tokens: list[str], weight_of: dict[int, float]) -> list[tuple[float, str]]:
        hits_at: dict[int, list[textmod.LexiconHit]] = {}
        for hit in textmod.lexicon_hits(tokens):
            for position in range(hit.start, hit.end):
                hits_at.setdefault(position, []).append(hit)
        slots = textmod.dense_slot_index()
        result: list[tuple[float, str]] = []
        for i, tok in enumerate(tokens):
            names = {n for n in textmod.feature_names([tok])}
            if i + 1 < len(tokens):
                names.add(f"b:{tok}_{tokens[i + 1]}")
            if i > 0:
                names.add(f"b:{tokens[i - 1]}_{tok}")
            value = sum(weight_of.get(textmod.bucket(n), 0.0) for n in names)
            label = f"word {tok!r}"
            for hit in hits_at.get(i, ()):
                slot = textmod.N_HASH + slots[f"lex:{hit.lexicon}"]
                value += weight_of.get(slot, 0.0) / (hit.end - hit.start)
                label = f"lexicon {hit.lexicon}: {hit.entry!r}"
            result.append((value, label))
        return result


def combined_hostility(scores: dict[str, float], tokens: Sequence[str], is_reply: bool) -> float:
    """Hostility toward the addressee: the hostile head (dismissive, mocking, condescending tone) or abuse
    aimed at someone. Abuse counts fully when the post addresses someone (a reply, a leading mention, "you",
    "lu", "kamu") and half otherwise, since an undirected swear word is offensive rather than hostile."""
    directed = is_reply or (bool(tokens) and tokens[0] == "xuser") or any(t in ADDRESSING for t in tokens)
    aimed_abuse = max(scores["abusive"], scores["offensive"]) * (1.0 if directed else 0.5)
    return max(scores["hostile"], aimed_abuse)


def token_spans(text: str, tokens: Sequence[str]) -> list[tuple[int, int] | None]:
    """Character spans in ``text`` for each normalised token (None for placeholders and punctuation that
    cannot be traced back). Each raw whitespace-separated piece is re-normalised and matched in order."""
    pieces: list[tuple[str, int, int]] = []
    for match in RAW_TOKEN_RE.finditer(text):
        for sub in textmod.TOKEN_RE.finditer(textmod.strip_accents(match.group(0)).lower()):
            raw = sub.group(0)
            norm = textmod.normalise_token(raw.strip("_")) if raw[0].isalnum() or raw[0] in "*@$_" else raw
            for part in norm.split():
                pieces.append((part, match.start() + sub.start(), match.start() + sub.end()))
    spans: list[tuple[int, int] | None] = []
    cursor = 0
    for tok in tokens:
        found = None
        for j in range(cursor, min(len(pieces), cursor + SPAN_LOOKAHEAD)):
            if pieces[j][0] == tok:
                found = (pieces[j][1], pieces[j][2])
                cursor = j + 1
                break
        spans.append(found)
    return spans


@lru_cache(maxsize=1)
def _load_shipped() -> ToneModel:
    package = resources.files("kawal.engine.models")
    with package.joinpath("tone.npz").open("rb") as handle, np.load(handle, allow_pickle=False) as arrays:
        weights, bias = arrays["weights"], arrays["bias"]
    meta = json.loads(package.joinpath("tone.json").read_text(encoding="utf-8"))
    return ToneModel(weights, bias, meta)
