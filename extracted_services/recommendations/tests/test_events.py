"""The events consumed here are the ones docs/api/asyncapi.yaml describes.

The document is the contract between orders and its subscribers: the events these
tests publish must be valid there, and the document's own example must parse here.
"""

from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from extracted_services.recommendations.events import FAILED, PAID, OrderEvent

from .conftest import order_event

ASYNCAPI = Path(__file__).resolve().parents[3] / "docs/api/asyncapi.yaml"


@pytest.fixture(scope="module")
def document() -> dict:
    return yaml.safe_load(ASYNCAPI.read_text())


def validator(document: dict, pointer: str) -> Draft202012Validator:
    """A validator for one schema of the document, its $refs resolved in it."""
    return Draft202012Validator({**document, "$ref": pointer})


@pytest.mark.parametrize("kind", [PAID, FAILED])
def test_the_events_these_tests_publish_are_valid_order_events(document, kind):
    event = order_event(42, [3, 4], type=kind, quantity=2)

    validator(document, "#/components/schemas/orderEvent").validate(event)


def test_the_documents_example_is_an_event_this_service_reads(document):
    (example,) = document["components"]["messages"]["orderPaid"]["examples"]

    event = OrderEvent.model_validate(example["payload"])

    assert event.type == PAID
    assert [line.product_id for line in event.lines] == [3]
