"""Generic webhook: a JSON POST signed with HMAC-SHA256 so the receiver can trust it."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from kawal.apps.notifications.transports import base

SIGNATURE_HEADER = "X-Kawal-Signature"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """``t=<unix time>,v1=<hex hmac of "t.body">``: the timestamp stops replays of old deliveries."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


class Transport(base.Transport):
    required = ("url",)

    def notify(self, message: base.Message) -> None:
        body = json.dumps({"event": message.event, "severity": message.severity, "subject": message.subject,
                           "text": message.text, "url": message.url, "data": message.payload},
                          ensure_ascii=False, sort_keys=True).encode()
        headers = {"Content-Type": "application/json", "User-Agent": "Kawal"}
        if self.config.get("secret"):
            headers[SIGNATURE_HEADER] = sign(self.config["secret"], str(int(time.time())), body)
        base.post_json(self.config["url"], {}, headers=headers, content=body)
