"""Fixtures: an app on a fresh SQLite file (migrated), the real Redis with a stream of
the test's own, tokens signed as the gateway signs them, and events to publish."""

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import jwt
import pytest
from apiflask import APIFlask
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask.testing import FlaskClient
from flask_migrate import upgrade
from redis import Redis

from extracted_services.reports.app import create_app
from extracted_services.reports.consumer import StreamConsumer


def rsa_pem_pair() -> tuple[str, str]:
    """A fresh RS256 key pair, (private, public) in PEM."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private.decode(), public.decode()


# This run's gateway key pair: the app gets the public half, tests sign with the other.
SIGNING_KEY, PUBLIC_KEY = rsa_pem_pair()
REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def stream() -> str:
    return f"test-{uuid.uuid4()}"


@pytest.fixture
def redis(stream: str) -> Iterator[Redis]:
    with Redis.from_url(REDIS_URL, decode_responses=True) as client:
        yield client
        client.delete(stream)


@pytest.fixture
def app(tmp_path: Path, stream: str) -> Iterator[APIFlask]:
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'reports.sqlite3'}",
            "REDIS_URL": REDIS_URL,
            "ORDER_EVENTS_STREAM": stream,
            "JWT_PUBLIC_KEY": PUBLIC_KEY,
            "SECRET_KEY": "test-secret-key",
            "GATEWAY_URL": "http://127.0.0.1:9",  # nothing answers there
            "TRACING": False,  # the stack's tracing test (tests/tracing/) turns it on
        }
    )
    with app.app_context():
        upgrade()  # the migrations, as `flask db upgrade` runs them
        yield app


@pytest.fixture
def client(app: APIFlask) -> FlaskClient:
    return app.test_client()


def token(*, is_staff: bool, token_type: str = "access", **claims: object) -> str:  # noqa: S107
    """An access token as the gateway's SimpleJWT signs one."""
    now = datetime.now(UTC)
    body = {
        "token_type": token_type,
        "exp": now + timedelta(minutes=5),
        "iat": now,
        "jti": uuid.uuid4().hex,
        "user_id": 7,
        "username": "staff" if is_staff else "customer",
        "is_staff": is_staff,
        "aud": "shop",
        "iss": "shop-gateway",
        **claims,
    }
    return jwt.encode(body, SIGNING_KEY, algorithm="RS256")


@pytest.fixture
def staff() -> dict[str, str]:
    return {"Authorization": f"Bearer {token(is_staff=True)}"}


@pytest.fixture
def customer() -> dict[str, str]:
    return {"Authorization": f"Bearer {token(is_staff=False)}"}


def order_event(
    *,
    order_id: int,
    lines: list[tuple[int, str, int, str]],
    type: str = "order.paid",
    occurred_at: str = "2026-11-22T10:00:00Z",
) -> dict[str, str]:
    """A stream entry's fields, as the orders service publishes them.

    ``lines`` are (product_id, category, quantity, unit_price).
    """
    event_id = str(uuid.uuid4())
    total = sum(Decimal(price) * qty for _, _, qty, price in lines)
    payload = {
        "id": event_id,
        "type": type,
        "occurred_at": occurred_at,
        "order_id": order_id,
        "user_id": 7,
        "lines": [
            {"product_id": p, "category": c, "quantity": q, "unit_price": u}
            for p, c, q, u in lines
        ],
        "total": str(total),
        "currency": "EUR",
    }
    return {
        "type": type,
        "id": event_id,
        "payload": json.dumps(payload),
        "request_id": f"req-{order_id}",
    }


def make_consumer(redis: Redis, stream: str, name: str = "c1") -> StreamConsumer:
    """A consumer that takes over entries idle for 50 ms and never blocks for long."""
    consumer = StreamConsumer(
        redis=redis,
        stream=stream,
        group="reports",
        name=name,
        claim_idle=0.05,
        block=0.05,
    )
    consumer.ensure_group()
    return consumer
