"""Forms of the login, two-factor, setup and API token pages."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}))
    password = forms.CharField(label=_("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class TokenForm(forms.Form):
    otp_token = forms.CharField(label=_("Six-digit code"), max_length=12, widget=forms.TextInput(
        attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}))


class SetupForm(forms.Form):
    username = forms.CharField(label=_("Your username"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Password (again)"), strip=False, widget=forms.PasswordInput)
    org_name = forms.CharField(label=_("Organisation name"), max_length=200)

    def clean(self) -> dict:
        data = super().clean()
        # Each problem goes beside the field it concerns, so the page names it once and in place.
        if data.get("password") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif data.get("password"):
            try:
                validate_password(data["password"], get_user_model()(username=data.get("username", ""),
                                                                      email=data.get("email", "")))
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100,
                           help_text=_("What it is for, e.g. 'CI scheduler'."))


def error_lines(form: forms.BaseForm) -> list[str]:
    """A form's errors as sentences for a message, each field named by its label (never its code name, and
    never Django's ``__all__`` for errors of the whole form)."""
    lines = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        text = " ".join(str(error) for error in errors)
        lines.append(f"{field.label}: {text}" if field is not None and field.label else text)
    return lines
