"""Dead letters for Celery tasks: record a task that failed for good, send it again.

A task retries the errors it expects; any other error, or the last retry's, fails
it, and the broker forgets the message once it is acknowledged. ``tasks.py`` hands
such a failure here (Celery's ``task_failure`` signal), and it becomes a
``FailedTask`` row in the service's own database, listed in its admin, where
"Send again" queues the same task with the same kwargs once the cause is fixed.

No secret is stored: a kwarg named like one (a password, a raw card number) is
replaced, and anything shaped like a card number is blanked in every text kept.
A sealed card (``card_sealed``) is kept as it is: only payments can open it, and
this module never tries.
"""

import re
from collections.abc import Iterable

from django.db import models
from django.utils import timezone

from .models import FailedTask
from .request_id import current_request_id
from .tasks import send_task

REMOVED = "[removed]"
CARD_REMOVED = "[card number removed]"
TRACEBACK_LINES = 30  # the tail of a traceback: where it failed, not how it got there
TEXT_LENGTH = 4000  # characters of an error or a traceback kept at most
DEFAULT_QUEUE = "celery"  # Celery's own, where a task sent without a queue goes
# Kwargs that are secrets by their name, whatever their value.
SECRET_NAMES = ("card_number", "cvc", "cvv", "password", "secret", "token")
# 13 to 19 digits, spaces or dashes between them allowed: a card number, or enough
# like one to be worth blanking (an order id never has that many digits).
CARD_NUMBER = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")


def failed_task_record(
    *,
    task_name: str,
    task_id: str,
    queue: str,
    kwargs: dict,
    error: BaseException,
    traceback: str,
) -> FailedTask:
    """Keep a task that failed for good, its secrets removed, with the request id."""
    cleaned, redacted = _without_secrets(kwargs)
    tail = "\n".join(traceback.splitlines()[-TRACEBACK_LINES:])
    return FailedTask.objects.create(
        task_name=task_name,
        task_id=task_id or "",
        queue=queue or "",
        kwargs=cleaned,
        redacted=redacted,
        exception=_blank_cards(f"{type(error).__name__}: {error}")[:TEXT_LENGTH],
        traceback=_blank_cards(tail)[-TEXT_LENGTH:],
        request_id=current_request_id.get(),
    )


def failed_task_resend(*, tasks: Iterable[FailedTask]) -> tuple[int, int]:
    """Queue each task again as it was first sent; return (sent, refused).

    A task whose kwargs lost a secret is refused: what is left is not what was sent.
    Each goes with its original request id, so its logs join the first attempt's.
    """
    sent = refused = 0
    for task in tasks:
        if task.redacted:
            refused += 1
            continue
        token = current_request_id.set(task.request_id)
        try:
            send_task(
                task.task_name, kwargs=task.kwargs, queue=task.queue or DEFAULT_QUEUE
            )
        finally:
            current_request_id.reset(token)
        FailedTask.objects.filter(pk=task.pk).update(retried_at=timezone.now())
        sent += 1
    return sent, refused


def failed_tasks_waiting() -> models.QuerySet[FailedTask]:
    """The dead letters nobody has sent again yet."""
    return FailedTask.objects.filter(retried_at__isnull=True)


def _without_secrets(value: object, name: str = "") -> tuple[object, bool]:
    """``value`` with every secret replaced, and whether anything was."""
    if any(secret in name.lower() for secret in SECRET_NAMES):
        return REMOVED, True
    if isinstance(value, dict):
        pairs = {key: _without_secrets(item, str(key)) for key, item in value.items()}
        cleaned = {key: item for key, (item, _) in pairs.items()}
        return cleaned, any(changed for _, changed in pairs.values())
    if isinstance(value, list | tuple):
        items = [_without_secrets(item, name) for item in value]
        return [item for item, _ in items], any(changed for _, changed in items)
    if isinstance(value, str):
        blanked = _blank_cards(value)
        return blanked, blanked != value
    return value, False


def _blank_cards(text: str) -> str:
    return CARD_NUMBER.sub(CARD_REMOVED, text)
