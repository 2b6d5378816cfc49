"""Training in the background: a periodic Celery task, ticked by the worker itself.

``make run`` starts no Celery beat, so the worker keeps the clock: when it is ready,
a daemon thread sends ``recommendations.model_train`` every
RECOMMENDATIONS_TRAIN_INTERVAL seconds, and the task trains only if paid orders
changed. Each tick expires after one interval, so a busy worker never piles them up.
With beat, the same task would go in CELERY_BEAT_SCHEDULE instead.
"""

import threading
from typing import Any

from celery import shared_task
from celery.signals import worker_ready, worker_shutdown
from django.conf import settings

_stop = threading.Event()


@shared_task(name="recommendations.model_train")
def model_train() -> str | None:
    from .services import model_train_if_stale

    model = model_train_if_stale()
    return model.version if model else None


@worker_ready.connect(dispatch_uid="recommendations.clock")
def _start_clock(**kwargs: Any) -> None:
    interval = settings.RECOMMENDATIONS_TRAIN_INTERVAL

    def tick() -> None:
        while not _stop.wait(interval):
            model_train.apply_async(expires=interval)

    threading.Thread(target=tick, name="recommendations-clock", daemon=True).start()


@worker_shutdown.connect(dispatch_uid="recommendations.clock-stop")
def _stop_clock(**kwargs: Any) -> None:
    _stop.set()
