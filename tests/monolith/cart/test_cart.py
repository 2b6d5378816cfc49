"""The session cart: quantities per product, kept as JSON in the session."""

import pytest
from django.contrib.sessions.backends.base import SessionBase

from monolith.cart.cart import MAX_QUANTITY, SESSION_KEY, Cart


@pytest.fixture
def session():
    # A session that never loads or saves: the Cart only reads and assigns keys.
    return SessionBase()


def test_a_new_cart_is_empty(session):
    """No lines, length 0, and falsy."""
    cart = Cart(session)

    assert cart.lines() == {}
    assert len(cart) == 0
    assert not cart


def test_adding_twice_adds_up(session):
    """Adding a product again increases its line; len() counts items."""
    cart = Cart(session)

    cart.add(7, 2)
    cart.add(7, 3)
    cart.add(8)

    assert cart.lines() == {7: 5, 8: 1}
    assert len(cart) == 6


def test_the_cart_is_stored_in_the_session_and_read_back(session):
    """Keys are strings in the session (JSON) and ints in the cart."""
    Cart(session).add(7, 2)

    assert session[SESSION_KEY] == {"7": 2}
    assert session.modified
    assert Cart(session).lines() == {7: 2}


def test_a_line_stops_at_the_maximum(session):
    """Adding beyond 99 fills the line to 99 and reports how many went in."""
    cart = Cart(session)
    cart.add(7, 95)

    added = cart.add(7, 10)

    assert added == MAX_QUANTITY - 95
    assert cart.lines() == {7: MAX_QUANTITY}


@pytest.mark.parametrize("quantity", [0, -1, MAX_QUANTITY + 1])
def test_adding_an_out_of_range_quantity_is_a_value_error(session, quantity):
    """Forms check quantities first; the cart refuses the rest."""
    with pytest.raises(ValueError, match="quantity"):
        Cart(session).add(7, quantity)


def test_set_replaces_a_quantity_and_zero_removes(session):
    """set() makes the line exactly that long; 0 takes it out."""
    cart = Cart(session)
    cart.add(7, 5)
    cart.add(8, 1)

    cart.set(7, 2)
    cart.set(8, 0)

    assert cart.lines() == {7: 2}


@pytest.mark.parametrize("quantity", [-1, MAX_QUANTITY + 1])
def test_set_refuses_out_of_range_quantities(session, quantity):
    """Only 0..99 may be set."""
    with pytest.raises(ValueError, match="quantity"):
        Cart(session).set(7, quantity)


def test_remove_and_clear(session):
    """remove() drops one line (missing ones quietly); clear() drops all."""
    cart = Cart(session)
    cart.add(7)
    cart.add(8)

    cart.remove(7)
    cart.remove(999)
    assert cart.lines() == {8: 1}

    cart.clear()
    assert cart.lines() == {}
    assert Cart(session).lines() == {}


def test_membership_and_iteration_use_product_ids(session):
    """``id in cart`` and ``for id in cart`` speak ints."""
    cart = Cart(session)
    cart.add(7)

    assert 7 in cart
    assert 8 not in cart
    assert list(cart) == [7]


def test_lines_is_a_copy(session):
    """Changing the returned dict does not change the cart."""
    cart = Cart(session)
    cart.add(7)

    cart.lines()[7] = 50

    assert cart.lines() == {7: 1}
