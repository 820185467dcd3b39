"""Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat accept the same body)."""

from __future__ import annotations

from kawal.apps.notifications.transports import base

EMOJI = {"critical": ":rotating_light:", "high": ":red_circle:", "medium": ":large_orange_diamond:",
         "low": ":large_blue_diamond:", "info": ":information_source:"}


def escape(text: str) -> str:
    """Slack's three control characters: a hijacker's post must not become a link or a mention."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def body_for(message: base.Message) -> dict:
    link = f"\n<{message.url}|Open in Kawal>" if message.url else ""
    header = f"{EMOJI.get(message.severity, '')} *{escape(message.subject)}*".strip()
    return {
        "text": escape(message.subject),
        "blocks": [{"type": "section", "text": {"type": "mrkdwn",
                                                 "text": f"{header}\n{escape(message.text)}{link}"}}],
    }


class Transport(base.Transport):
    required = ("url",)

    def notify(self, message: base.Message) -> None:
        base.post_json(self.config["url"], body_for(message))
