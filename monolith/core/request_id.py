"""The current request id, kept in a context variable so logs and tasks can read it.

Copied on purpose to the services' chassis (chassis/request_id.py): one rule for ids
across both stacks; tests/test_copies.py keeps the two identical.
"""

import re
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"
# A caller's id is accepted only if it is short and plain, so it is safe in log lines.
_VALID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

current_request_id: ContextVar[str] = ContextVar("request_id", default="-")


def new_request_id() -> str:
    return uuid.uuid4().hex


def accept_or_new(candidate: str | None) -> str:
    """Return the caller's id when it is valid, otherwise a fresh one."""
    if candidate and _VALID.match(candidate):
        return candidate
    return new_request_id()
