"""Fixtures for the recommendations service: its settings, store, app and events.

Run: ``python dev.py test --service recommendations`` (plain pytest, no Django).
Consumers read the real Redis, each test from a stream of its own that is deleted
afterwards; nothing is faked.
"""

import base64
import hmac
import json
import os
import threading
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from redis import Redis

from extracted_services.recommendations import store
from extracted_services.recommendations.config import Settings
from extracted_services.recommendations.events import PAID
from extracted_services.recommendations.main import create_app

# Starlette's TestClient warns that it will move to another HTTP library one day.
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
from fastapi.testclient import TestClient  # noqa: E402 (after the filter)

DEADLINE = 10.0  # seconds a poll may wait before the test fails


def _pem_pair(key: rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey) -> tuple[str, str]:
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private.decode(), public.decode()


def _rsa_pair() -> tuple[str, str]:
    return _pem_pair(rsa.generate_private_key(public_exponent=65537, key_size=2048))


# This run's gateway key pair: the app gets the public half, tests sign with the other.
JWT_PRIVATE_KEY, JWT_PUBLIC_KEY = _rsa_pair()
OTHER_PRIVATE_KEY, _ = _rsa_pair()  # a key that is not the gateway's
SERVICE_PRIVATE_KEY, _ = _pem_pair(ed25519.Ed25519PrivateKey.generate())


def wait_until(condition: Callable[[], bool], *, timeout: float = DEADLINE) -> bool:
    """Poll ``condition`` until it holds or the deadline passes; return the result."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        threading.Event().wait(0.02)
    return condition()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """A store and model folder of the test's own, a stream of its own."""
    return Settings(
        database=tmp_path / "recommendations.sqlite3",
        model_dir=tmp_path / "models",
        redis_url=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        stream=f"test-{uuid.uuid4()}",
        train_interval=0,
        reload_interval=0,
        jwt_public_key=JWT_PUBLIC_KEY,
        tracing=False,  # the stack's tracing test (tests/tracing/) turns it on
    )


@pytest.fixture
def redis(settings: Settings) -> Iterator[Redis]:
    client = Redis.from_url(settings.redis_url, decode_responses=True)
    yield client
    client.delete(settings.stream)
    client.close()


@pytest.fixture
def connection(settings: Settings):
    connection = store.connect(settings.database)
    yield connection
    connection.close()


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        yield client


def with_settings(settings: Settings, **changes: object) -> Settings:
    return replace(settings, **changes)  # type: ignore[arg-type]


def order_event(
    order_id: int,
    products: list[int],
    *,
    type: str = PAID,
    event_id: str | None = None,
    quantity: int = 1,
) -> dict:
    """The payload orders publishes, for an order of ``products`` (one line each)."""
    lines = [
        {
            "product_id": p,
            "category": "books",
            "quantity": quantity,
            "unit_price": "5.00",
        }
        for p in products
    ]
    total = f"{5 * quantity * len(products):.2f}"
    return {
        "id": event_id or str(uuid.uuid4()),
        "type": type,
        "occurred_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "order_id": order_id,
        "user_id": 7,
        "lines": lines,
        "total": total,
        "currency": "EUR",
    }


def publish(redis: Redis, stream: str, event: dict, *, request_id: str = "-") -> str:
    """Add the event to the stream as orders' outbox relay does; the entry id."""
    fields = {
        "type": event["type"],
        "id": event["id"],
        "payload": json.dumps(event),
        "request_id": request_id,
    }
    return redis.xadd(stream, fields)


def user_claims(**overrides: object) -> dict[str, object]:
    """A gateway access token's claims for user 7; keyword arguments replace them."""
    now = datetime.now(UTC)
    return {
        "token_type": "access",
        "jti": uuid.uuid4().hex,
        "iat": now,
        "exp": now + timedelta(minutes=5),
        "aud": "shop",
        "iss": "shop-gateway",
        "user_id": 7,
        "username": "ada",
        "is_staff": False,
        **overrides,
    }


def user_token(key: str = JWT_PRIVATE_KEY, **overrides: object) -> str:
    """A gateway access token (RS256) for user 7; keyword arguments replace claims."""
    return jwt.encode(user_claims(**overrides), key, algorithm="RS256")


def hand_signed(algorithm: str, secret: bytes, **overrides: object) -> str:
    """A token PyJWT refuses to make: ``none``, or HS256 with a PEM key as secret."""
    header = {"alg": algorithm, "typ": "JWT"}
    claims = {
        name: int(value.timestamp()) if isinstance(value, datetime) else value
        for name, value in user_claims(**overrides).items()
    }
    message = b".".join(_b64(json.dumps(part).encode()) for part in (header, claims))
    signature = b"" if algorithm == "none" else hmac.digest(secret, message, "sha256")
    return (message + b"." + _b64(signature)).decode()


def _b64(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def service_token(audience: str = "recommendations") -> str:
    """What another service sends as X-Service-Token: signed with its own key."""
    now = datetime.now(UTC)
    claims = {
        "iss": "orders",
        "aud": audience,
        "token_type": "service",
        "iat": now,
        "exp": now + timedelta(seconds=60),
    }
    return jwt.encode(claims, SERVICE_PRIVATE_KEY, algorithm="EdDSA")
