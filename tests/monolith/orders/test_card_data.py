"""The card number in error reports: the checkout's POST and every frame filter it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.views.debug import SafeExceptionReporterFilter

from monolith.orders.apis import OrderCollectionApi
from monolith.orders.views import checkout_view

CARD = "4242 4242 4242 4242"


@pytest.mark.parametrize(
    "view", [checkout_view, OrderCollectionApi.as_view()], ids=["page", "api"]
)
def test_the_card_number_is_a_sensitive_post_parameter(rf, view):
    """What the admins' email would show of the POST: everything but the card."""
    request = rf.post("/checkout/", {"card_number": CARD, "shipping_name": "Ada"})
    request.user = AnonymousUser()  # refused: the decorator has marked it already

    view(request)
    shown = SafeExceptionReporterFilter().get_post_parameters(request)

    assert shown["shipping_name"] == "Ada"
    assert shown["card_number"] != CARD
    assert set(shown["card_number"]) == {"*"}
