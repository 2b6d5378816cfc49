"""factory_boy factories for orders, their lines and payments."""

from decimal import Decimal

import factory

from monolith.orders.models import Order, OrderLine
from monolith.payments.models import Payment
from tests.factories import ProductFactory, UserFactory


class OrderFactory(factory.django.DjangoModelFactory):
    """An order without lines or payment; see PaidOrderFactory for a whole one."""

    class Meta:
        model = Order

    user = factory.SubFactory(UserFactory)
    status = Order.Status.PENDING
    total = Decimal("0.00")
    shipping_name = "Ada Lovelace"
    shipping_address = "12 St James's Square\nLondon"


class OrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    product = factory.SubFactory(ProductFactory)
    name = factory.LazyAttribute(lambda line: line.product.name)
    unit_price = factory.LazyAttribute(lambda line: line.product.price)
    quantity = 1


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    order = factory.SubFactory(OrderFactory)
    amount = factory.LazyAttribute(lambda payment: payment.order.total)
    status = Payment.Status.APPROVED
    card_last4 = "4242"


class PaidOrderFactory(OrderFactory):
    """A paid order with one line (2 x 19.99) and its approved payment."""

    class Meta:
        skip_postgeneration_save = True  # the related rows need no second save

    status = Order.Status.PAID
    total = Decimal("39.98")
    line = factory.RelatedFactory(
        OrderLineFactory, factory_related_name="order", quantity=2
    )
    payment = factory.RelatedFactory(PaymentFactory, factory_related_name="order")
