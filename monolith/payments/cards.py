"""Card numbers: tidy up what people type, and check it with the Luhn checksum.

Copied on purpose to the orders service (orders/cards.py), which checks the number
before it reserves any stock; tests/test_copies.py keeps the two identical.
"""

import re

MIN_DIGITS = 12
MAX_DIGITS = 19

# People type card numbers in groups: "4242 4242 4242 4242" or "4242-4242-…".
_SEPARATORS = re.compile(r"[\s-]+")


def normalize(number: str) -> str:
    """Strip the spaces and dashes people put between the groups of digits."""
    return _SEPARATORS.sub("", number)


def luhn_valid(number: str) -> bool:
    """True when ``number`` has 12 to 19 digits and passes the Luhn checksum.

    The checksum catches typos (one wrong digit, two swapped neighbours); it says
    nothing about whether the card exists. https://en.wikipedia.org/wiki/Luhn_algorithm
    """
    digits = normalize(number)
    # isascii(): str.isdigit() also accepts digits such as "²" or "٣".
    if not (digits.isascii() and digits.isdigit()):
        return False
    if not MIN_DIGITS <= len(digits) <= MAX_DIGITS:
        return False
    total = 0
    # From the rightmost digit leftwards, double every second digit.
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0
