"""Forms of the listening settings page; each says what is wrong in words."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kawal.apps.listening.models import Feed, MentionQuery
from kawal.engine.listen.entities import OrgConfigError, org_from_mapping
from kawal.engine.listen.topics import TopicConfigError, build, default_topics


class FeedForm(forms.ModelForm):
    url = forms.URLField(label=_("Feed address"), max_length=1000, assume_scheme="https")
    interval_minutes = forms.IntegerField(label=_("Read every (minutes)"), min_value=1, max_value=1440,
                                          required=False)

    class Meta:
        model = Feed
        fields = ["url", "title", "interval_minutes", "full_text"]

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError(_("A feed address must start with http:// or https://."))
        return url

    def clean_interval_minutes(self) -> int:
        return self.cleaned_data["interval_minutes"] or Feed._meta.get_field("interval_minutes").default


class QueryForm(forms.ModelForm):
    interval_minutes = forms.IntegerField(label=_("Search every (minutes)"), min_value=1, max_value=1440,
                                          required=False)

    def clean_interval_minutes(self) -> int:
        return self.cleaned_data["interval_minutes"] or MentionQuery._meta.get_field("interval_minutes").default
    class Meta:
        model = MentionQuery
        fields = ["account", "query", "interval_minutes"]

    def __init__(self, *args: Any, org: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if org is not None:
            self.fields["account"].queryset = org.accounts.all()


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class ConfigForm(forms.Form):
    aliases = forms.CharField(label=_("Other names (one per line)"), widget=forms.Textarea(attrs={"rows": 3}),
                              required=False)
    handles = forms.CharField(label=_("Handles (one per line)"), widget=forms.Textarea(attrs={"rows": 3}),
                              required=False)
    products = forms.CharField(label=_("Products (one per line)"), widget=forms.Textarea(attrs={"rows": 3}),
                               required=False)
    executives = forms.CharField(
        label=_("Executives (one per line: name | title | @handle @handle)"),
        widget=forms.Textarea(attrs={"rows": 3}), required=False)
    topic_overrides = forms.CharField(
        label=_("Topic overrides (JSON, the shape of a topic file)"), widget=forms.Textarea(attrs={"rows": 5}),
        required=False)
    bucket_minutes = forms.IntegerField(label=_("Bucket (minutes)"), min_value=1, max_value=1440)
    sensitivity = forms.FloatField(label=_("Sensitivity (0..1)"), min_value=0.0, max_value=1.0)
    min_duration_minutes = forms.IntegerField(label=_("Minimum duration (minutes)"), min_value=0)
    cooldown_minutes = forms.IntegerField(label=_("Cooldown (minutes)"), min_value=0)
    warmup_buckets = forms.IntegerField(label=_("Warm-up (buckets before a surge can be called; new series)"),
                                        min_value=48, max_value=10_000)

    def clean_executives(self) -> list[dict[str, Any]]:
        people = []
        for number, line in enumerate(_lines(self.cleaned_data["executives"]), start=1):
            parts = [part.strip() for part in line.split("|")]
            if not parts[0]:
                raise forms.ValidationError(_("Line %(n)d has no name.") % {"n": number})
            handles = parts[2].split() if len(parts) > 2 else []
            people.append({"name": parts[0], "title": parts[1] if len(parts) > 1 else "", "handles": handles})
        try:
            org_from_mapping({"organization": {"name": "check"}, "executives": people}, "executives")
        except OrgConfigError as exc:
            raise forms.ValidationError(str(exc)) from None
        return people

    def clean_topic_overrides(self) -> dict[str, Any]:
        text = self.cleaned_data["topic_overrides"].strip()
        if not text:
            return {}
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(_("Not valid JSON: %(error)s") % {"error": exc}) from None
        if not isinstance(raw, dict):
            raise forms.ValidationError(_("Topic overrides must be a JSON object."))
        try:
            build(raw, "topic overrides", default_topics())
        except (TopicConfigError, TypeError, AttributeError) as exc:
            raise forms.ValidationError(str(exc)) from None
        return raw

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for key in ("aliases", "handles", "products"):
            data[key] = _lines(data[key])
        return data
