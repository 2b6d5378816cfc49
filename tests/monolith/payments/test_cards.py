"""Card numbers: normalizing what people type, and the Luhn check."""

import pytest

from monolith.payments.cards import luhn_valid, normalize


def test_normalize_drops_spaces_and_dashes():
    """Groups of digits typed with spaces or dashes become one run of digits."""
    assert normalize(" 4242 4242-4242  4242 ") == "4242424242424242"


@pytest.mark.parametrize(
    "number",
    [
        "4242424242424242",
        "4000000000000002",
        "4000000000009995",
        "4242 4242 4242 4242",
        "4242-4242-4242-4242",
        "378282246310005",  # 15 digits (American Express's test number)
        "5555555555554444",
    ],
)
def test_numbers_with_a_right_checksum_are_valid(number):
    """The test cards and other real-looking numbers pass."""
    assert luhn_valid(number)


@pytest.mark.parametrize(
    "number",
    [
        "4242424242424241",  # last digit wrong
        "2424424242424242",  # two neighbours swapped
        "4242",  # too short
        "42424242424242424242",  # too long: 20 digits
        "4242x42424242424",
        "\uff14\uff12" * 8,  # full-width digits: str.isdigit() says yes, Luhn no
        "",
    ],
)
def test_numbers_with_a_wrong_checksum_or_shape_are_invalid(number):
    """Typos, wrong lengths and anything but ASCII digits fail."""
    assert not luhn_valid(number)
