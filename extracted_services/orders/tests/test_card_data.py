"""The card number in error reports: filtered out of every frame that holds it."""

import pytest
from django.views.debug import ExceptionReporter

from extracted_services.orders.services import placement

from .conftest import APPROVED_CARD

pytestmark = pytest.mark.django_db

CRASH = "catalog answered something nobody expected"


def test_an_error_report_never_shows_the_card_number(
    place_kwargs, catalog, monkeypatch, rf, card_open
):
    """A crash mid-placement: the report shows the frames, not the number."""

    def crash(**kwargs):
        raise RuntimeError(CRASH)

    monkeypatch.setattr(placement, "stock_reserve", crash)
    with pytest.raises(RuntimeError) as raised:
        placement.order_place(**place_kwargs)
    # From order_place's frame down, as the view's report would show them: this
    # test's own frame holds the number in place_kwargs.
    report = ExceptionReporter(
        rf.post("/api/orders/"), raised.type, raised.value, raised.tb.tb_next
    ).get_traceback_html()  # the admins' email attaches it, local variables and all

    assert CRASH in report
    assert "shipping_address" in report  # the frames' variables are in it
    assert place_kwargs["card_number"] == "4242 4242 4242 4242"
    for spelling in (APPROVED_CARD, place_kwargs["card_number"]):
        assert spelling not in report
