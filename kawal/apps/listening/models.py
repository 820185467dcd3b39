"""Listening in the command center: what an organisation watches (feeds, mention queries, its own names),
what was heard (items with their classification stored as data), the volume series and their surges.

Classification results are findings: they are stored as JSON when an item is classified and shown as
stored, never re-derived, so a page shows exactly what the job decided and why.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kawal.apps.social.crypto import decrypt_json, encrypt_json

SERIES_ALL = "all"
MIN_SECRET_BYTES = 16


class ListeningSettings(models.Model):
    """One organisation's listening configuration: who it is (for entities), topics, buckets, webhook."""

    organization = models.OneToOneField("orgs.Organization", on_delete=models.CASCADE,
                                        related_name="listening_settings")
    aliases = models.JSONField(default=list, blank=True)       # other names: "Bank Contoh", "BCX"
    handles = models.JSONField(default=list, blank=True)       # "@bankcontoh"
    products = models.JSONField(default=list, blank=True)      # "ContohPay"
    executives = models.JSONField(default=list, blank=True)    # [{"name", "title", "handles"}]
    topic_overrides = models.JSONField(default=dict, blank=True)  # same shape as a --topics file
    bucket_minutes = models.PositiveIntegerField(default=15)
    sensitivity = models.FloatField(default=0.5)
    min_duration_minutes = models.PositiveIntegerField(default=15)
    cooldown_minutes = models.PositiveIntegerField(default=60)
    warmup_buckets = models.PositiveIntegerField(default=300)  # the benchmarked warm-up
    webhook_secret = models.TextField(blank=True)              # encrypted at rest (Fernet)
    webhook_secret_set_at = models.DateTimeField(null=True, blank=True)

    def set_webhook_secret(self, value: str) -> None:
        if len(value.encode()) < MIN_SECRET_BYTES:
            raise ValueError(f"the webhook secret must be at least {MIN_SECRET_BYTES} bytes")
        self.webhook_secret = encrypt_json({"secret": value})
        self.webhook_secret_set_at = timezone.now()

    def rotate_webhook_secret(self) -> str:
        """A new random secret (returned once to show the admin); call save() afterwards."""
        value = secrets.token_urlsafe(32)
        self.set_webhook_secret(value)
        return value

    def get_webhook_secret(self) -> str | None:
        return decrypt_json(self.webhook_secret)["secret"] if self.webhook_secret else None

    def org_mapping(self) -> dict[str, Any]:
        """The organisation file's shape (``kawal.engine.listen.entities.org_from_mapping``)."""
        return {"organization": {"name": self.organization.name, "aliases": list(self.aliases),
                                 "handles": list(self.handles), "products": list(self.products)},
                "executives": list(self.executives)}


class Feed(models.Model):
    """An RSS/Atom feed read with conditional GET."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="listening_feeds")
    url = models.URLField(max_length=1000)
    title = models.CharField(max_length=200, blank=True)
    enabled = models.BooleanField(default=True)
    interval_minutes = models.PositiveIntegerField(default=15)
    full_text = models.BooleanField(default=False)   # fetch each new article's page and extract its text
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    next_fetch_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=300, blank=True)   # "12 new, 3 already seen", "not modified"
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "url"], name="listening_feed_unique_url")]
        ordering = ["url"]

    def __str__(self) -> str:
        return self.title or self.url


class MentionQuery(models.Model):
    """A search run through the connector of one of the organisation's accounts."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE,
                                     related_name="listening_queries")
    account = models.ForeignKey("social.SocialAccount", on_delete=models.CASCADE, related_name="listening_queries")
    query = models.CharField(max_length=300)
    enabled = models.BooleanField(default=True)
    interval_minutes = models.PositiveIntegerField(default=5)
    since_id = models.CharField(max_length=200, blank=True)
    next_run_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=300, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["query"]

    def __str__(self) -> str:
        return f"{self.query} ({self.account})"


class ListenItem(models.Model):
    """One article or mention. A duplicate (syndicated copy) is kept, linked to its first item, and is
    neither classified again nor counted in any volume."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="listen_items")
    source = models.CharField(max_length=1000)           # feed URL, platform name, "webhook"
    external_id = models.CharField(max_length=500)
    kind = models.CharField(max_length=10, default="mention")
    title = models.TextField(blank=True)
    text = models.TextField(blank=True)
    url = models.URLField(max_length=2000, blank=True)
    author = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    at = models.DateTimeField(db_index=True)             # when it was said: published_at, else received_at
    feed = models.ForeignKey(Feed, null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    query = models.ForeignKey(MentionQuery, null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    extras = models.JSONField(default=dict, blank=True)
    # dedupe keys
    url_key = models.CharField(max_length=2000, blank=True, db_index=True)
    title_key = models.CharField(max_length=1000, blank=True, db_index=True)
    fingerprint = models.JSONField(null=True, blank=True)     # MinHash of long texts
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="copies")
    duplicate_reason = models.CharField(max_length=300, blank=True)
    # the classification, stored as found
    classified_at = models.DateTimeField(null=True, blank=True, db_index=True)
    lang = models.CharField(max_length=8, blank=True, db_index=True)
    sentiment = models.CharField(max_length=10, blank=True, db_index=True)
    topic_keys = models.JSONField(default=list, blank=True)   # ["outage", ...]
    topic_tags = models.CharField(max_length=1000, blank=True)  # ",outage,billing,": a portable filter
    classification = models.JSONField(default=dict, blank=True)  # lang, sentiment(+scores), topics, entities, reasons
    counted = models.BooleanField(default=False, db_index=True)  # added to the volume series

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "source", "external_id"],
                                               name="listening_item_unique_source_id")]
        indexes = [models.Index(fields=["organization", "at"])]
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return self.title or self.text[:80]

    @property
    def topics(self) -> list[dict[str, Any]]:
        return list(self.classification.get("topics", []))

    @property
    def entities(self) -> list[dict[str, Any]]:
        return list(self.classification.get("entities", []))

    @property
    def reasons(self) -> list[str]:
        return list(self.classification.get("reasons", []))


class VolumeBucket(models.Model):
    """How many stories of one series fell in one bucket; ``usual`` and ``score`` once the detector saw it."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="volume_buckets")
    series = models.CharField(max_length=120)    # "all", "topic:outage", "sentiment:negative", "query:7"
    start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)
    usual = models.FloatField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "series", "start"],
                                               name="listening_bucket_unique")]
        ordering = ["series", "start"]


class SurgeState(models.Model):
    """The surge monitor of one series (detector and alert rules), as JSON, and the buckets it has seen."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="surge_states")
    series = models.CharField(max_length=120)
    state = models.JSONField(default=dict)
    fed_until = models.DateTimeField()          # start of the next bucket to feed
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "series"], name="listening_surge_unique")]


class SurgeAlert(models.Model):
    """A surge worth a person's attention, with the sentence that explains it."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="surge_alerts")
    series = models.CharField(max_length=120)
    started_at = models.DateTimeField()
    at = models.DateTimeField()
    observed = models.FloatField()
    usual = models.FloatField(null=True, blank=True)
    ratio = models.FloatField(null=True, blank=True)
    peak_score = models.FloatField()
    explanation = models.TextField()
    data = models.JSONField(default=dict)       # the engine's Alert.to_json()
    incident = models.ForeignKey("incidents.Incident", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="surge_alerts")
    incident_note = models.CharField(max_length=300, blank=True)  # why there is no incident, when there is none
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("surge alert")

    def __str__(self) -> str:
        return f"{self.series}: {self.explanation}"
