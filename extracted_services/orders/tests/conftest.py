"""Fixtures for the orders service: a catalog over HTTP, customers with tokens, a relay.

Run: ``python dev.py test --service orders``.
Nothing here publishes to the shared Redis: the outbox relay's ``send_task`` and
``stream_add`` are replaced by recorders, which check every message against
docs/api/asyncapi.yaml, and the service's own tasks run eagerly (test settings).
"""

import socket
from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from extracted_services.chassis import outbox
from extracted_services.chassis.asyncapi import message_validate, stream_entry_validate
from extracted_services.chassis.breakers import breakers_reset
from extracted_services.chassis.card_sealing import (
    MIN_KEY_BITS,
    KeyPair,
    card_unseal,
    key_pair_generate,
)
from extracted_services.chassis.http import ServiceClient
from extracted_services.orders.clients import catalog as catalog_client

from .catalog_stand_in import CatalogStandIn, serve
from .factories import PaidOrderFactory

APPROVED_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000002"
TEAPOT = 7  # a product id of the catalog stand-in


@dataclass(frozen=True)
class Customer:
    """A user as the orders service knows one: the claims of a gateway token."""

    id: int
    username: str

    @property
    def authorization(self) -> str:
        token = AccessToken()  # signed with the settings' JWT key, audience, issuer
        token["user_id"] = self.id
        token["username"] = self.username
        return f"Bearer {token}"


@dataclass(frozen=True)
class Sent:
    task_name: str
    kwargs: dict
    queue: str


@dataclass(frozen=True)
class Published:
    """An event as the relay added it to a stream: the entry's fields, and the event."""

    stream: str
    fields: dict[str, str]
    event: dict


@pytest.fixture(scope="session")
def _card_keys() -> KeyPair:
    return key_pair_generate(bits=MIN_KEY_BITS)


@pytest.fixture
def card_open(settings, _card_keys):
    """Open a sealed card number as payments would: orders itself never can.

    The test plays payments: orders seals with the public half of a pair whose
    private half only this fixture holds.
    """
    settings.PAYMENTS_CARD_PUBLIC_KEY = _card_keys.public_pem

    def open_(sealed: str) -> str:
        return card_unseal(sealed, private_key_pem=_card_keys.private_pem)

    return open_


def _use_catalog_at(monkeypatch, url: str) -> ServiceClient:
    # A client of its own for each test, with a closed circuit breaker: the breaker's
    # state lives in Redis (chassis/breakers.py), where an earlier test may have
    # opened it.
    breakers_reset()
    client = ServiceClient("catalog", url)
    monkeypatch.setattr(catalog_client, "client_for", lambda name: client)
    return client


@pytest.fixture
def catalog(monkeypatch):
    """Catalog's internal API on a loopback port, with 5 teapots at 12.50."""
    stand_in = CatalogStandIn()
    stand_in.add_product(TEAPOT, "Teapot", "12.50", stock=5)
    server = serve(stand_in)
    client = _use_catalog_at(monkeypatch, stand_in.url)
    yield stand_in
    client.http.close()
    server.shutdown()
    server.server_close()


def closed_port_url() -> str:
    """A loopback address with nothing listening: every call there is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # free again once the socket closes
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def catalog_down(monkeypatch):
    """Catalog's address with nothing listening: every call is refused."""
    client = _use_catalog_at(monkeypatch, closed_port_url())
    yield
    client.http.close()


@pytest.fixture
def events(monkeypatch) -> list[Published]:
    """The events the outbox relay publishes, each checked against the AsyncAPI doc."""
    published: list[Published] = []

    def record(stream: str, *, fields: dict[str, str]) -> str:
        event = stream_entry_validate(fields)  # raises if the document disagrees
        published.append(Published(stream, fields, event))
        return f"{len(published)}-0"

    monkeypatch.setattr(outbox, "stream_add", record)
    return published


@pytest.fixture
def sent(monkeypatch, events) -> list[Sent]:
    """The tasks the outbox relay sends, recorded instead of sent to Redis.

    Each is checked against docs/api/asyncapi.yaml first: a name the document does
    not list, or a payload its schema refuses, fails the test that sent it.
    """
    messages: list[Sent] = []

    def record(name, *, kwargs, queue):
        message_validate(name, kwargs)
        messages.append(Sent(name, kwargs, queue))

    monkeypatch.setattr(outbox, "send_task", record)
    return messages


@pytest.fixture
def relay(sent):
    """Run the outbox relay once; returns what it published this time."""

    def run() -> list[Sent]:
        before = len(sent)
        outbox.outbox_relay_once()
        return sent[before:]

    return run


@pytest.fixture
def user() -> Customer:
    return Customer(id=41, username="ada")


@pytest.fixture
def other_user() -> Customer:
    return Customer(id=42, username="mallory")


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def auth_api_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=user.authorization)
    return client


@pytest.fixture
def other_api_client(other_user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=other_user.authorization)
    return client


@pytest.fixture
def place_kwargs(user):
    """What order_place needs for one line of 2 teapots, paid with a good card."""
    return {
        "user_id": user.id,
        "username": user.username,
        "items": [(TEAPOT, 2)],
        "card_number": "4242 4242 4242 4242",
        "shipping_name": "Ada Lovelace",
        "shipping_address": "12 St James's Square\nLondon",
    }


@pytest.fixture
def order_body():
    """A valid POST /api/orders/ body: 2 teapots, paid with a good card."""
    return {
        "items": [{"product_id": TEAPOT, "quantity": 2}],
        "card_number": APPROVED_CARD,
        "shipping": {"name": "Ada Lovelace", "address": "12 St James's Square"},
    }


@pytest.fixture
def paid_order(user):
    return PaidOrderFactory(user_id=user.id, username=user.username)
