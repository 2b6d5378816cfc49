"""The cart, kept in the session as ``{"product_id": quantity}``: no table, no query."""

from collections.abc import Iterator

SESSION_KEY = "cart"
MIN_QUANTITY = 1
MAX_QUANTITY = 99  # per line, the same limit the order API enforces


class Cart:
    """A view of ``request.session``'s cart that speaks product ids as ints.

    ``len(cart)`` is the number of items (the header's badge); iterating gives
    the product ids. Out-of-range quantities raise ValueError: forms check them
    first, so a ValueError here is a bug in the caller.
    """

    def __init__(self, session):
        self.session = session
        # JSON session keys are always strings; convert once, here.
        stored = session.get(SESSION_KEY, {})
        self._lines = {int(product_id): qty for product_id, qty in stored.items()}

    def __len__(self) -> int:
        return sum(self._lines.values())

    def __iter__(self) -> Iterator[int]:
        return iter(self._lines)

    def __contains__(self, product_id: int) -> bool:
        return product_id in self._lines

    def lines(self) -> dict[int, int]:
        """``{product_id: quantity}``, a copy the caller may change."""
        return dict(self._lines)

    def add(self, product_id: int, quantity: int = 1) -> int:
        """Put ``quantity`` more in, up to 99 a line; return how many went in."""
        _check(quantity, MIN_QUANTITY)
        before = self._lines.get(product_id, 0)
        self._lines[product_id] = min(before + quantity, MAX_QUANTITY)
        self._save()
        return self._lines[product_id] - before

    def set(self, product_id: int, quantity: int) -> None:
        """Make the line ``quantity`` long; 0 removes it."""
        _check(quantity, 0)
        if quantity == 0:
            self.remove(product_id)
            return
        self._lines[product_id] = quantity
        self._save()

    def remove(self, product_id: int) -> None:
        """Take the line out of the cart (nothing happens if it is not there)."""
        if self._lines.pop(product_id, None) is not None:
            self._save()

    def clear(self) -> None:
        self._lines = {}
        self._save()

    def _save(self) -> None:
        # Assigning a new dict (not changing the stored one) marks the session
        # modified, so Django writes it at the end of the request.
        self.session[SESSION_KEY] = {str(pid): qty for pid, qty in self._lines.items()}


def _check(quantity: int, lowest: int) -> None:
    if not lowest <= quantity <= MAX_QUANTITY:
        raise ValueError(f"quantity must be {lowest}..{MAX_QUANTITY}, not {quantity}")
