"""Forms of the publishing pages. Times are entered in the organisation's time zone and stored in UTC."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _


def parse_local(value: str, tz_name: str) -> datetime | None:
    """``YYYY-MM-DDTHH:MM`` in the organisation's zone as an aware datetime; None for empty."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        naive = datetime.fromisoformat(value)
    except ValueError:
        raise forms.ValidationError(_("%(value)s is not a date and time (YYYY-MM-DD HH:MM)."),
                                    params={"value": value}) from None
    if naive.tzinfo is not None:
        return naive
    return naive.replace(tzinfo=ZoneInfo(tz_name))


class ScheduleField(forms.CharField):
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"})

    def __init__(self, *, tz_name: str = "UTC", **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.tz_name = tz_name

    def clean(self, value: Any) -> datetime | None:
        return parse_local(super().clean(value), self.tz_name)


def reply_to_field() -> forms.CharField:
    return forms.CharField(label=_("In reply to (address or id of the post answered; empty: a new post)"),
                           max_length=600, required=False)


def reply_to_text_field() -> forms.CharField:
    return forms.CharField(label=_("Text of the post answered (pasted; screening reads the reply against it)"),
                           required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ComposeForm(forms.Form):
    account = forms.ChoiceField(label=_("Account"))
    title = forms.CharField(label=_("Title (internal)"), max_length=200, required=False)
    reply_to = reply_to_field()
    reply_to_text = reply_to_text_field()
    text = forms.CharField(label=_("Post"), widget=forms.Textarea(attrs={"rows": 6}))
    scheduled_at = ScheduleField(label=_("Publish at (empty: as soon as approved)"))
    submit_now = forms.BooleanField(label=_("Submit for approval now"), required=False, initial=True)

    def __init__(self, *args: Any, accounts: list[Any], tz_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.accounts = {str(a.pk): a for a in accounts}
        self.fields["account"].choices = [(str(a.pk), str(a)) for a in accounts]
        self.fields["scheduled_at"].tz_name = tz_name

    def clean_account(self) -> Any:
        return self.accounts[self.cleaned_data["account"]]


class EditForm(forms.Form):
    reply_to = reply_to_field()
    reply_to_text = reply_to_text_field()
    text = forms.CharField(label=_("Post"), widget=forms.Textarea(attrs={"rows": 6}))
    scheduled_at = ScheduleField(label=_("Publish at (empty: as soon as approved)"))
    base_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, tz_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scheduled_at"].tz_name = tz_name


class BreakGlassForm(forms.Form):
    account = forms.ChoiceField(label=_("Account"))
    text = forms.CharField(label=_("Post"), widget=forms.Textarea(attrs={"rows": 4}))
    reason = forms.CharField(label=_("Reason (goes on the record)"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, accounts: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.accounts = {str(a.pk): a for a in accounts}
        self.fields["account"].choices = [(str(a.pk), str(a)) for a in accounts]

    def clean_account(self) -> Any:
        return self.accounts[self.cleaned_data["account"]]
