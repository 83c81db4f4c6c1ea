from django import forms
from django.utils.translation import gettext_lazy as _

from zaireen.core.roles import Role


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=30,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-lg", "inputmode": "tel",
                   "autocomplete": "tel", "placeholder": "0300 1234567"}
        ),
    )  # fmt: skip


class CodeForm(forms.Form):
    phone = forms.CharField(widget=forms.HiddenInput, max_length=30)
    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-lg", "inputmode": "numeric",
                   "autocomplete": "one-time-code", "pattern": "[0-9 ]*"}
        ),
    )  # fmt: skip


class PasswordChoiceForm(forms.Form):
    password = forms.CharField(
        label=_("Password"),
        max_length=200,
        widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("Password again"),
        max_length=200,
        widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "new-password"}),
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=80,
        widget=forms.TextInput(
            attrs={"class": "form-control", "placeholder": _("e.g. leader app")}
        ),
    )


class StaffInviteForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (Role.ORGANISER_STAFF, Role.ORGANISER_STAFF.label),
            (Role.ORGANISER_ADMIN, Role.ORGANISER_ADMIN.label),
            (Role.GROUP_LEADER, Role.GROUP_LEADER.label),
        ],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        required=False,
        help_text=_("For admins and staff, who sign in with a password."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    email = forms.CharField(
        label=_("Email"),
        max_length=254,
        required=False,
        help_text=_("The invitation link is sent here."),
        widget=forms.EmailInput(attrs={"class": "form-control"}),
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=30,
        required=False,
        help_text=_("For group leaders, who sign in with a code sent by SMS."),
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "tel"}),
    )
