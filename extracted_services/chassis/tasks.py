"""Send Celery tasks by name, and carry the request id into every task sent.

Services never import each other's code: a task is known by its name alone
(``payments.charge``), and the queue says which service's worker takes it.

A task that fails with an error it does not retry is acknowledged and dropped (the
broker keeps no dead letters): its ERROR line, with the task's name and id and the
request id, is where it can be found (docs/reliability.md).
"""

import logging
from contextvars import Token

from celery import current_app
from celery.signals import before_task_publish, task_failure, task_postrun, task_prerun

from .request_id import current_request_id

logger = logging.getLogger(__name__)
TASK_DROPPED = "task %s[%s] failed and was dropped (request %s): %s: %s; kwargs %s"

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
def _log_dropped_task(sender=None, task_id=None, exception=None, kwargs=None, **_):
    # Sent after the last retry too; the request id is still the task's own here.
    # The kwargs are logged as keys only: a payload may carry sealed card data.
    logger.error(
        TASK_DROPPED,
        getattr(sender, "name", "?"),
        task_id,
        current_request_id.get(),
        type(exception).__name__,
        exception,
        sorted(kwargs or {}),
    )


def send_task(name: str, *, kwargs: dict, queue: str) -> None:
    """Queue the task called ``name`` on ``queue``; the request id goes along.

    ``current_app`` is the service's own Celery app, which its package ``__init__``
    loads with Django (the Celery convention), so the broker is the service's.
    """
    current_app.send_task(name, kwargs=kwargs, queue=queue)
