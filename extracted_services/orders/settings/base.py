"""The orders service's settings; the chassis brings what all services share.

ORDERS_QUEUE and PAYMENTS_QUEUE (where the outbox sends ``orders.*`` and
``payments.charge``), SERVICE_URLS["catalog"] and HTTP_TIMEOUT come from the chassis,
read from the environment.
"""

from extracted_services.chassis.card_sealing import pem_from_environment
from extracted_services.chassis.settings import *
from extracted_services.chassis.settings import (
    CACHES,
    CHASSIS_APPS,
    ORDERS_QUEUE,
    READINESS_CHECKS,
    database_for,
    env,
)

SERVICE_NAME = "orders"
# Named in the X-Served-By header and in page footers.
SERVED_BY = env("SERVED_BY", default="orders")
# Cookies of its own (its admin's): one service's cookie never replaces another's.
SESSION_COOKIE_NAME = "orders_sessionid"
CSRF_COOKIE_NAME = "orders_csrftoken"
ROOT_URLCONF = "extracted_services.orders.urls"
WSGI_APPLICATION = "extracted_services.orders.wsgi.application"
INSTALLED_APPS = [*CHASSIS_APPS, "extracted_services.orders"]
DATABASES = {"default": database_for("orders")}
CACHES["default"]["KEY_PREFIX"] = env("CACHE_KEY_PREFIX", default="orders")
SPECTACULAR_SETTINGS = {
    **SPECTACULAR_SETTINGS,
    "TITLE": "Orders service",
    "DESCRIPTION": "Place orders, list yours, read one (behind the gateway).",
}

# The outbox: payments.charge and orders.stock_release, sent after the commit, and
# the order.paid / order.failed events (docs/api/asyncapi.yaml).
OUTBOX_MODEL = "orders.OutboxMessage"
# The relay's heartbeat, which /readyz reads: named after this service's queue,
# which each deployment names (chassis/outbox.py, relay_heartbeat_name).
OUTBOX_RELAY_HEARTBEAT = f"{ORDERS_QUEUE}-outbox-relay"
# Payments' public key (PEM): orders seals each card number with it before anything
# is written, and cannot open what it sealed (chassis/card_sealing.py).
PAYMENTS_CARD_PUBLIC_KEY = pem_from_environment("PAYMENTS_CARD_PUBLIC_KEY")
# The Redis stream the order events go to, for every subscriber; never trimmed.
ORDER_EVENTS_STREAM = env("ORDER_EVENTS_STREAM", default="shop.order-events")
# Recovery (recovery.py): how old a claim, a placement or an unanswered charge must
# be before it is presumed lost. Longer than any live placement, which the catalog
# client bounds (one HTTP_TIMEOUT, or 3 quick tries); the chaos lab shortens them.
IDEMPOTENCY_CLAIM_SECONDS = env.float("IDEMPOTENCY_CLAIM_SECONDS", default=30)
RESERVATION_SECONDS = env.float("RESERVATION_SECONDS", default=30)
PAYMENT_TIMEOUT_SECONDS = env.float("PAYMENT_TIMEOUT_SECONDS", default=20)
# Run by the outbox relay every OUTBOX_CHORE_SECONDS (relay_outbox), or by hand:
# ``manage.py recover``.
OUTBOX_RELAY_CHORES = ["extracted_services.orders.recovery.recover_once"]
# Orders cannot place an order without catalog, nor settle one without its own worker
# (events, stock releases), its relay (what the outbox holds) and payments' worker
# (the charge): not ready while one is away.
READINESS_CHECKS = {
    **READINESS_CHECKS,
    "catalog": "extracted_services.chassis.health.check_catalog",
    "orders-worker": "extracted_services.chassis.health.check_orders_worker",
    "orders-relay": "extracted_services.chassis.health.check_outbox_relay",
    "payments-worker": "extracted_services.chassis.health.check_payments_worker",
}
