"""The model a server answers with, swapped for a newer artifact without a pause.

Requests read ``holder.current()``: one reference to an immutable ``Model``. At most
every ``check_every`` seconds, one request (never two: a lock taken without waiting)
looks at the ``latest`` pointer and, if it names a new artifact, loads it and swaps
the reference. Every other request meanwhile answers from the model it already has,
so no request waits for a load and none sees half a model.

Copied on purpose to monolith/recommendations/serving.py: the monolith serves its
model the same way (tests/test_copies.py keeps the two identical).
"""

import logging
import threading
from pathlib import Path
from time import monotonic

from .model import EMPTY, Model, latest_name, load

logger = logging.getLogger(__name__)


class ModelHolder:
    def __init__(self, directory: Path, *, check_every: float) -> None:
        self.directory = directory
        self.check_every = check_every
        self._model = EMPTY
        self._name: str | None = None
        self._checked_at = -float("inf")
        self._lock = threading.Lock()
        self.error: str | None = None  # why the newest artifact did not load

    def current(self) -> Model:
        """The newest model this process has loaded (the empty one before any)."""
        due = monotonic() - self._checked_at >= self.check_every
        if due and self._lock.acquire(blocking=False):
            try:
                self.refresh()
            finally:
                self._lock.release()
        return self._model

    def refresh(self) -> None:
        """Load the artifact ``latest`` names, if it is not the one in use."""
        self._checked_at = monotonic()
        name = latest_name(self.directory)
        if name is None or name == self._name:
            return
        try:
            model = load(self.directory / name)
        except (OSError, ValueError, KeyError) as exc:  # keep answering with the old
            self.error = f"{name}: {exc!r}"
            logger.warning("model %s did not load: %r", name, exc)
            return
        self._model, self._name, self.error = model, name, None  # the swap
        logger.info(
            "serving model %s (%d orders seen)", model.version, model.orders_seen
        )
