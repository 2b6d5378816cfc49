"""Local development: the default for ``manage.py`` and ``make run``."""

from monolith.core.jwt_keys import (
    local_private_key,
    private_key_from_env,
    simple_jwt_keys,
)

from .base import *
from .base import JWT_KEYS_DIR, SIMPLE_JWT, env

DEBUG = env.bool("DEBUG", default=True)
# A development-only key: production.py refuses to start with it.
SECRET_KEY = env("SECRET_KEY", default="django-insecure-local-development-only")
# The API tokens' key: made in var/keys/monolith/ on first use. Production takes
# it only from JWT_PRIVATE_KEY or JWT_PRIVATE_KEY_FILE.
_JWT_KEY = private_key_from_env() or local_private_key(JWT_KEYS_DIR)
SIMPLE_JWT = {**SIMPLE_JWT, **simple_jwt_keys(_JWT_KEY)}
