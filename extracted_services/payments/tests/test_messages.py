"""The messages payments sends and receives are the ones docs/api/asyncapi.yaml names.

Every test that runs the outbox relay checks what it sends (conftest's ``sent``);
these tests check the names themselves, and that the check really bites.
"""

import pytest

import extracted_services.payments.tasks  # noqa: F401 (registers the worker's task)
from extracted_services.chassis.asyncapi import UnknownMessage, message_names
from extracted_services.chassis.outbox import outbox_add, outbox_relay_once
from extracted_services.payments import celery_app, messages

pytestmark = pytest.mark.django_db

NAMES = {name: value for name, value in vars(messages).items() if name.isupper()}


def test_every_name_in_messages_py_is_in_the_document():
    """A message the code names but the document does not is a failure here."""
    assert NAMES  # the module is read, not an empty dict compared with itself
    assert set(NAMES.values()) <= set(message_names())


def test_the_task_this_worker_takes_is_in_the_document():
    """The worker's one task, payments.charge, is a receiver the document lists."""
    ours = {name for name in celery_app.tasks if name.startswith("payments.")}

    assert ours == {messages.PAYMENTS_CHARGE}
    assert ours <= set(message_names())


def test_a_message_the_document_does_not_list_fails_the_test_that_sends_it(sent):
    """The relay's recorder refuses an undocumented name: the document cannot rot."""
    outbox_add(task_name="payments.not_documented", queue="orders", payload={})

    with pytest.raises(UnknownMessage):
        outbox_relay_once()
    assert sent == []
