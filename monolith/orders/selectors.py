"""Order reads: people see only their own orders."""

from django.db.models import QuerySet

from .models import Order


def order_list(*, user) -> QuerySet[Order]:
    """The user's orders, newest first.

    The payment comes in the same query (a join) and the lines in one more query
    for the whole page, whatever its length: no query per order.
    """
    return (
        Order.objects.filter(user=user)
        .select_related("payment")
        .prefetch_related("lines")
    )


def order_get(*, user, order_id: int) -> Order:
    """One of the user's orders; someone else's raises Order.DoesNotExist (a 404)."""
    return order_list(user=user).get(pk=order_id)
