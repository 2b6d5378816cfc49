"""The relay's chores: small periodic jobs a service hangs on its outbox relay.

A service that needs something done every few seconds (the orders saga's timeouts
and sweepers) names it in ``OUTBOX_RELAY_CHORES``, dotted paths to functions that
take no argument, as Django names ``AUTHENTICATION_BACKENDS``. The relay is already
a process that runs for ever, one per service: no scheduler to add. Each chore must
be safe to run from two relays at once, like the relay itself.
"""

import logging
import time

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

CHORE_FAILED = "chore %s failed; the relay goes on"


def run_chores() -> int:
    """Run every chore once, in order; return how many finished without an error.

    A chore that raises is logged with its traceback and the next one runs: one
    broken sweeper must not stop the relay, nor the other chores.
    """
    done = 0
    for path in settings.OUTBOX_RELAY_CHORES:
        try:
            import_string(path)()
        except Exception:  # whatever it is, the relay's own work goes on
            logger.exception(CHORE_FAILED, path)
        else:
            done += 1
    return done


class ChoreClock:
    """Says when the chores are due: at once, then every ``OUTBOX_CHORE_SECONDS``."""

    def __init__(self) -> None:
        self._last: float | None = None

    def due(self) -> bool:
        now = time.monotonic()
        if self._last is None or now - self._last >= settings.OUTBOX_CHORE_SECONDS:
            self._last = now
            return True
        return False
