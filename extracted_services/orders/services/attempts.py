"""Placement attempts: stock catalog may hold for an order not recorded yet.

order_place asks catalog for stock, then records the order: a process killed in
between leaves stock taken at catalog that no order accounts for, and nobody alive
to give it back. So the attempt is written down first, in a transaction of its own;
the order's transaction closes it. recovery.py reclaims the stock of every attempt
older than RESERVATION_SECONDS, and a placement that finds its attempt reclaimed
records nothing (the fence): its stock is already on its way back.
"""

from datetime import timedelta
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ..models import PlacementAttempt
from ..saga import stock_release_queue


def attempt_open(*, order_ref: UUID) -> None:
    """Write down that catalog is about to be asked for ``order_ref``'s stock."""
    # Committed at once (autocommit), before the request: a crash after it is seen.
    PlacementAttempt.objects.create(order_ref=order_ref)


def attempt_close(*, order_ref: UUID) -> bool:
    """Close the attempt in the order's transaction; False if recovery reclaimed it.

    The delete is the fence: it and recovery's delete cannot both remove the row,
    so either the order is recorded or its stock is released, never both.
    """
    return PlacementAttempt.objects.filter(order_ref=order_ref).delete()[0] == 1


def attempt_drop(*, order_ref: UUID) -> None:
    """Forget an attempt whose stock went back (or was never taken) another way."""
    PlacementAttempt.objects.filter(order_ref=order_ref).delete()


def attempts_stale() -> QuerySet[PlacementAttempt]:
    """Attempts older than RESERVATION_SECONDS: their placement is not coming back."""
    age = timedelta(seconds=settings.RESERVATION_SECONDS)
    return PlacementAttempt.objects.filter(created_at__lt=timezone.now() - age)


@transaction.atomic
def attempt_reclaim(*, attempt: PlacementAttempt) -> bool:
    """Give a stale attempt's stock back, once; False if another process did.

    The delete and the release message commit together. Of two recoveries (or a
    recovery and the placement's own transaction) deleting the same row, only one
    deletes it: on PostgreSQL the second waits for the first's row lock, then finds
    nothing; SQLite lets one writer at a time.
    """
    if not PlacementAttempt.objects.filter(pk=attempt.pk).delete()[0]:
        return False
    # Catalog may hold no reservation for it (the process died before asking):
    # releasing an unknown reference is a harmless no-op there.
    stock_release_queue(order_ref=attempt.order_ref)
    return True
