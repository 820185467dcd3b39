"""Classify one listening item: language, sentiment, topics and entities, each with its reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kawal.engine.listen.entities import Entity, OrgProfile, find_entities
from kawal.engine.listen.topics import TopicHit, TopicSet, default_topics
from kawal.engine.listen.understand import Sentiment, Understanding, shipped
from kawal.engine.records import Item


@dataclass(frozen=True, slots=True)
class Classification:
    id: str
    lang: str
    sentiment: Sentiment
    topics: tuple[TopicHit, ...]
    entities: tuple[Entity, ...]
    reasons: tuple[str, ...]
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_json(self) -> dict[str, Any]:
        """The record ``kawal listen classify`` writes, one per item."""
        return {
            "id": self.id, "lang": self.lang, "sentiment": self.sentiment.label,
            "sentiment_scores": self.sentiment.scores,
            "topics": [{"topic": hit.topic, "score": hit.score} for hit in self.topics],
            "entities": [entity.to_json() for entity in self.entities],
            "reasons": list(self.reasons), **self.extra,
        }


class Classifier:
    """Holds the topic set, the organisation and the models; ``classify(item)`` is pure per item."""

    def __init__(self, topics: TopicSet | None = None, org: OrgProfile | None = None,
                 understanding: Understanding | None = None) -> None:
        topics = topics or default_topics()
        # a copy: the organisation's executives must not leak into a topic set shared with other classifiers
        self.topics = TopicSet(dict(topics.topics), dict(topics.groups), topics.threshold)
        self.org = org
        self.understanding = understanding or shipped()
        if org is not None:
            self.topics.extend_group("executive", org.executive_terms())

    def classify(self, item: Item) -> Classification:
        whole = f"{item.title}\n{item.text}" if item.title else item.text
        lang, lang_reason = self._language(item, whole)
        sentiment = self.understanding.sentiment(whole, lang)
        hits = tuple(self.topics.match(whole))
        entities = tuple(find_entities(item.text, item.title, self.org))
        reasons = [lang_reason, _sentiment_reason(sentiment)]
        reasons += [hit.reason() for hit in hits] or ["no topic: none of the topic terms appear"]
        reasons += [entity.reason for entity in entities]
        return Classification(item.id, lang, sentiment, hits, entities, tuple(reasons))

    def _language(self, item: Item, text: str) -> tuple[str, str]:
        if item.lang in ("id", "en"):
            return item.lang, f"language {item.lang}: given by the source"
        lang = self.understanding.language(text)
        return lang, f"language {lang}: detected from the text"


def _sentiment_reason(sentiment: Sentiment) -> str:
    probability = sentiment.scores.get(sentiment.label)
    shown = f" ({probability:.2f})" if probability is not None else ""
    return f"sentiment {sentiment.label}{shown}: {sentiment.source}"
