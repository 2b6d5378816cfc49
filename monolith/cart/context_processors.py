"""The number of items in the cart, for the header's badge (no database query)."""

from .cart import Cart


def cart_summary(request):
    session = getattr(request, "session", None)  # absent in bare RequestFactory tests
    if session is None:
        return {}
    return {"cart_count": len(Cart(session))}
