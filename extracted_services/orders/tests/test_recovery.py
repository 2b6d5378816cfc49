"""Recovery: what a killed process or a broker that lost its data leaves, is finished.

saga.py's second table, test by test. A crash is played by a placement that stops
after catalog has answered and runs none of its clean-up (a SIGKILL runs none);
time passing is played by ageing the rows. The relay only records what it sends;
the orders worker's tasks run eagerly when a test delivers them.
"""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

# A worker imports its tasks as it starts (Celery's autodiscovery); here, this does.
import extracted_services.orders.tasks  # noqa: F401
from extracted_services.chassis.chores import run_chores
from extracted_services.orders import celery_app
from extracted_services.orders.messages import (
    PAYMENT_RESULT,
    PAYMENTS_CHARGE,
    STOCK_RELEASE,
)
from extracted_services.orders.models import (
    IdempotencyKey,
    Order,
    OutboxMessage,
    PlacementAttempt,
    StockRelease,
)
from extracted_services.orders.recovery import RecoveryCounts, recover_once
from extracted_services.orders.services import (
    KeyStillInUse,
    idempotency,
    order_place,
    placement,
)
from extracted_services.orders.services.placement import PlacementExpired

from .conftest import TEAPOT
from .factories import OrderFactory, PaidOrderFactory

pytestmark = pytest.mark.django_db

URL = "/api/orders/"
PROBLEM = "application/problem+json"
TIMEOUT = 20  # PAYMENT_TIMEOUT_SECONDS in these tests
KEEP = 30  # IDEMPOTENCY_CLAIM_SECONDS and RESERVATION_SECONDS in these tests


class ProcessKilled(BaseException):
    """The process died here: not an error anyone catches (SIGKILL runs nothing)."""


@pytest.fixture(autouse=True)
def _timeouts(settings):
    settings.IDEMPOTENCY_CLAIM_SECONDS = KEEP
    settings.RESERVATION_SECONDS = KEEP
    settings.PAYMENT_TIMEOUT_SECONDS = TIMEOUT


def _age(queryset, field: str, seconds: float) -> None:
    """Make time pass for these rows: ``field`` moves ``seconds`` into the past."""
    queryset.update(**{field: F(field) - timedelta(seconds=seconds)})


def _deliver(task_name: str, **kwargs) -> None:
    """Deliver a message to this service's worker, by name, as the broker would."""
    celery_app.tasks[task_name].delay(**kwargs).get()


@pytest.fixture
def killed_at_catalog(monkeypatch, catalog):
    """The next placement dies once catalog has reserved its stock, and cleans nothing.

    Only the first placement dies; the next ones (the client's retries) run whole.
    """
    real_reserve = placement.stock_reserve
    deaths = [ProcessKilled("SIGKILL")]

    def reserve_then_die(**kwargs):
        reserved = real_reserve(**kwargs)
        if deaths:
            raise deaths.pop()
        return reserved

    real_abandon = placement._order_abandon

    def abandon(exc, *args):
        if not isinstance(exc, ProcessKilled):  # a dead process undoes nothing
            real_abandon(exc, *args)

    monkeypatch.setattr(placement, "stock_reserve", reserve_then_die)
    monkeypatch.setattr(placement, "_order_abandon", abandon)
    return catalog


def test_a_killed_placement_leaves_its_key_claimed_and_its_stock_taken(
    place_kwargs, killed_at_catalog, monkeypatch
):
    """What recovery is for: before it runs, a retry of the key is refused."""
    monkeypatch.setattr(idempotency, "REPLAY_WAIT_SECONDS", 0.1)
    place_kwargs["idempotency_key"] = "checkout-42"
    with pytest.raises(ProcessKilled):
        order_place(**place_kwargs)

    with pytest.raises(KeyStillInUse):  # the claim has not expired yet
        order_place(**place_kwargs)

    assert IdempotencyKey.objects.get().order is None
    assert PlacementAttempt.objects.count() == 1
    assert killed_at_catalog.stock(TEAPOT) == 3
    assert recover_once() == RecoveryCounts()  # too young to be presumed dead


def test_an_expired_claim_is_taken_over_by_the_next_request_with_its_key(
    place_kwargs, killed_at_catalog
):
    """Past IDEMPOTENCY_CLAIM_SECONDS, the retry places the order itself."""
    place_kwargs["idempotency_key"] = "checkout-42"
    with pytest.raises(ProcessKilled):
        order_place(**place_kwargs)
    _age(IdempotencyKey.objects, "created_at", KEEP + 1)

    retry = order_place(**place_kwargs)

    assert retry.created is True
    assert IdempotencyKey.objects.get().order == retry.order
    assert order_place(**place_kwargs).order == retry.order  # and replays it after


def test_recovery_frees_the_key_and_gives_the_stock_back_once(
    place_kwargs, killed_at_catalog, relay, settings
):
    """Expired: the claim is deleted, the reservation released through the outbox."""
    settings.ORDERS_QUEUE = "orders-under-test"
    place_kwargs["idempotency_key"] = "checkout-42"
    with pytest.raises(ProcessKilled):
        order_place(**place_kwargs)
    order_ref = killed_at_catalog.calls[0].body["order_ref"]
    _age(IdempotencyKey.objects, "created_at", KEEP + 1)
    _age(PlacementAttempt.objects, "created_at", KEEP + 1)

    first, second = recover_once(), recover_once()

    assert first == RecoveryCounts(claims_expired=1, reservations_released=1)
    assert second == RecoveryCounts()
    [release] = relay()
    assert (release.task_name, release.kwargs, release.queue) == (
        STOCK_RELEASE,
        {"order_ref": order_ref},
        "orders-under-test",
    )
    _deliver(release.task_name, **release.kwargs)
    assert killed_at_catalog.stock(TEAPOT) == 5
    assert not IdempotencyKey.objects.exists()
    assert not PlacementAttempt.objects.exists()
    assert not StockRelease.objects.exists()  # catalog confirmed: nothing owed


def test_fresh_claims_and_attempts_and_attached_keys_are_left_alone(
    place_kwargs, catalog
):
    """Only what is older than its setting and has no order is presumed dead."""
    place_kwargs["idempotency_key"] = "placed"
    order_place(**place_kwargs)  # a key with its order
    IdempotencyKey.objects.create(user_id=41, key="placing", request_hash="x")
    PlacementAttempt.objects.create(order_ref="6f2c1f1e-8a7b-4c1d-9e1a-2b3c4d5e6f70")
    _age(IdempotencyKey.objects.filter(key="placed"), "created_at", KEEP + 1)
    _age(IdempotencyKey.objects.filter(key="placing"), "created_at", KEEP - 5)
    _age(PlacementAttempt.objects, "created_at", KEEP - 5)

    assert recover_once() == RecoveryCounts()
    assert IdempotencyKey.objects.count() == 2
    assert PlacementAttempt.objects.count() == 1


@pytest.fixture
def reclaimed_while_at_catalog(monkeypatch, catalog):
    """Catalog answers so late that recovery has reclaimed the attempt meanwhile."""
    real_reserve = placement.stock_reserve

    def slow_reserve(**kwargs):
        reserved = real_reserve(**kwargs)
        _age(PlacementAttempt.objects, "created_at", KEEP + 1)
        assert recover_once().reservations_released == 1
        return reserved

    monkeypatch.setattr(placement, "stock_reserve", slow_reserve)
    return catalog


def test_a_placement_whose_attempt_was_reclaimed_records_nothing(
    place_kwargs, reclaimed_while_at_catalog
):
    """The fence: its stock is going back, so its order must not be recorded."""
    place_kwargs["idempotency_key"] = "checkout-42"

    with pytest.raises(PlacementExpired):
        order_place(**place_kwargs)

    assert not Order.objects.exists()
    assert not OutboxMessage.objects.filter(task_name=PAYMENTS_CHARGE).exists()
    assert not IdempotencyKey.objects.exists()  # free for the retry
    assert reclaimed_while_at_catalog.stock(TEAPOT) == 5  # given back at once, too


def test_the_fenced_placement_is_a_503_problem_to_retry(
    auth_api_client, order_body, reclaimed_while_at_catalog
):
    """The client hears what it hears when catalog is down: try again shortly."""
    response = auth_api_client.post(
        URL, order_body, headers={"Idempotency-Key": "key-1"}
    )

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Content-Type"] == PROBLEM
    assert response.json()["type"] == "/problems/service-unavailable"
    assert int(response["Retry-After"]) > 0
    assert not Order.objects.exists()


def test_a_placement_whose_claim_was_taken_over_records_nothing(
    place_kwargs, catalog, monkeypatch
):
    """The key's fence: a claim deleted as expired cannot be attached any more."""
    real_reserve = placement.stock_reserve

    def slow_reserve(**kwargs):
        reserved = real_reserve(**kwargs)
        _age(IdempotencyKey.objects, "created_at", KEEP + 1)
        assert recover_once().claims_expired == 1
        return reserved

    monkeypatch.setattr(placement, "stock_reserve", slow_reserve)
    place_kwargs["idempotency_key"] = "checkout-42"

    with pytest.raises(PlacementExpired):
        order_place(**place_kwargs)

    assert not Order.objects.exists()
    assert catalog.stock(TEAPOT) == 5


@pytest.fixture
def pending_order(place_kwargs, catalog, relay) -> Order:
    """Placed, and its payments.charge sent, then lost with the broker's data."""
    order = order_place(**place_kwargs).order
    [charge] = relay()
    assert charge.task_name == PAYMENTS_CHARGE
    return order


def test_a_pending_order_is_asked_about_again_after_the_timeout(
    card_open, pending_order, relay
):
    """A fresh payments.charge, with the same sealed card; not a moment before."""
    _age(Order.objects, "payment_asked_at", TIMEOUT - 1)
    assert recover_once() == RecoveryCounts()

    _age(Order.objects, "payment_asked_at", 2)
    assert recover_once() == RecoveryCounts(payments_asked_again=1)

    [charge] = relay()
    sealed = charge.kwargs.pop("card_sealed")
    assert charge.task_name == PAYMENTS_CHARGE
    assert charge.kwargs == {
        "order_id": pending_order.pk,
        "amount": "25.00",
        "currency": "EUR",
    }
    assert card_open(sealed) == "4242424242424242"
    assert Order.objects.get().payment_asks == 2


def test_asking_again_backs_off(pending_order, relay):
    """After the second ask it waits two timeouts, after the third four."""
    for asks, wait in [(1, TIMEOUT), (2, 2 * TIMEOUT), (3, 4 * TIMEOUT)]:
        _age(Order.objects, "payment_asked_at", wait - 1)
        assert recover_once().payments_asked_again == 0, f"after {asks} ask(s)"
        _age(Order.objects, "payment_asked_at", 2)
        assert recover_once().payments_asked_again == 1, f"after {asks} ask(s)"

    assert Order.objects.get().payment_asks == 4
    assert [sent.task_name for sent in relay()] == [PAYMENTS_CHARGE] * 3


def test_the_answer_to_any_ask_settles_the_order_and_forgets_the_card(
    pending_order, relay
):
    """Payments answers each ask; the first answer decides, the sealed card goes."""
    _age(Order.objects, "payment_asked_at", TIMEOUT + 1)
    recover_once()
    answer = {"status": "approved", "card_last4": "4242", "failure_reason": ""}

    for _ in range(2):  # one answer per ask
        _deliver(PAYMENT_RESULT, order_id=pending_order.pk, **answer)

    order = Order.objects.get()
    assert order.status == Order.Status.PAID
    assert order.card_sealed == ""
    _age(Order.objects, "payment_asked_at", 100 * TIMEOUT)
    assert recover_once() == RecoveryCounts()


def test_final_orders_are_never_asked_about(relay):
    """Paid or failed, however long ago: payments is not asked again."""
    PaidOrderFactory(card_sealed="sealed-blob")
    OrderFactory(status=Order.Status.FAILED, card_sealed="sealed-blob")
    _age(Order.objects, "payment_asked_at", 100 * TIMEOUT)

    assert recover_once() == RecoveryCounts()
    assert relay() == []


def test_manage_py_recover_runs_one_pass(pending_order, capsys):
    """The same pass, by hand, saying what it did."""
    _age(Order.objects, "payment_asked_at", TIMEOUT + 1)

    call_command("recover")

    assert capsys.readouterr().out.strip() == (
        "0 claim(s) expired, 0 reservation(s) released, 1 payment(s) asked again, "
        "0 release(s) sent again"
    )
    assert Order.objects.get().payment_asked_at > timezone.now() - timedelta(
        seconds=TIMEOUT
    )


def test_the_relay_runs_recovery_as_its_chore(pending_order):
    """The orders service's settings give the relay recover_once to run."""
    _age(Order.objects, "payment_asked_at", TIMEOUT + 1)

    assert run_chores() == 1  # what relay_outbox calls every OUTBOX_CHORE_SECONDS
    assert Order.objects.get().payment_asks == 2


@pytest.fixture
def declined_order(pending_order, relay) -> Order:
    """Payments declined it: its stock is owed back, the release message sent."""
    _deliver(
        PAYMENT_RESULT,
        order_id=pending_order.pk,
        status="declined",
        card_last4="0002",
        failure_reason="card_declined",
    )
    [release] = relay()
    assert release.task_name == STOCK_RELEASE
    return pending_order


def test_a_release_lost_with_the_brokers_data_is_sent_again(
    declined_order, catalog, relay
):
    """Unconfirmed after RESERVATION_SECONDS: the message again, then backing off."""
    ref = {"order_ref": str(declined_order.order_ref)}
    _age(StockRelease.objects, "asked_at", KEEP - 1)
    assert recover_once() == RecoveryCounts()

    _age(StockRelease.objects, "asked_at", 2)
    assert recover_once() == RecoveryCounts(releases_sent_again=1)
    assert recover_once() == RecoveryCounts()  # next time after twice as long

    [again] = relay()
    assert (again.task_name, again.kwargs) == (STOCK_RELEASE, ref)
    _deliver(again.task_name, **again.kwargs)
    assert catalog.stock(TEAPOT) == 5
    assert not StockRelease.objects.exists()


def test_a_confirmed_release_is_not_sent_again(declined_order, catalog, relay):
    """Catalog answered the first message: nothing is owed, nothing resent."""
    _age(StockRelease.objects, "asked_at", KEEP - 1)  # confirmed just in time

    _deliver(STOCK_RELEASE, order_ref=str(declined_order.order_ref))

    assert not StockRelease.objects.exists()
    assert recover_once() == RecoveryCounts()
    assert catalog.stock(TEAPOT) == 5
    assert relay() == []
