"""Configuration from the environment, read once into a frozen dataclass.

pydantic-settings would do this too; a dataclass and ``os.environ`` keep the
dependency list short and show that there is nothing magic about it.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

from extracted_services.chassis.keys import key_from_env
from extracted_services.chassis.tracing import tracing_wanted

REPO_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = REPO_DIR / "var"


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _jwt_public_key() -> str | None:
    """The gateway's public key (PEM): $JWT_PUBLIC_KEY, the file $JWT_PUBLIC_KEY_FILE
    names, or jwt-public.pem in $KEYS_DIR (var/keys/, which `make run` fills); the
    chassis's lookup, which has no Django in it."""
    keys_dir = Path(_env("KEYS_DIR", str(VAR_DIR / "keys")))
    return key_from_env("JWT_PUBLIC_KEY", keys_dir / "jwt-public.pem")


@dataclass(frozen=True)
class Settings:
    service_name: str = "recommendations"
    served_by: str = field(default_factory=lambda: _env("SERVED_BY", "recommendations"))
    database: Path = field(
        default_factory=lambda: Path(
            _env("RECOMMENDATIONS_DATABASE", str(VAR_DIR / "recommendations.sqlite3"))
        )
    )
    model_dir: Path = field(
        default_factory=lambda: Path(
            _env("RECOMMENDATIONS_MODEL_DIR", str(VAR_DIR / "recommendations/models"))
        )
    )
    redis_url: str = field(
        default_factory=lambda: _env("REDIS_URL", "redis://127.0.0.1:6379/0")
    )
    stream: str = field(
        default_factory=lambda: _env("ORDER_EVENTS_STREAM", "shop.order-events")
    )
    group: str = field(
        default_factory=lambda: _env("RECOMMENDATIONS_GROUP", "recommendations")
    )
    # Seconds: retrain at most this often while paid orders keep arriving.
    train_interval: float = field(
        default_factory=lambda: float(_env("RECOMMENDATIONS_TRAIN_INTERVAL", "5"))
    )
    # Seconds: how often a server looks for a newer artifact (on a request).
    reload_interval: float = field(
        default_factory=lambda: float(_env("RECOMMENDATIONS_RELOAD_INTERVAL", "1"))
    )
    # Seconds an event may stay unacknowledged before another consumer takes it.
    claim_idle: float = field(
        default_factory=lambda: float(_env("RECOMMENDATIONS_CLAIM_IDLE", "30"))
    )
    # Only the public key: this service checks users' tokens and can never make one.
    jwt_public_key: str | None = field(default_factory=_jwt_public_key)
    jwt_audience: str = field(default_factory=lambda: _env("JWT_AUDIENCE", "shop"))
    jwt_issuer: str = field(default_factory=lambda: _env("JWT_ISSUER", "shop-gateway"))
    log_level: str = field(default_factory=lambda: _env("LOG_LEVEL", "INFO"))
    # Tracing (chassis/tracing.py): on unless OTEL_SDK_DISABLED=true.
    tracing: bool = field(
        default_factory=lambda: tracing_wanted(os.environ, default=True)
    )
    traces_dir: Path = field(
        default_factory=lambda: Path(_env("TRACES_DIR", str(VAR_DIR / "traces")))
    )
