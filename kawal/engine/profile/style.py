"""Writing style: a handful of cheap, readable traits (length, capitals, exclamation marks, emoji, how the
post opens and ends, its sign-off) each with its own smoothed distribution; the surprisal is their sum.

Each trait is one small integer, so learning is a list increment and scoring a division per trait.
"""

from __future__ import annotations

import math
import re
from typing import Any

from kawal.engine.profile.base import BinnedModel, CategoricalModel, Signal, percent
from kawal.engine.profile.features import PostFeatures

_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF]")
_UPPER = re.compile(r"[A-Z\u00C0-\u00DE]")
_CAPS_WORD = re.compile(r"\b[A-Z]{3,}\b")
_MONEY = re.compile(r"[$€£%]|\bRp\.?\s?\d|\b\d+[kK]\b")
_LENGTHS = (20, 50, 100, 140, 200, 280)


def _bucket(value: float, edges: tuple[float, ...]) -> int:
    for index, edge in enumerate(edges):
        if value < edge:
            return index
    return len(edges)


def _lead(text: str) -> int:
    if not text:
        return 0
    first = text[0]
    if first == "@":
        return 1
    if text.startswith("RT "):
        return 2
    if first == "#":
        return 3
    if first in "\"'“‘":
        return 4
    if first == ".":
        return 5
    if first.isupper():
        return 6
    if first.islower():
        return 7
    return 8 if first.isdigit() else 0


def _ending(text: str, signed: bool) -> int:
    stripped = text.rstrip()
    if not stripped:
        return 0
    if signed:
        return 1
    if stripped.rsplit(None, 1)[-1].startswith(("http://", "https://")):
        return 2
    last = stripped[-1]
    return {"!": 3, ".": 4, "?": 5}.get(last, 6 if last.isalnum() else 7)


# (name, number of values, what a person reads for each value)
TRAITS: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("length", 7, ("under 20 characters", "20-49 characters", "50-99 characters", "100-139 characters",
                   "140-199 characters", "200-279 characters", "280 characters or more")),
    ("capitals", 4, ("few capital letters", "some capital letters", "many capital letters",
                     "mostly capital letters")),
    ("exclamations", 4, ("no '!'", "one '!'", "two '!'", "three or more '!'")),
    ("questions", 3, ("no '?'", "one '?'", "several '?'")),
    ("emoji", 2, ("no emoji", "emoji")),
    ("opening", 9, ("an empty or symbol opening", "opening with a @mention", "opening with 'RT'",
                    "opening with '#'", "opening with a quote mark", "opening with '.'",
                    "opening with a capital letter", "opening with a lower-case letter", "opening with a digit")),
    ("ending", 8, ("an empty ending", "ending with a sign-off", "ending with a link", "ending with '!'",
                   "ending with '.'", "ending with '?'", "ending with a word", "ending with a symbol or emoji")),
    ("lines", 2, ("one line", "several lines")),
    ("shouting", 3, ("no all-capital words", "one all-capital word", "several all-capital words")),
    ("ellipsis", 2, ("no ellipsis", "an ellipsis")),
    ("link", 2, ("no link", "a link")),
    ("hashtags", 4, ("no hashtag", "one hashtag", "two hashtags", "three or more hashtags")),
    ("money", 2, ("no money or percent figures", "money or percent figures")),
)


def traits_of(features: PostFeatures) -> tuple[int, ...]:
    cached = features.memo.get("style")
    if cached is None:
        cached = features.memo["style"] = _traits(features)
    return cached


def _traits(features: PostFeatures) -> tuple[int, ...]:
    text, body = features.post.text, features.body
    letters = sum(map(len, features.words))   # letters of the words (no links, handles, hashtags)
    # Cheap string tests first (C speed): most posts have few capitals, no emoji and no ellipsis.
    upper = 0 if body == body.lower() else len(_UPPER.findall(body))
    caps = min(1.0, upper / letters) if letters else 0.0
    return (
        _bucket(len(body), _LENGTHS),
        _bucket(caps, (0.08, 0.2, 0.5)),
        min(body.count("!"), 3),
        min(body.count("?"), 2),
        0 if body.isascii() or not _EMOJI.search(body) else 1,
        _lead(text),
        _ending(text, features.signoff is not None),
        1 if "\n" in body else 0,
        min(len(_CAPS_WORD.findall(body)), 2) if upper >= 3 else 0,
        1 if "..." in body or "…" in body else 0,
        1 if features.domains or "http" in text else 0,
        min(len(features.hashtags), 3),
        1 if _MONEY.search(body) else 0,
    )


class StyleSignal(Signal):
    name = "style"

    def __init__(self) -> None:
        self.traits = [BinnedModel(size, prior=0.5) for _, size, _ in TRAITS]
        self.signoffs = CategoricalModel(discount=0.5, concentration=1.0)

    def _bits(self, values: tuple[int, ...]) -> list[float]:
        log2 = math.log2
        return [log2((m.total + m.prior * m.size) / (m.counts[v] + m.prior))
                for m, v in zip(self.traits, values, strict=True)]

    def surprisal(self, features: PostFeatures) -> float | None:
        if self.traits[0].total == 0:
            return None
        total = sum(self._bits(traits_of(features)))
        if features.signoff is not None and self.signoffs.n:
            total += self.signoffs.bits(features.signoff)
        return total

    def explain(self, features: PostFeatures) -> str:
        values = traits_of(features)
        bits = self._bits(values)
        ranked = sorted(range(len(bits)), key=bits.__getitem__, reverse=True)[:2]
        parts = []
        if features.signoff is not None and self.signoffs.count(features.signoff) == 0:
            parts.append(f"signed '{features.signoff}', a sign-off never used before")
        for index in ranked:
            name, _, labels = TRAITS[index]
            model = self.traits[index]
            share = model.counts[values[index]] / model.total
            parts.append(f"{labels[values[index]]} ({percent(share)} of this account's posts)")
        return "; ".join(parts[:2])

    def learn(self, features: PostFeatures) -> None:
        for model, value in zip(self.traits, traits_of(features), strict=True):
            model.add(value)
        if features.signoff is not None:
            self.signoffs.add(features.signoff)

    def state(self) -> dict[str, Any]:
        return {"traits": {name: model.state() for (name, _, _), model in zip(TRAITS, self.traits, strict=True)},
                "signoffs": self.signoffs.state()}

    def load(self, state: dict[str, Any]) -> None:
        for (name, _, _), model in zip(TRAITS, self.traits, strict=True):
            model.load(state.get("traits", {}).get(name, {}))
        self.signoffs.load(state.get("signoffs", {}))
