"""The connect/edit form of a social account. Credentials are write-only: never rendered back."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from kawal.apps.social.models import SocialAccount


class WriteOnlyTextarea(forms.Textarea):
    """Never renders its value, not even after a failed submit, so a secret never returns to the page."""

    def format_value(self, value: Any) -> None:
        return None


class AccountForm(forms.ModelForm):
    credentials_json = forms.CharField(
        label=_("Credentials (JSON)"), required=False, strip=True,
        widget=WriteOnlyTextarea(attrs={"rows": 3, "autocomplete": "off", "spellcheck": "false"}),
        help_text=_('e.g. {"access_token": "…"}. Stored encrypted; never shown again. '
                    "Leave empty to keep the stored credentials."))
    sanctioned_clients_text = forms.CharField(
        label=_("Sanctioned clients"), required=False,
        help_text=_("Apps allowed to post on this account besides Kawal, comma-separated, e.g. Sprinklr, "
                    "Hootsuite."))

    class Meta:
        model = SocialAccount
        fields = ["platform", "handle", "display_name", "base_url", "is_executive", "principal", "timezone"]

    def __init__(self, *args: Any, org: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.org = org
        self.fields["principal"].queryset = get_user_model().objects.filter(memberships__organization=org)
        self.fields["principal"].help_text = _("For an executive account: the person who signs off posts "
                                               "written in their name.")
        if self.instance.pk:
            self.fields["sanctioned_clients_text"].initial = ", ".join(self.instance.sanctioned_clients)

    def clean_credentials_json(self) -> dict | None:
        raw = self.cleaned_data["credentials_json"]
        if not raw:
            return None
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(_("Credentials must be a JSON object: %(error)s"),
                                        params={"error": exc.msg}) from None
        if not isinstance(value, dict) or not value:
            raise forms.ValidationError(_('Credentials must be a non-empty JSON object such as '
                                          '{"access_token": "…"}.'))
        return value

    def clean_sanctioned_clients_text(self) -> list[str]:
        raw = self.cleaned_data["sanctioned_clients_text"]
        return [c.strip() for c in raw.split(",") if c.strip()]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("is_executive") and not data.get("principal"):
            self.add_error("principal", _("An executive account needs its principal."))
        if data.get("platform") in ("mastodon", "bluesky") and not data.get("base_url"):
            if data.get("platform") == "mastodon":
                self.add_error("base_url", _("Mastodon needs the instance address, e.g. https://mastodon.social"))
        exists = SocialAccount.objects.filter(organization=self.org, platform=data.get("platform"),
                                              base_url=data.get("base_url") or "", handle=data.get("handle"))
        if self.instance.pk:
            exists = exists.exclude(pk=self.instance.pk)
        if exists.exists():
            self.add_error("handle", _("This account is already connected."))
        return data


class PauseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)
