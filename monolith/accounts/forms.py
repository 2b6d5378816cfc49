"""The sign-in and sign-up forms."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.http import HttpRequest

from monolith.shop import Refused, shop_for


class SignInForm(AuthenticationForm):
    """Django's sign-in form, checking the password wherever the shop keeps users."""

    # Optional in Django's form; needed here, to know which shop keeps the users.
    request: HttpRequest

    def __init__(self, request: HttpRequest, *args, **kwargs) -> None:
        super().__init__(request, *args, **kwargs)

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = shop_for(self.request).authenticate(
                    username=username, password=password
                )
            except Refused as exc:  # e.g. too many attempts
                raise forms.ValidationError(exc.messages) from exc
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class RegisterForm(UserCreationForm):
    """Username, email address and the password twice.

    ``UserCreationForm`` already rejects a taken username (in any letter case), two
    passwords that differ and a password that fails ``AUTH_PASSWORD_VALIDATORS``.
    """

    # Where the shop's errors go: the password's under its confirmation, as here.
    SHOP_FIELDS: dict[str | None, str] = {
        "username": "username",
        "email": "email",
        "password": "password2",
    }

    email = forms.EmailField(help_text="We send your order confirmations here.")

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")

    def add_refusal(self, refused: Refused) -> None:
        """Show the shop's reasons (the gateway's, in services mode) by their fields."""
        for name, messages in refused.errors.items():
            self.add_error(self.SHOP_FIELDS.get(name), messages)
