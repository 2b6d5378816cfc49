"""Send Celery tasks by name, and carry the request id into every task sent.

Services never import each other's code: a task is known by its name alone
(``payments.charge``), and the queue says which service's worker takes it.

A task that fails with an error it does not retry, or fails its last retry, is
acknowledged, and the broker forgets it: it is logged at ERROR (the task's name and
id, the request id) and kept as a dead letter in the service's own database
(``failed_tasks.py``), where the admin can send it again (docs/reliability.md).
"""

import logging
from contextvars import Token

from celery import current_app
from celery.signals import before_task_publish, task_failure, task_postrun, task_prerun

from .request_id import current_request_id

logger = logging.getLogger(__name__)
TASK_FAILED = "task %s[%s] failed for good (request %s): %s: %s; kwargs %s"
NOT_KEPT = "task %s[%s] could not be kept as a dead letter"

# A message header; Celery exposes it to the task as task.request.request_id.
TASK_HEADER = "request_id"

_tokens: dict[str, Token[str]] = {}


@before_task_publish.connect
def _attach_request_id(headers=None, **kwargs):
    if headers is not None:
        headers.setdefault(TASK_HEADER, current_request_id.get())


@task_prerun.connect
def _restore_request_id(task_id=None, task=None, **kwargs):
    # A worker reads the header; an eager task (tests) runs in the sender's own
    # context, where the id is already the right one.
    request_id = getattr(task.request, TASK_HEADER, None) or current_request_id.get()
    _tokens[task_id] = current_request_id.set(request_id)


@task_postrun.connect
def _forget_request_id(task_id=None, **kwargs):
    token = _tokens.pop(task_id, None)
    if token is not None:
        current_request_id.reset(token)


@task_failure.connect
def _keep_failed_task(
    sender=None, task_id=None, exception=None, kwargs=None, einfo=None, **_
):
    # Sent after the last retry too; the request id is still the task's own here.
    # The kwargs are logged as keys only: a payload may carry sealed card data.
    name = getattr(sender, "name", "?")
    logger.error(
        TASK_FAILED,
        name,
        task_id,
        current_request_id.get(),
        type(exception).__name__,
        exception,
        sorted(kwargs or {}),
    )
    # Imported here: this module loads while the apps' models are still loading.
    from .failed_tasks import failed_task_record

    delivery = getattr(getattr(sender, "request", None), "delivery_info", None) or {}
    try:
        failed_task_record(
            task_name=name,
            task_id=task_id or "",
            queue=delivery.get("routing_key") or "",
            kwargs=dict(kwargs or {}),
            error=exception or Exception("unknown"),
            traceback=str(getattr(einfo, "traceback", "") or ""),
        )
    except Exception:  # the database may be what failed: the ERROR line remains
        logger.exception(NOT_KEPT, name, task_id)


def send_task(name: str, *, kwargs: dict, queue: str) -> None:
    """Queue the task called ``name`` on ``queue``; the request id goes along.

    ``current_app`` is the service's own Celery app, which its package ``__init__``
    loads with Django (the Celery convention), so the broker is the service's.
    """
    current_app.send_task(name, kwargs=kwargs, queue=queue)
