"""The product page's "Customers also bought", from the monolith's own model."""

from http import HTTPStatus

import pytest

from monolith.recommendations.services import model_train

pytestmark = pytest.mark.django_db
BLOCK = 'data-testid="also-bought"'


def test_the_product_page_shows_what_customers_also_bought(client, products, buy):
    """After paid orders of A with B (twice) and with C: B, then C, as links."""
    a, b, c, _ = products
    buy(a, b)
    buy(a, b)
    buy(a, c)
    model_train()

    response = client.get(a.get_absolute_url())

    assert response.status_code == HTTPStatus.OK
    text = response.text
    assert "Customers also bought" in text
    block = text[text.index(BLOCK) :]
    first, second = b.get_absolute_url(), c.get_absolute_url()
    assert block.index(f'href="{first}"') < block.index(f'href="{second}"')
    assert f'href="{a.get_absolute_url()}"' not in block


def test_without_a_model_the_page_has_no_block(client, products):
    """Nothing trained yet: the same page, without the block."""
    response = client.get(products[0].get_absolute_url())

    assert response.status_code == HTTPStatus.OK
    assert BLOCK not in response.text
