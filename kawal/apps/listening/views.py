"""Listening pages: the stories heard (filters by topic, sentiment and language) with the volume chart and
its surges, topic and sentiment charts; the settings page (feeds, mention queries, the organisation's
names, surge rules, webhook secret); and the webhook intake (CSRF-exempt, HMAC-checked)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from kawal.apps.audit.log import record
from kawal.apps.listening.charts import (
    SENTIMENT_COLOURS,
    bars_svg,
    sentiment_counts,
    topic_counts,
    topic_labels,
    volume_chart,
)
from kawal.apps.listening.forms import ConfigForm, FeedForm, QueryForm
from kawal.apps.listening.ingest import store_items
from kawal.apps.listening.models import SERIES_ALL, Feed, ListenItem, MentionQuery, SurgeAlert
from kawal.apps.listening.understanding import settings_for
from kawal.apps.listening.volumes import (
    bucket_seconds,
    recount,
    series_label,
    utc_offset_minutes,
    watched_series,
)
from kawal.apps.orgs.current import current_org
from kawal.apps.orgs.models import Organization
from kawal.apps.orgs.permissions import can
from kawal.apps.web.forms import error_lines
from kawal.sources.intake import Intake

PAGE = 50
CHART_DAYS = 7
SENTIMENTS = ("negative", "neutral", "positive")
LANGS = {"id": "Indonesian", "en": "English", "other": "Other"}


def _org(request: HttpRequest, action: str = "listening.view") -> Organization:
    org = current_org(request)
    if org is None or not can(request.user, action, org=org):
        raise PermissionDenied(_("Your roles do not allow this."))
    return org


def labelled(alerts: Any) -> list[SurgeAlert]:
    rows = list(alerts)
    for row in rows:
        row.label = series_label(row.series)
    return rows


def filtered(org: Organization, params: Any) -> tuple[Any, dict[str, str]]:
    """Stories of the organisation with the list's filters applied (topic, sentiment, language)."""
    chosen = {key: params.get(key, "") for key in ("topic", "sentiment", "lang")}
    stories = ListenItem.objects.filter(organization=org, duplicate_of__isnull=True)
    if chosen["sentiment"]:
        stories = stories.filter(sentiment=chosen["sentiment"])
    if chosen["lang"]:
        stories = stories.filter(lang=chosen["lang"])
    if chosen["topic"]:
        stories = stories.filter(topic_tags__contains=f',{chosen["topic"]},')
    return stories, chosen


@login_required
def home(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    config = settings_for(org)
    now = timezone.now()
    stories, chosen = filtered(org, request.GET)
    page = Paginator(stories.prefetch_related("copies"), PAGE).get_page(request.GET.get("page"))
    labels = topic_labels()
    since = now - timedelta(days=CHART_DAYS)
    offset = utc_offset_minutes(org, now)
    watched = watched_series(org)
    series = request.GET.get("series", SERIES_ALL)
    if series not in watched:
        series = SERIES_ALL
    return render(request, "listening/home.html", {
        "series": series, "watched": watched,
        "page": page, "chosen": chosen, "topics": sorted(labels.items(), key=lambda kv: kv[1]),
        "sentiments": SENTIMENTS, "langs": LANGS.items(), "labels": labels,
        "volume_svg": volume_chart(org, series, bucket_seconds(config), now, offset),
        "topic_svg": bars_svg(topic_counts(org, since, labels), label="Stories per topic"),
        "sentiment_svg": bars_svg(sentiment_counts(org, since), SENTIMENT_COLOURS, label="Stories per sentiment"),
        "alerts": labelled(SurgeAlert.objects.filter(organization=org).select_related("incident")[:10]),
        "watched_labels": [(name, series_label(name)) for name in watched],
        "pending": ListenItem.objects.filter(organization=org, classified_at__isnull=True,
                                             duplicate_of__isnull=True).count(),
        "can_configure": can(request.user, "listening.configure", org=org),
    })


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    config = settings_for(org)
    initial = {"aliases": "\n".join(config.aliases), "handles": "\n".join(config.handles),
               "products": "\n".join(config.products),
               "executives": "\n".join(f"{e.get('name', '')} | {e.get('title') or ''} | {' '.join(e.get('handles', []))}"
                                       for e in config.executives),
               "topic_overrides": _json(config.topic_overrides), "bucket_minutes": config.bucket_minutes,
               "sensitivity": config.sensitivity, "min_duration_minutes": config.min_duration_minutes,
               "cooldown_minutes": config.cooldown_minutes, "warmup_buckets": config.warmup_buckets}
    return render(request, "listening/settings.html", {
        "feeds": Feed.objects.filter(organization=org),
        "queries": MentionQuery.objects.filter(organization=org).select_related("account"),
        "feed_form": FeedForm(), "query_form": QueryForm(org=org), "config_form": ConfigForm(initial=initial),
        "config": config, "can_configure": can(request.user, "listening.configure", org=org),
        "intake_url": request.build_absolute_uri(f"/listening/intake/{org.slug}/"),
        "new_secret": request.session.pop("listening_new_secret", None),
    })


def _json(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, indent=2) if value else ""


@require_POST
@login_required
def add_feed(request: HttpRequest) -> HttpResponse:
    org = _org(request, "listening.configure")
    form = FeedForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Feed not added: %(errors)s") % {"errors": _errors(form)})
    elif Feed.objects.filter(organization=org, url=form.cleaned_data["url"]).exists():
        messages.error(request, _("This feed is already watched."))
    else:
        feed = form.save(commit=False)
        feed.organization = org
        feed.save()
        record("listening.feed.added", actor=request.user, organization=org, target=feed, payload={"url": feed.url})
        messages.success(request, _("Feed added; it is read within a minute."))
    return redirect("listening:settings")


@require_POST
@login_required
def remove_feed(request: HttpRequest, feed_id: int) -> HttpResponse:
    org = _org(request, "listening.configure")
    feed = get_object_or_404(Feed, organization=org, pk=feed_id)
    record("listening.feed.removed", actor=request.user, organization=org, target=feed, payload={"url": feed.url})
    feed.delete()
    messages.success(request, _("Feed removed; the stories it brought stay."))
    return redirect("listening:settings")


@require_POST
@login_required
def add_query(request: HttpRequest) -> HttpResponse:
    org = _org(request, "listening.configure")
    form = QueryForm(request.POST, org=org)
    if not form.is_valid():
        messages.error(request, _("Search not added: %(errors)s") % {"errors": _errors(form)})
    else:
        query = form.save(commit=False)
        query.organization = org
        query.save()
        record("listening.query.added", actor=request.user, organization=org, target=query,
               payload={"query": query.query, "account": query.account_id})
        messages.success(request, _("Mention search added."))
    return redirect("listening:settings")


@require_POST
@login_required
def remove_query(request: HttpRequest, query_id: int) -> HttpResponse:
    org = _org(request, "listening.configure")
    query = get_object_or_404(MentionQuery, organization=org, pk=query_id)
    record("listening.query.removed", actor=request.user, organization=org, target=query,
           payload={"query": query.query})
    query.delete()
    messages.success(request, _("Mention search removed."))
    return redirect("listening:settings")


@require_POST
@login_required
def save_config(request: HttpRequest) -> HttpResponse:
    org = _org(request, "listening.configure")
    form = ConfigForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Settings not saved: %(errors)s") % {"errors": _errors(form)})
        return redirect("listening:settings")
    config = settings_for(org)
    old_bucket = config.bucket_minutes
    for key, value in form.values().items():
        setattr(config, key, value)
    config.save()
    if config.bucket_minutes != old_bucket:
        recount(org)
        messages.info(request, _("The bucket size changed: the volume series are counted again and the surge "
                                 "detectors start a new warm-up."))
    record("listening.settings.changed", actor=request.user, organization=org, target=config,
           payload={key: value for key, value in form.values().items() if key != "topic_overrides"})
    messages.success(request, _("Listening settings saved; new stories are classified with them."))
    return redirect("listening:settings")


@require_POST
@login_required
def rotate_secret(request: HttpRequest) -> HttpResponse:
    org = _org(request, "listening.configure")
    config = settings_for(org)
    secret = config.rotate_webhook_secret()
    config.save()
    record("listening.webhook.secret_rotated", actor=request.user, organization=org, target=config)
    request.session["listening_new_secret"] = secret   # shown once, on the next page
    return redirect("listening:settings")


def _errors(form: Any) -> str:
    return "; ".join(error_lines(form))


@csrf_exempt
@require_POST
def intake(request: HttpRequest, slug: str) -> HttpResponse:
    """Signed batches of items from the organisation's own senders (see docs/listening.md)."""
    org = Organization.objects.filter(slug=slug).first()
    secret = settings_for(org).get_webhook_secret() if org else None
    if org is None or secret is None:
        raise Http404("no webhook intake here")
    answer = Intake(secret).handle(request.body, dict(request.headers))
    body = answer.body()
    if answer.accepted:
        stored = store_items(org, answer.items, source="webhook")
        body.update(new=stored.new, duplicates=stored.duplicates, already_seen=stored.seen)
    return JsonResponse(body, status=answer.status)
