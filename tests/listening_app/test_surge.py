"""A synthetic surge in volume raises one alert with an explanation, opens one incident and notifies the
organisation's channels; quiet volume raises nothing, and feeding again raises nothing new."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from kawal.apps.incidents.models import Incident, Kind
from kawal.apps.listening.models import ListenItem, SurgeAlert, SurgeState, VolumeBucket
from kawal.apps.listening.understanding import settings_for
from kawal.apps.listening.volumes import count_pending, detect_surges, recount
from kawal.apps.notifications.models import Channel, Notification

pytestmark = pytest.mark.django_db

START = datetime(2026, 11, 16, 0, 0, tzinfo=UTC)   # a Monday
BUCKET = timedelta(minutes=5)
QUIET_BUCKETS = 260
SURGE_BUCKETS = 6


def story(org, n: int, at: datetime, *, outage: bool) -> ListenItem:
    topics = [{"topic": "outage", "label": "Outage or service disruption", "score": 0.99,
               "terms": ["gangguan", "tidak bisa login"]}] if outage else []
    return ListenItem(
        organization=org, source="webhook", external_id=f"s-{n}", text="gangguan lagi" if outage else "halo",
        at=at, published_at=at, received_at=at, classified_at=at, lang="id",
        sentiment="negative" if outage else "neutral", topic_keys=[t["topic"] for t in topics],
        topic_tags=",outage," if outage else "",
        classification={"lang": "id", "topics": topics, "entities": [], "reasons": ["test data"]})


def fill(org, quiet: int, surge: int, per_surge_bucket: int = 30) -> datetime:
    """Quiet buckets of 0-3 stories, then ``surge`` buckets of outage complaints; returns the end."""
    rng = random.Random(7)
    rows, n = [], 0
    for b in range(quiet + surge):
        at = START + b * BUCKET + timedelta(seconds=30)
        count = per_surge_bucket if b >= quiet else rng.randint(0, 3)
        for _ in range(count):
            rows.append(story(org, n, at, outage=b >= quiet))
            n += 1
    ListenItem.objects.bulk_create(rows)
    return START + (quiet + surge) * BUCKET


@pytest.fixture
def channel(org) -> Channel:
    channel = Channel(organization=org, name="Humas mail", kind="email")
    channel.set_config({"to": "humas@contoh.example"})
    channel.save()
    return channel


@pytest.fixture
def quick_rules(org) -> None:
    config = settings_for(org)
    config.bucket_minutes, config.warmup_buckets = 5, 48   # a day of 5-minute buckets is enough here
    config.save()


def run(now: datetime) -> None:
    while count_pending():
        pass
    detect_surges(now=now)


def test_a_surge_raises_one_alert_that_opens_an_incident(org, channel, quick_rules):
    end = fill(org, QUIET_BUCKETS, SURGE_BUCKETS)
    run(end + timedelta(minutes=10))

    alerts = list(SurgeAlert.objects.filter(organization=org, series="all"))
    assert len(alerts) == 1, [a.explanation for a in SurgeAlert.objects.all()]
    alert = alerts[0]
    assert START + QUIET_BUCKETS * BUCKET <= alert.started_at < end
    # habits are in the organisation's time: Monday 21:40 UTC is Tuesday 04:40 in Jakarta
    assert "× the usual Tuesday 04:" in alert.explanation
    assert "mostly 'gangguan' (outage) mentions in Indonesian" in alert.explanation
    assert alert.ratio is not None and alert.ratio > 3

    incident = alert.incident
    assert incident is not None and incident.kind == Kind.SURGE and alert.explanation in incident.summary
    assert Notification.objects.filter(incident=incident, channel=channel).exists()

    # Feeding again (nothing new has closed) raises nothing and opens nothing.
    run(end + timedelta(minutes=20))
    assert SurgeAlert.objects.filter(organization=org, series="all").count() == 1
    assert Incident.objects.filter(organization=org, kind=Kind.SURGE).count() == \
        SurgeAlert.objects.filter(organization=org).count()


def test_quiet_volume_raises_nothing_and_state_is_json(org, quick_rules):
    end = fill(org, QUIET_BUCKETS, 0)
    run(end + timedelta(minutes=10))
    assert not SurgeAlert.objects.exists()
    state = SurgeState.objects.get(organization=org, series="all")
    # at end + 10 min (2 min grace) the empty bucket after the data has closed too, and was fed as a zero
    assert state.fed_until == end + BUCKET and state.state["detector"]
    # every story counted once, in the series of its bucket
    assert sum(VolumeBucket.objects.filter(series="all").values_list("count", flat=True)) == \
        ListenItem.objects.filter(organization=org).count()


def test_the_stream_continues_across_runs_like_one_run(org, quick_rules):
    """Fed in two runs (state stored as JSON in between), the detector raises the same alert as in one."""
    end = fill(org, QUIET_BUCKETS, SURGE_BUCKETS)
    run(START + 150 * BUCKET + timedelta(minutes=2))
    assert SurgeState.objects.get(organization=org, series="all").fed_until == START + 150 * BUCKET
    run(end + timedelta(minutes=10))
    alert = SurgeAlert.objects.get(organization=org, series="all")
    assert START + QUIET_BUCKETS * BUCKET <= alert.started_at < end


def test_a_new_bucket_size_counts_every_story_again(org, quick_rules):
    end = fill(org, 24, 0)
    run(end + timedelta(minutes=10))
    config = settings_for(org)
    config.bucket_minutes = 60
    config.save()
    recount(org)
    assert not SurgeState.objects.filter(organization=org).exists()
    run(end + timedelta(minutes=10))
    hourly = VolumeBucket.objects.filter(organization=org, series="all")
    assert all(b.start.minute == 0 for b in hourly)
    assert sum(b.count for b in hourly) == ListenItem.objects.filter(organization=org).count()


def test_one_event_seen_in_several_series_is_one_incident(org, channel):
    from kawal.apps.incidents.models import TimelineEntry
    from kawal.apps.listening.volumes import store_alert
    from kawal.engine.surge import Alert

    at = START + timedelta(hours=20)

    def alert(minutes_later: int, what: str) -> Alert:
        return Alert(started_at=at + timedelta(minutes=minutes_later), at=at + timedelta(minutes=minutes_later + 15),
                     observed=30, usual=3, peak_score=0.9, slot_label="Tuesday 03:00", explanation=what)

    first = store_alert(org, "all", alert(0, "10.0× the usual volume"))
    second = store_alert(org, "topic:outage", alert(5, "12.0× the usual outage volume"))
    assert first.incident_id == second.incident_id
    assert second.incident_note.startswith(f"Joined incident #{first.incident_id}")
    assert TimelineEntry.objects.filter(incident_id=first.incident_id,
                                        text__contains="'outage' mentions: 12.0×").exists()
    assert Notification.objects.filter(incident_id=first.incident_id).count() == 1   # notified once

    # Long after the cooldown (60 minutes), a new surge is a new incident.
    later = store_alert(org, "all", alert(240, "5.0× the usual volume"))
    assert later.incident_id not in (None, first.incident_id)
