"""Charging: the test cards decide, one payment per order, the result via the outbox."""

import threading
from decimal import Decimal

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.db import connection

from extracted_services.chassis.card_sealing import (
    MIN_KEY_BITS,
    CardUnsealable,
    card_seal,
    key_pair_generate,
    private_key_load,
)
from extracted_services.chassis.outbox import outbox_relay_once
from extracted_services.payments.messages import PAYMENT_RESULT
from extracted_services.payments.models import OutboxMessage, Payment
from extracted_services.payments.services import (
    APPROVED_CARD,
    DECLINED_CARD,
    INSUFFICIENT_FUNDS_CARD,
    payment_charge,
)
from extracted_services.payments.tasks import charge

pytestmark = pytest.mark.django_db


def _sealed(card: str) -> str:
    """The card as orders sends it: sealed with the public half of our key."""
    public_pem = (
        private_key_load(settings.PAYMENTS_CARD_PRIVATE_KEY)
        .public_key()
        .public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return card_seal(card, public_key_pem=public_pem)


def _charge(order_id: int, card: str):
    return payment_charge(
        order_id=order_id, amount=Decimal("25.00"), currency="EUR", card_number=card
    )


@pytest.mark.parametrize(
    ("card", "status", "reason"),
    [
        (APPROVED_CARD, "approved", ""),
        (DECLINED_CARD, "declined", "card_declined"),
        (INSUFFICIENT_FUNDS_CARD, "declined", "insufficient_funds"),
        ("5555555555554444", "approved", ""),
    ],
)
def test_each_test_card_has_its_outcome(card, status, reason):
    """The contract's test cards: approved, declined, insufficient funds."""
    payment, created = _charge(1, card)

    assert created
    assert (payment.status, payment.failure_reason) == (status, reason)
    assert payment.card_last4 == card[-4:]


def test_the_same_charge_delivered_three_times_is_one_payment_answered_thrice(sent):
    """At-least-once delivery: one payment, and each delivery gets the same answer."""
    for _ in range(3):
        sealed = _sealed(APPROVED_CARD)  # a redelivery, or orders sealing it again
        charge(order_id=7, amount="25.00", currency="EUR", card_sealed=sealed)
    outbox_relay_once()

    assert Payment.objects.filter(order_id=7).count() == 1
    assert [name for name, _, _ in sent] == [PAYMENT_RESULT] * 3
    assert len({repr(kwargs) for _, kwargs, _ in sent}) == 1


def test_a_charge_asked_again_publishes_the_first_result_again(sent):
    """Its first answer was lost (a broker that lost its data): the same answer again.

    Asked again, even with another card, nothing is charged: the first payment
    stands, and orders hears its outcome once more.
    """
    first, _ = _charge(13, DECLINED_CARD)
    outbox_relay_once()  # the first answer, "lost" on its way

    again, created = _charge(13, APPROVED_CARD)
    outbox_relay_once()

    assert (created, again.pk) == (False, first.pk)
    assert Payment.objects.filter(order_id=13).count() == 1
    assert [kwargs for _, kwargs, _ in sent] == [
        {
            "order_id": 13,
            "status": "declined",
            "card_last4": "0002",
            "failure_reason": "card_declined",
        }
    ] * 2


@pytest.mark.parametrize(
    ("card", "status", "last4"),
    [(APPROVED_CARD, "approved", "4242"), (DECLINED_CARD, "declined", "0002")],
)
def test_the_task_opens_the_sealed_card_and_keeps_its_last_four(card, status, last4):
    """payments.charge carries the card sealed; the charge alone opens it."""
    charge(order_id=11, amount="25.00", currency="EUR", card_sealed=_sealed(card))

    payment = Payment.objects.get(order_id=11)
    assert (payment.status, payment.card_last4) == (status, last4)


def test_a_card_sealed_for_another_key_charges_nothing():
    """Not ours to open: an error that shows no blob, and no payment."""
    stranger = key_pair_generate(bits=MIN_KEY_BITS)
    sealed = card_seal(APPROVED_CARD, public_key_pem=stranger.public_pem)

    with pytest.raises(CardUnsealable) as raised:
        charge(order_id=12, amount="25.00", currency="EUR", card_sealed=sealed)
    assert sealed not in str(raised.value)
    assert not Payment.objects.filter(order_id=12).exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_of_one_charge_make_one_payment():
    """Four workers taking the same message at once: one payment, four answers."""
    start = threading.Barrier(4)
    outcomes = []

    def deliver():
        start.wait()
        try:
            outcomes.append(_charge(8, APPROVED_CARD)[1])
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == [False, False, False, True]
    assert Payment.objects.filter(order_id=8).count() == 1
    results = OutboxMessage.objects.filter(payload__order_id=8)
    assert results.count() == 4
    assert {result.payload["status"] for result in results} == {"approved"}


def test_the_result_is_published_only_by_the_relay_after_commit(sent):
    """Charging writes an outbox row; nothing is sent until the relay runs."""
    _charge(9, DECLINED_CARD)

    assert sent == []
    assert outbox_relay_once() == 1
    name, kwargs, _queue = sent[0]
    assert name == PAYMENT_RESULT
    assert kwargs == {
        "order_id": 9,
        "status": "declined",
        "card_last4": "0002",
        "failure_reason": "card_declined",
    }
    assert OutboxMessage.objects.get().published_at is not None


def test_the_full_card_number_is_stored_nowhere():
    """Only the last four digits reach the database, in any table."""
    _charge(10, APPROVED_CARD)

    with connection.cursor() as cursor:
        for table in ("payments_payment", "payments_outboxmessage"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (fixed names)
            assert APPROVED_CARD not in repr(cursor.fetchall())
