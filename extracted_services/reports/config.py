"""The service's configuration, read from the environment with local defaults.

Flask's convention (``app.config.from_object``): upper-case attributes of a class.
Nothing is read at import time: ``Config()`` reads the environment when the app
is created, so a test can set a variable and build a fresh app.
"""

import os
import socket
from pathlib import Path

from extracted_services.chassis.keys import key_from_env
from extracted_services.chassis.tracing import tracing_wanted

REPO_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = REPO_DIR / "var"  # databases of local runs (git-ignored)


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


def _jwt_public_key() -> str | None:
    """The gateway's public key (PEM): $JWT_PUBLIC_KEY, the file $JWT_PUBLIC_KEY_FILE
    names, or jwt-public.pem in $KEYS_DIR (var/keys/, which `make run` fills); the
    chassis's lookup, which has no Django in it."""
    keys_dir = Path(_env("KEYS_DIR", str(VAR_DIR / "keys")))
    return key_from_env("JWT_PUBLIC_KEY", keys_dir / "jwt-public.pem")


class Config:
    """Everything the app, its consumer and its CLI read from ``app.config``."""

    def __init__(self) -> None:
        # Who we are: in X-Served-By, the page footer and the consumer group's name.
        self.SERVICE_NAME = "reports"
        self.SERVED_BY = _env("SERVED_BY", "reports")
        # Signs the page's session cookie. The default is for local runs only.
        self.SECRET_KEY = _env("SECRET_KEY", "dev-only-reports-secret-key-change-me")

        # Load: our own database (Flask-SQLAlchemy), SQLite under var/ by default.
        default_db = f"sqlite:///{VAR_DIR / 'reports.sqlite3'}"
        self.SQLALCHEMY_DATABASE_URI = _env("REPORTS_DATABASE_URL", default_db)

        # Extract: the orders' event stream and our consumer group on it.
        self.REDIS_URL = _env("REDIS_URL", "redis://127.0.0.1:6379/0")
        self.ORDER_EVENTS_STREAM = _env("ORDER_EVENTS_STREAM", "shop.order-events")
        self.CONSUMER_GROUP = _env("REPORTS_CONSUMER_GROUP", "reports")
        self.CONSUMER_NAME = _env(
            "REPORTS_CONSUMER_NAME", f"{socket.gethostname()}-{os.getpid()}"
        )
        # An entry another consumer took but has not acknowledged for this long is
        # taken over (XAUTOCLAIM): that consumer has most likely died.
        self.CLAIM_IDLE_SECONDS = float(_env("REPORTS_CLAIM_IDLE_SECONDS", "30"))
        self.READ_BLOCK_SECONDS = float(_env("REPORTS_READ_BLOCK_SECONDS", "2"))

        # Tokens: the gateway's users' JWTs, checked as every Django service does,
        # with its public key only: this service can check a token, never make one.
        self.JWT_PUBLIC_KEY = _jwt_public_key()
        self.JWT_AUDIENCE = _env("JWT_AUDIENCE", "shop")
        self.JWT_ISSUER = _env("JWT_ISSUER", "shop-gateway")
        # The page's sign-in form trades a password for tokens at the gateway.
        self.GATEWAY_URL = _env("GATEWAY_URL", "http://127.0.0.1:8100")
        self.HTTP_TIMEOUT = float(_env("HTTP_TIMEOUT", "2.0"))

        # Tracing (chassis/tracing.py): on unless OTEL_SDK_DISABLED=true.
        self.TRACING = tracing_wanted(os.environ, default=True)
        self.TRACES_DIR = _env("TRACES_DIR", str(VAR_DIR / "traces"))

        # The page's session cookie: only for /reports/, never readable by scripts.
        self.SESSION_COOKIE_NAME = "reports_session"
        self.SESSION_COOKIE_PATH = "/reports/"
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"

        # APIFlask: the OpenAPI document and its errors (see problems.py).
        self.OPENAPI_VERSION = "3.0.3"
        self.VALIDATION_ERROR_STATUS_CODE = 400
        self.SPEC_FORMAT = "json"
        self.SECURITY_SCHEMES = {
            "jwtAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
        }
