"""The seam to the screening engine's language and tone models.

Listening reuses ``kawal.engine.screen.langid.detect`` and the shipped ``ToneModel`` rather than keeping
models of its own. They come in through :class:`Understanding`, two plain callables, so that the topic
and entity logic (and its tests) never depend on what a model happens to answer, and a caller can plug
in another model without touching the classifier.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

SENTIMENTS = ("negative", "neutral", "positive")
MODEL_CHARS = 2_000  # language and tone are read from the start of long articles: the lede decides both


@dataclass(frozen=True, slots=True)
class Sentiment:
    label: str                    # "negative", "neutral" or "positive"
    scores: dict[str, float]      # probability of each label
    source: str                   # what decided it, for the reason ("tone model")


@dataclass(frozen=True, slots=True)
class Understanding:
    language: Callable[[str], str]                  # text -> "id" | "en" | "other"
    sentiment: Callable[[str, str], Sentiment]      # (text, lang) -> Sentiment


def _tone_sentiment(text: str, lang: str) -> Sentiment:
    from kawal.engine.screen.tone import ToneModel

    model = ToneModel.load()
    scores = model.score(text[:MODEL_CHARS], lang=lang)
    label = model.labels(scores)["sentiment"]
    return Sentiment(label, {key: round(float(scores[key]), 4) for key in SENTIMENTS}, "tone model")


def _langid(text: str) -> str:
    from kawal.engine.screen.langid import detect

    return detect(text[:MODEL_CHARS])


def shipped() -> Understanding:
    """Language and sentiment from the screening engine's shipped models."""
    return Understanding(language=_langid, sentiment=_tone_sentiment)
