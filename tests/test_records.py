from datetime import UTC, datetime, timedelta, timezone

import pytest

from kawal.engine.records import Finding, Post


def test_it_keeps_created_at_in_utc():
    jakarta = timezone(timedelta(hours=7))
    post = Post(account="a", id="1", created_at=datetime(2024, 1, 1, 10, 0, tzinfo=jakarta), text="hi")
    assert post.created_at == datetime(2024, 1, 1, 3, 0, tzinfo=UTC)
    assert post.to_json()["created_at"] == "2024-01-01T03:00:00Z"


def test_it_rejects_an_unknown_severity():
    with pytest.raises(ValueError, match="unknown severity 'urgent'"):
        Finding(kind="x", severity="urgent", message="m")
