"""Stock held for orders: reserve it when an order is placed, release it if unpaid.

The monolith's ``stock_reserve`` and ``stock_release``, now called over HTTP by the
orders service (``apis/internal.py``). A request can be sent again when its answer
was lost, so each reservation is recorded under the order's reference: the same
reference twice takes the stock once, and a release gives it back once.
"""

from collections.abc import Mapping
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import (
    F,
    OuterRef,
    Prefetch,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..models import Product, Reservation, ReservationLine
from ..selectors import catalog_changed

OUT_OF_STOCK = "Only {available} of {name} left in stock."
UNKNOWN_PRODUCTS = "Unknown product ids: {ids}."
RESERVATION_RELEASED = (
    "Order {order_ref} was released before it was reserved: nothing is taken."
)


class UnknownProducts(Exception):
    def __init__(self, product_ids: list[int]):
        self.product_ids = sorted(product_ids)
        super().__init__(
            UNKNOWN_PRODUCTS.format(ids=", ".join(map(str, self.product_ids)))
        )


class ReservationReleased(Exception):
    """The order was given up, and its release came before this reservation."""

    def __init__(self, order_ref: UUID):
        super().__init__(RESERVATION_RELEASED.format(order_ref=order_ref))


class OutOfStock(Exception):
    def __init__(self, product: Product, requested: int):
        self.product = product
        self.requested = requested
        super().__init__(
            OUT_OF_STOCK.format(available=product.stock, name=product.name)
        )


def stock_reserve_for_order(
    *, order_ref: UUID, quantities: Mapping[int, int]
) -> tuple[Reservation, bool]:
    """Take ``{product_id: quantity}`` out of stock for one order, all or nothing.

    Returns the reservation and whether this call made it. The same ``order_ref``
    again returns the first reservation and takes nothing more, so the caller may
    retry. Raises UnknownProducts or OutOfStock, and then takes nothing.
    """
    existing = Reservation.objects.filter(order_ref=order_ref).first()
    if existing is not None:
        if existing.released_at is not None:
            raise ReservationReleased(order_ref)
        return existing, False
    try:
        with transaction.atomic():
            # Claim the reference first: a concurrent call for the same order
            # waits on the unique constraint until this one commits, then fails.
            reservation = Reservation.objects.create(order_ref=order_ref)
            _take_stock(reservation, quantities)
    except IntegrityError:
        # Outside the failed block the database can be read again: the call that
        # won the race made the reservation, and it stands for both.
        existing = Reservation.objects.filter(order_ref=order_ref).first()
        if existing is None:
            raise
        if existing.released_at is not None:
            raise ReservationReleased(order_ref) from None
        return existing, False
    transaction.on_commit(catalog_changed)
    return reservation, True


def _take_stock(reservation: Reservation, quantities: Mapping[int, int]) -> None:
    """The monolith's stock_reserve, writing down what it took and at what price.

    Rows are locked in id order (so two orders never deadlock on PostgreSQL); on
    SQLite the whole transaction already holds the write lock (IMMEDIATE mode).
    """
    products = {
        p.pk: p
        for p in Product.objects.select_for_update()
        .filter(pk__in=quantities)
        .order_by("pk")
    }
    missing = set(quantities) - set(products)
    if missing:
        raise UnknownProducts(list(missing))
    for product_id, quantity in sorted(quantities.items()):
        if products[product_id].stock < quantity:
            raise OutOfStock(products[product_id], quantity)
    for product_id, quantity in quantities.items():
        Product.objects.filter(pk=product_id).update(stock=F("stock") - quantity)
    # The name and price the order will show: the order keeps this snapshot.
    ReservationLine.objects.bulk_create(
        ReservationLine(
            reservation=reservation,
            product_id=product_id,
            name=products[product_id].name,
            price=products[product_id].price,
            quantity=quantity,
        )
        for product_id, quantity in sorted(quantities.items())
    )


def reservation_categories_add(*, reservation: Reservation) -> Reservation:
    """Give each of the reservation's lines a ``category``: its product's slug.

    Orders keeps the slug on its order lines, for its events. A line keeps no
    category of its own: read as the reservation is answered, the product's
    category is the one it is ordered in ("" for a product deleted since).
    """
    slug = Product.objects.filter(pk=OuterRef("product_id")).values("category__slug")
    lines = ReservationLine.objects.annotate(
        category=Coalesce(Subquery(slug[:1]), Value(""))
    )
    prefetch_related_objects([reservation], Prefetch("lines", queryset=lines))
    return reservation


@transaction.atomic
def stock_release_for_order(*, order_ref: UUID) -> bool:
    """Put an order's reserved stock back, once; False when there was nothing to do.

    The orders service calls this when a payment fails (the saga's compensation)
    and calls again until it hears an answer: only the first call changes stock.
    An unknown reference is nothing to do, not an error, but it is written down:
    orders also releases when its call to reserve timed out, and that call may
    still be on its way (queued while catalog was frozen, say). Arriving after the
    release, it finds this tombstone and takes nothing (ReservationReleased).
    """
    now = timezone.now()
    _, tombstone = Reservation.objects.get_or_create(
        order_ref=order_ref, defaults={"released_at": now}
    )
    if tombstone:
        return False
    # Claiming the release and giving the stock back commit together; the
    # conditional UPDATE lets only one of two concurrent calls claim it.
    claimed = Reservation.objects.filter(
        order_ref=order_ref, released_at__isnull=True
    ).update(released_at=now)
    if not claimed:
        return False
    lines = ReservationLine.objects.filter(reservation__order_ref=order_ref)
    for line in lines.order_by("product_id"):
        Product.objects.filter(pk=line.product_id).update(
            stock=F("stock") + line.quantity
        )
    transaction.on_commit(catalog_changed)
    return True
