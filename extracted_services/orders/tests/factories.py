"""factory_boy factories for the orders service's orders and their lines."""

import uuid
from decimal import Decimal

import factory

from extracted_services.orders.models import Order, OrderLine


class OrderFactory(factory.django.DjangoModelFactory):
    """A pending order without lines; see PaidOrderFactory for a whole one."""

    class Meta:
        model = Order

    user_id = factory.Sequence(lambda n: 1000 + n)
    username = factory.LazyAttribute(lambda order: f"user{order.user_id}")
    order_ref = factory.LazyFunction(uuid.uuid4)
    status = Order.Status.PENDING
    total = Decimal("0.00")
    shipping_name = "Ada Lovelace"
    shipping_address = "12 St James's Square\nLondon"


class OrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    product_id = factory.Sequence(lambda n: 500 + n)
    name = factory.Sequence(lambda n: f"Product {n}")
    unit_price = Decimal("19.99")
    quantity = 1


class PaidOrderFactory(OrderFactory):
    """A paid order with one line (2 x 19.99), as payments' approval left it."""

    class Meta:
        skip_postgeneration_save = True  # the line needs no second save

    status = Order.Status.PAID
    total = Decimal("39.98")
    payment_status = Order.PaymentStatus.APPROVED
    card_last4 = "4242"
    line = factory.RelatedFactory(
        OrderLineFactory, factory_related_name="order", quantity=2
    )
