"""Telegram bot: ``sendMessage`` to a chat. The API base is configurable so tests use a local server."""

from __future__ import annotations

import html

from kawal.apps.notifications.transports import base

DEFAULT_API = "https://api.telegram.org"


def text_for(message: base.Message) -> str:
    link = f'\n\n<a href="{html.escape(message.url)}">Open in Kawal</a>' if message.url else ""
    return f"<b>[{message.severity.upper()}] {html.escape(message.subject)}</b>\n\n{html.escape(message.text)}{link}"


class Transport(base.Transport):
    required = ("bot_token", "chat_id")

    def notify(self, message: base.Message) -> None:
        api = (self.config.get("api_base") or DEFAULT_API).rstrip("/")
        url = f"{api}/bot{self.config['bot_token']}/sendMessage"
        body = {"chat_id": self.config["chat_id"], "text": text_for(message)[:4096], "parse_mode": "HTML",
                "disable_web_page_preview": True}
        response = base.post_json(url, body, label=f"{api}/bot…/sendMessage")
        data = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
        if data.get("ok") is False:
            raise base.TransportError(f"Telegram refused the message: {data.get('description', 'no reason')}",
                                      permanent=True)
