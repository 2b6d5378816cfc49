"""The checkout form: where to ship, and the card to charge."""

import uuid

from django import forms

from monolith.payments.cards import luhn_valid, normalize

from .services import INVALID_CARD_NUMBER


class CheckoutForm(forms.Form):
    shipping_name = forms.CharField(label="Full name", max_length=200)
    shipping_address = forms.CharField(
        label="Address", max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    card_number = forms.CharField(
        label="Card number",
        max_length=40,
        help_text="Test cards: 4242 4242 4242 4242 is approved, "
        "4000 0000 0000 0002 is declined.",
        widget=forms.TextInput(
            attrs={"autocomplete": "cc-number", "inputmode": "numeric"}
        ),
    )
    # A fresh key for each form shown: a double click on "Pay" sends the same key
    # twice, and order_place answers the second with the first order.
    idempotency_key = forms.CharField(
        max_length=255, required=False, widget=forms.HiddenInput, initial=uuid.uuid4
    )

    def clean_card_number(self) -> str:
        number = self.cleaned_data["card_number"]
        if not luhn_valid(number):
            raise forms.ValidationError(INVALID_CARD_NUMBER)
        return normalize(number)

    def clean_idempotency_key(self) -> str | None:
        return self.cleaned_data["idempotency_key"] or None
