"""Carry the request id from the web request into every Celery task it queues."""

from contextvars import Token

from celery.signals import before_task_publish, task_postrun, task_prerun

from .request_id import current_request_id

# A message header; Celery exposes it to the task as task.request.request_id.
TASK_HEADER = "request_id"

_tokens: dict[str, Token[str]] = {}  # by task id, to put the old id back


@before_task_publish.connect
def _attach_request_id(headers=None, **kwargs):
    if headers is not None:
        headers.setdefault(TASK_HEADER, current_request_id.get())


@task_prerun.connect
def _restore_request_id(task_id=None, task=None, **kwargs):
    request_id = getattr(task.request, TASK_HEADER, None) or "-"
    _tokens[task_id] = current_request_id.set(request_id)


@task_postrun.connect
def _forget_request_id(task_id=None, **kwargs):
    token = _tokens.pop(task_id, None)
    if token is not None:
        current_request_id.reset(token)
