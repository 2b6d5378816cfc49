"""docs/api/asyncapi.yaml is a whole AsyncAPI 3 document, and the code's names are its.

The service tests check every message sent against it; these check the document
itself: its references resolve, every message has a channel, a sender and a
receiver, and every message it names is one some service's ``messages.py`` names.
"""

import ast
from pathlib import Path

import pytest

from extracted_services.chassis.asyncapi import DOCUMENT, document, message_names

ROOT = Path(__file__).resolve().parents[2]
MESSAGE_MODULES = sorted((ROOT / "extracted_services").glob("*/messages.py"))


def _resolve(ref: str) -> dict:
    """What ``ref`` points at, following references to references."""
    node = document()
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return _resolve(node["$ref"]) if "$ref" in node else node


def _refs(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if "$ref" in node else []
        return found + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


def _names_in_code() -> set[str]:
    """The string constants of every service's messages.py, read without importing."""
    return {
        node.value.value
        for path in MESSAGE_MODULES
        for node in ast.parse(path.read_text()).body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
    }


def test_it_is_an_asyncapi_3_document():
    """The version, a title, channels, operations and messages."""
    doc = document()

    assert doc["asyncapi"].startswith("3.0")
    assert doc["info"]["title"]
    assert doc["channels"]
    assert doc["operations"]
    assert doc["components"]["messages"]
    assert DOCUMENT.relative_to(ROOT) == Path("docs/api/asyncapi.yaml")


@pytest.mark.parametrize("ref", sorted(set(_refs(document()))))
def test_every_reference_resolves(ref):
    """No $ref points at nothing."""
    assert _resolve(ref) is not None


def test_every_message_has_a_channel_a_sender_and_a_receiver():
    """Each message is on a channel, sent by one operation and received by another."""
    for key in document()["components"]["messages"]:
        ref = f"#/components/messages/{key}"
        channels = [
            name
            for name, channel in document()["channels"].items()
            if ref in _refs(channel["messages"])
        ]
        actions = {
            operation["action"]
            for operation in document()["operations"].values()
            if any(_resolve(r) is _resolve(ref) for r in _refs(operation["messages"]))
        }
        assert len(channels) == 1, key
        assert actions == {"send", "receive"}, key


def test_every_operation_names_the_service_that_takes_it():
    """A tag per service: who sends, who receives."""
    for name, operation in document()["operations"].items():
        assert operation.get("tags"), name


def test_the_code_and_the_document_name_the_same_messages():
    """Nothing documented that no service names, nothing named that is undocumented."""
    assert len(MESSAGE_MODULES) >= 2  # orders and payments at least
    assert _names_in_code() == set(message_names())
