"""The sign-up form."""

from django import forms
from django.contrib.auth.forms import UserCreationForm


class RegisterForm(UserCreationForm):
    """Username, email address and the password twice.

    ``UserCreationForm`` already rejects a taken username (in any letter case), two
    passwords that differ and a password that fails ``AUTH_PASSWORD_VALIDATORS``.
    """

    email = forms.EmailField(help_text="We send your order confirmations here.")

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")
