"""Forms that put products in the cart and change their quantities."""

from django import forms

from .cart import MAX_QUANTITY, MIN_QUANTITY


class CartAddForm(forms.Form):
    product_id = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    quantity = forms.IntegerField(
        min_value=MIN_QUANTITY, max_value=MAX_QUANTITY, initial=1
    )


class CartUpdateForm(forms.Form):
    # 0 is allowed here: setting a line to nothing removes it.
    quantity = forms.IntegerField(min_value=0, max_value=MAX_QUANTITY)
