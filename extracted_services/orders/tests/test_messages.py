"""The messages orders sends and receives are the ones docs/api/asyncapi.yaml names.

Every test that runs the outbox relay checks what it sends (conftest's recorders);
these tests check the names themselves, and that the check really bites.
"""

import jsonschema
import pytest

import extracted_services.orders.tasks  # noqa: F401 (registers the worker's tasks)
from extracted_services.chassis.asyncapi import UnknownMessage, message_names
from extracted_services.chassis.outbox import outbox_add
from extracted_services.orders import celery_app, messages

pytestmark = pytest.mark.django_db

NAMES = {name: value for name, value in vars(messages).items() if name.isupper()}


def test_every_name_in_messages_py_is_in_the_document():
    """A message the code names but the document does not is a failure here."""
    assert NAMES  # the module is read, not an empty dict compared with itself
    assert set(NAMES.values()) <= set(message_names())


def test_every_task_this_worker_takes_is_in_the_document():
    """The worker's tasks (orders.*) are receivers the document lists."""
    ours = {name for name in celery_app.tasks if name.startswith("orders.")}

    assert ours == {messages.PAYMENT_RESULT, messages.STOCK_RELEASE}
    assert ours <= set(message_names())


def test_a_message_the_document_does_not_list_fails_the_test_that_sends_it(relay):
    """The relay's recorder refuses an undocumented name: the document cannot rot."""
    outbox_add(task_name="orders.not_documented", queue="orders", payload={})

    with pytest.raises(UnknownMessage):
        relay()


def test_a_payload_the_schema_refuses_fails_the_test_that_sends_it(relay):
    """A float for money, say: the recorder checks the payload's schema too."""
    outbox_add(
        task_name=messages.PAYMENTS_CHARGE,
        queue="payments",
        payload={
            "order_id": 1,
            "amount": 25.0,
            "currency": "EUR",
            "card_sealed": "A" * 512,  # its shape is right: the float is what is not
        },
    )

    with pytest.raises(jsonschema.ValidationError):
        relay()
