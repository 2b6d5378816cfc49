"""The cart's lines with their products, read in one batch."""

from decimal import Decimal

import pytest

from monolith.cart.selectors import cart_lines, cart_total
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_lines_come_with_their_products_in_one_query(django_assert_num_queries):
    """However many lines, one query; gone products are reported apart."""
    products = ProductFactory.create_batch(5)
    lines = {p.pk: 2 for p in products} | {424242: 1}

    with django_assert_num_queries(1):
        found, missing = cart_lines(lines=lines)
        names = [line.product.category.name for line in found]

    assert len(names) == 5
    assert missing == [424242]


def test_the_total_adds_up_the_line_totals():
    """Line total is unit price times quantity; the total their sum."""
    found, _ = cart_lines(
        lines={
            ProductFactory(price=Decimal("19.99")).pk: 2,
            ProductFactory(price=Decimal("0.01")).pk: 3,
        }
    )

    assert sorted(line.line_total for line in found) == [
        Decimal("0.03"),
        Decimal("39.98"),
    ]
    assert cart_total(found) == Decimal("40.01")


def test_an_empty_cart_totals_zero():
    """No lines, no query needed to say the total is 0.00."""
    assert cart_total([]) == Decimal("0.00")
