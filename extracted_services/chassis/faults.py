"""Crash points: a test makes the outbox relay die at the worst moment, on purpose.

``OUTBOX_FAULT = "after_send:3"`` makes this process exit at once (``os._exit``: no
clean-up, no ``finally``, as a SIGKILL or a power cut would) the third time it passes
``crash_point("after_send")``. Only the test settings read it from the environment
(chassis/testing.py); production settings refuse to start with it set
(chassis/production.py), and without the setting a crash point does nothing.
"""

import logging
import os
import sys
from collections import Counter

from django.conf import settings

logger = logging.getLogger(__name__)

CRASHED = 86  # the exit status of a planned crash, so a test tells it from a bug
CRASHING = "crash point %s reached (%s time): exiting now, as a crash would"

_passed: Counter[str] = Counter()  # this process's passes, by crash point


def crash_point(name: str) -> None:
    """Exit now if ``OUTBOX_FAULT`` plans a crash at this pass of ``name``."""
    planned: str = getattr(settings, "OUTBOX_FAULT", "")
    point, _, nth = planned.partition(":")
    if point != name:
        return
    _passed[name] += 1
    if _passed[name] == int(nth or 1):
        logger.warning(CRASHING, name, _passed[name])
        sys.stderr.flush()  # the one line a crash leaves behind
        os._exit(CRASHED)


def forget() -> None:
    """Start counting passes afresh (a forked relay, a test)."""
    _passed.clear()
