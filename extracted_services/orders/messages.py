"""The names of the messages orders sends and receives, each written here once.

Their channels, senders, receivers and payloads are in docs/api/asyncapi.yaml; a
test fails when a name here is missing there. Payments keeps its own copy of the
names it shares with us (``payments/messages.py``): services share no code.
"""

# Commands: Celery tasks, sent by name to one service's queue.
PAYMENTS_CHARGE = "payments.charge"  # to payments: charge this order's card
PAYMENT_RESULT = "orders.payment_result"  # from payments: how the charge went
STOCK_RELEASE = "orders.stock_release"  # to our own worker: give the stock back

# Events: entries on the ORDER_EVENTS_STREAM stream, for every subscriber.
ORDER_PAID = "order.paid"
ORDER_FAILED = "order.failed"
