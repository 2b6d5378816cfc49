"""Reads: the paid order lines training needs, and the recommendations themselves."""

from django.conf import settings

from monolith.orders.models import Order, OrderLine

from .model import Line, Model, Scored
from .serving import ModelHolder

_holders: dict[str, ModelHolder] = {}


def paid_lines() -> list[Line]:
    """Every line of every paid order: (order_id, product_id, quantity)."""
    lines = OrderLine.objects.filter(order__status=Order.Status.PAID)
    return list(lines.values_list("order_id", "product_id", "quantity"))


def paid_order_count() -> int:
    """Paid orders with lines: what a model trained now would have seen."""
    paid = Order.objects.filter(status=Order.Status.PAID, lines__isnull=False)
    return paid.distinct().count()


def model_current() -> Model:
    """The newest model this process has loaded (swapped in while it serves)."""
    directory = settings.RECOMMENDATIONS_MODEL_DIR
    holder = _holders.get(str(directory))
    if holder is None:  # one per folder: tests point each at a folder of their own
        holder = _holders.setdefault(
            str(directory),
            ModelHolder(
                directory, check_every=settings.RECOMMENDATIONS_RELOAD_INTERVAL
            ),
        )
    return holder.current()


def recommendation_list(*, product_id: int, limit: int) -> tuple[Model, str, Scored]:
    """The model that answered, its strategy, and at most ``limit`` scored products."""
    model = model_current()
    strategy, results = model.recommend(product_id=product_id, limit=limit)
    return model, strategy, results
