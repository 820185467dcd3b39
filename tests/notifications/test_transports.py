import hashlib
import hmac

import pytest
from django.core import mail

from kawal.apps.notifications.transports import Message, TransportError, transport_for
from kawal.apps.notifications.transports.webhook import SIGNATURE_HEADER
from tests.notifications.receiver import Receiver

MESSAGE = Message(subject="Unsanctioned post on @brand", severity="high", url="http://kawal.test/incidents/7",
                  text="posted from 'Twitter Web App'; the last 1,200 posts all came from 'Sprinklr'",
                  payload={"incident": 7})


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def test_webhook_posts_signed_json(receiver):
    transport_for("webhook", {"url": receiver.url + "/hook", "secret": "s3cret"}).notify(MESSAGE)
    [req] = receiver.requests
    assert req["json"]["subject"] == MESSAGE.subject
    assert req["json"]["data"] == {"incident": 7}
    stamp, sig = (part.split("=", 1)[1] for part in req["headers"][SIGNATURE_HEADER].split(","))
    expected = hmac.new(b"s3cret", stamp.encode() + b"." + req["raw"], hashlib.sha256).hexdigest()
    assert sig == expected


def test_slack_sends_the_reasons_as_mrkdwn(receiver):
    transport_for("slack", {"url": receiver.url}).notify(MESSAGE)
    block = receiver.requests[0]["json"]["blocks"][0]["text"]["text"]
    assert "Sprinklr" in block and "<http://kawal.test/incidents/7|Open in Kawal>" in block


def test_telegram_calls_send_message_and_hides_the_token_in_errors():
    bad = Receiver(status=401, body={"ok": False, "description": "Unauthorized"})
    try:
        transport = transport_for("telegram", {"bot_token": "123:SECRET", "chat_id": "-100", "api_base": bad.url})
        with pytest.raises(TransportError) as err:
            transport.notify(MESSAGE)
        assert err.value.permanent
        assert "SECRET" not in str(err.value)
        assert bad.requests[0]["path"] == "/bot123:SECRET/sendMessage"
        assert bad.requests[0]["json"]["parse_mode"] == "HTML"
    finally:
        bad.close()


def test_a_server_error_is_transient():
    failing = Receiver(status=503)
    try:
        with pytest.raises(TransportError, match="HTTP 503") as err:
            transport_for("webhook", {"url": failing.url}).notify(MESSAGE)
        assert not err.value.permanent
    finally:
        failing.close()


def test_an_unreachable_receiver_is_a_clear_transient_error():
    with pytest.raises(TransportError, match="could not reach"):
        transport_for("slack", {"url": "http://127.0.0.1:9/hook"}).notify(MESSAGE)


def test_email_goes_through_django_mail(settings):
    transport_for("email", {"to": "soc@example.org; pr@example.org"}).notify(MESSAGE)
    [sent] = mail.outbox
    assert sent.to == ["soc@example.org", "pr@example.org"]
    assert sent.subject == "[Kawal] [HIGH] Unsanctioned post on @brand"
    assert "Sprinklr" in sent.body


def test_missing_configuration_is_named():
    with pytest.raises(ValueError, match="telegram channel needs chat_id"):
        transport_for("telegram", {"bot_token": "x"})
    with pytest.raises(ValueError, match="unknown notification transport 'pager'"):
        transport_for("pager", {})
