"""The payments service's settings; the chassis brings what all services share."""

from extracted_services.chassis.card_sealing import pem_from_environment
from extracted_services.chassis.settings import *
from extracted_services.chassis.settings import (
    CACHES,
    CHASSIS_APPS,
    PAYMENTS_QUEUE,
    READINESS_CHECKS,
    database_for,
    env,
)

SERVICE_NAME = "payments"
# Named in the X-Served-By header and in page footers.
SERVED_BY = env("SERVED_BY", default="payments")
# Cookies of its own (its admin's): one service's cookie never replaces another's.
SESSION_COOKIE_NAME = "payments_sessionid"
CSRF_COOKIE_NAME = "payments_csrftoken"
ROOT_URLCONF = "extracted_services.payments.urls"
WSGI_APPLICATION = "extracted_services.payments.wsgi.application"
INSTALLED_APPS = [*CHASSIS_APPS, "extracted_services.payments"]
DATABASES = {"default": database_for("payments")}
CACHES["default"]["KEY_PREFIX"] = env("CACHE_KEY_PREFIX", default="payments")
SPECTACULAR_SETTINGS = {
    **SPECTACULAR_SETTINGS,
    "TITLE": "Payments service",
}

OUTBOX_MODEL = "payments.OutboxMessage"
# The relay's heartbeat, which /readyz reads: named after this service's queue,
# which each deployment names (chassis/outbox.py, relay_heartbeat_name).
OUTBOX_RELAY_HEARTBEAT = f"{PAYMENTS_QUEUE}-outbox-relay"
# The private key (PEM) that opens the card numbers orders sealed: payments alone
# holds it, and opens a number only inside the charge (chassis/card_sealing.py).
PAYMENTS_CARD_PRIVATE_KEY = pem_from_environment("PAYMENTS_CARD_PRIVATE_KEY")
# Payments cannot charge without its worker, nor answer orders without its relay
# (the payment results go out through its outbox): not ready while one is away.
READINESS_CHECKS = {
    **READINESS_CHECKS,
    "payments-worker": "extracted_services.chassis.health.check_payments_worker",
    "payments-relay": "extracted_services.chassis.health.check_outbox_relay",
}
