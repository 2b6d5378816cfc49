"""The names of the messages payments sends and receives, each written here once.

Their channels, senders, receivers and payloads are in docs/api/asyncapi.yaml; a
test fails when a name here is missing there. Orders keeps its own copy of the
names it shares with us (``orders/messages.py``): services share no code.
"""

# Commands: Celery tasks, sent by name to one service's queue.
PAYMENTS_CHARGE = "payments.charge"  # from orders: charge this order's card
PAYMENT_RESULT = "orders.payment_result"  # to orders: how the charge went
