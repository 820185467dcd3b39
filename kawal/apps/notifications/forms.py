"""The channel form: one form for every transport; the transport itself says which fields it needs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kawal.apps.incidents.models import Severity
from kawal.apps.notifications.models import ChannelKind
from kawal.apps.notifications.transports import transport_for

# Config keys per kind; the secret ones are never shown back and a blank field keeps the stored value.
FIELDS = {"email": ("to",), "webhook": ("url", "secret"), "slack": ("url",),
          "telegram": ("bot_token", "chat_id", "api_base")}
SECRETS = frozenset({"url", "secret", "bot_token"})


class ChannelForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=ChannelKind.choices)
    min_severity = forms.ChoiceField(label=_("Minimum severity"), choices=Severity.choices, initial="low")
    escalations_only = forms.BooleanField(label=_("Escalations only (a security channel)"), required=False)
    enabled = forms.BooleanField(label=_("Enabled"), required=False, initial=True)
    to = forms.CharField(label=_("E-mail recipients (comma-separated)"), required=False)
    url = forms.URLField(label=_("Webhook URL"), required=False, assume_scheme="https",
                         widget=forms.PasswordInput(render_value=False))
    secret = forms.CharField(label=_("Signing secret (generic webhook)"), required=False,
                             widget=forms.PasswordInput(render_value=False))
    bot_token = forms.CharField(label=_("Telegram bot token"), required=False,
                                widget=forms.PasswordInput(render_value=False))
    chat_id = forms.CharField(label=_("Telegram chat id"), required=False)
    api_base = forms.URLField(label=_("Telegram API base (blank: api.telegram.org)"), required=False,
                              assume_scheme="https")

    def __init__(self, *args: Any, stored: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stored = stored or {}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind")
        if not kind:
            return data
        config = {}
        for key in FIELDS[kind]:
            value = (data.get(key) or "").strip()
            if not value and key in SECRETS and kind == self.stored.get("_kind"):
                value = self.stored.get(key, "")
            if value:
                config[key] = value
        try:
            transport_for(kind, config)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        data["config"] = config
        return data
