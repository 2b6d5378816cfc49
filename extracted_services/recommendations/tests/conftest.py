"""Fixtures for the recommendations service: its settings, store, app and events.

Run: ``python dev.py test --service recommendations`` (plain pytest, no Django).
Consumers read the real Redis, each test from a stream of its own that is deleted
afterwards; nothing is faked.
"""

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
from redis import Redis

from extracted_services.recommendations import store
from extracted_services.recommendations.config import Settings
from extracted_services.recommendations.events import PAID
from extracted_services.recommendations.main import create_app

# Starlette's TestClient warns that it will move to another HTTP library one day.
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
from fastapi.testclient import TestClient  # noqa: E402 (after the filter)

DEADLINE = 10.0  # seconds a poll may wait before the test fails
JWT_KEY = "test-only-jwt-signing-key-0123456789-abcdefgh"


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
        jwt_signing_key=JWT_KEY,
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


def user_token(**overrides: object) -> str:
    """A gateway access token for user 7; keyword arguments replace claims or key."""
    now = datetime.now(UTC)
    key = str(overrides.pop("key", JWT_KEY))
    claims = {
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
    return jwt.encode(claims, key, algorithm="HS256")
