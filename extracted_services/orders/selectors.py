"""Order reads: people see only their own orders."""

from django.db.models import QuerySet

from .models import Order


def order_list(*, user_id: int) -> QuerySet[Order]:
    """The user's orders, newest first.

    The payment's outcome is a few fields of the order itself (no join, as the
    monolith needs), and the lines come in one more query for the whole page.
    """
    return Order.objects.filter(user_id=user_id).prefetch_related("lines")


def order_get(*, user_id: int, order_id: int) -> Order:
    """One of the user's orders; someone else's raises Order.DoesNotExist (a 404)."""
    return order_list(user_id=user_id).get(pk=order_id)
