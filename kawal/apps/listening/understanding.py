"""Classify stored stories with the engine (language, sentiment, topics, entities, reasons) and store the
result as data. Copies of a story are not classified: the first item's findings stand for the story."""

from __future__ import annotations

import logging
from typing import Any

from django.utils import timezone

from kawal.apps.listening.models import ListeningSettings, ListenItem
from kawal.apps.orgs.models import Organization
from kawal.engine.listen.classify import Classification, Classifier
from kawal.engine.listen.entities import org_from_mapping
from kawal.engine.listen.topics import TopicSet, build, default_topics
from kawal.engine.records import Item

log = logging.getLogger(__name__)
BATCH = 50


def settings_for(org: Organization) -> ListeningSettings:
    found, _ = ListeningSettings.objects.get_or_create(organization=org)
    return found


def topics_for(config: ListeningSettings) -> TopicSet:
    """The shipped topics with the organisation's overrides layered on top (same shape as a topic file)."""
    base = default_topics()
    if not config.topic_overrides:
        return base
    return build(config.topic_overrides, f"topic overrides of {config.organization.slug}", base)


def classifier_for(org: Organization) -> Classifier:
    config = settings_for(org)
    profile = org_from_mapping(config.org_mapping(), f"listening settings of {org.slug}")
    return Classifier(topics_for(config), profile)


def as_item(row: ListenItem) -> Item:
    return Item(id=row.external_id, text=row.text, title=row.title or None, url=row.url or None,
                published_at=row.published_at, source=row.source, kind=row.kind, author=row.author or None,
                lang=row.lang or None)


def stored_form(result: Classification) -> dict[str, Any]:
    """The engine's record, with the terms behind each topic kept (alerts say what a surge is about)."""
    data = result.to_json()
    data["topics"] = [{"topic": hit.topic, "label": hit.label, "score": hit.score, "terms": list(hit.terms)}
                      for hit in result.topics]
    return data


def topic_tags(keys: list[str]) -> str:
    """",outage,billing,": one column every database filters the same way (``icontains ',outage,'``)."""
    return f",{','.join(keys)}," if keys else ""


def classify_row(row: ListenItem, classifier: Classifier) -> bool:
    """Classify and store; False when another worker stored a classification first.

    A story the engine cannot classify is stored with the error as its only reason (and counted in the
    total), so one bad story never holds up the queue and nobody wonders where it went.
    """
    try:
        result = classifier.classify(as_item(row))
    except Exception as exc:  # noqa: BLE001 - any engine failure is recorded on the story, in words
        log.exception("listening: could not classify item %s", row.pk)
        reason = f"classification failed: {type(exc).__name__}: {exc}"[:500]
        return ListenItem.objects.filter(pk=row.pk, classified_at__isnull=True).update(
            classified_at=timezone.now(), classification={"error": reason, "reasons": [reason]}) == 1
    changed = ListenItem.objects.filter(pk=row.pk, classified_at__isnull=True).update(
        classified_at=timezone.now(), lang=result.lang, sentiment=result.sentiment.label,
        topic_keys=[hit.topic for hit in result.topics], topic_tags=topic_tags([hit.topic for hit in result.topics]),
        classification=stored_form(result))
    return changed == 1


def classify_pending(limit: int = BATCH) -> bool:
    """Classify up to ``limit`` waiting stories; True when there were any."""
    rows = list(ListenItem.objects.filter(classified_at__isnull=True, duplicate_of__isnull=True)
                .select_related("organization").order_by("pk")[:limit])
    classifiers: dict[int, Classifier] = {}
    for row in rows:
        org = row.organization
        if org.pk not in classifiers:
            classifiers[org.pk] = classifier_for(org)
        classify_row(row, classifiers[org.pk])
    return bool(rows)
