"""Forms of the members page: add a person, change roles, grant an account."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from kawal.apps.orgs.models import Organization, Role
from kawal.apps.social.models import SocialAccount


class RolesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Role.choices, widget=forms.CheckboxSelectMultiple, **kwargs)


class AddMemberForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    password = forms.CharField(label=_("Initial password"), strip=False, required=False,
                               widget=forms.PasswordInput,
                               help_text=_("For a new person only; they should change it. "
                                           "Leave empty to add an existing user."))
    roles = RolesField(label=_("Roles"))

    def clean(self) -> dict:
        data = super().clean()
        exists = get_user_model().objects.filter(username=data.get("username", "")).exists()
        if not exists:
            if not data.get("password"):
                self.add_error("password", _("A new person needs an initial password."))
            else:
                try:
                    validate_password(data["password"], get_user_model()(username=data.get("username", "")))
                except forms.ValidationError as error:
                    self.add_error("password", error)
        data["exists"] = exists
        return data


class RolesForm(forms.Form):
    roles = RolesField(label=_("Roles"))


class GrantForm(forms.Form):
    account = forms.ModelChoiceField(label=_("Account"), queryset=SocialAccount.objects.none())
    roles = RolesField(label=_("Roles on this account"))

    def __init__(self, *args: Any, org: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = SocialAccount.objects.filter(organization=org)


def _validate_timezone(value: str) -> str:
    from zoneinfo import available_timezones

    if value not in available_timezones():
        raise forms.ValidationError(_("Unknown time zone %(tz)s; use a name such as Asia/Jakarta."),
                                    params={"tz": value})
    return value


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "timezone"]

    def clean_timezone(self) -> str:
        return _validate_timezone(self.cleaned_data["timezone"])
