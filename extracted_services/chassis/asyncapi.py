"""Check messages against docs/api/asyncapi.yaml, the document that names them all.

For tests: each service's test recorder passes every message its outbox relay sends
through ``message_validate``, so a message the document does not list, or a payload
that breaks its schema, fails the test that sent it, and the document cannot rot.
"""

import json
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "api" / "asyncapi.yaml"
_BASE = "urn:shop:asyncapi"  # the document's id, so its "#/..." references resolve

UNKNOWN_MESSAGE = "{name!r} is not a message docs/api/asyncapi.yaml names."
KEPT_AT_REST = "{name} keeps {fields} at rest: they are writeOnly."
EVENT_FIELDS = ("type", "id", "payload", "request_id")
TRACE_FIELDS = ("traceparent", "tracestate")  # W3C trace context, when tracing is on
WRONG_FIELDS = "A stream entry has the fields {expected}, not {fields}."
FIELDS_DISAGREE = "The entry's type and id are not the event's own."


class MessageMismatch(AssertionError):
    """What the code sends is not what the AsyncAPI document says."""


class UnknownMessage(MessageMismatch):
    """The code sent a message that the AsyncAPI document does not list."""


@cache
def document() -> dict[str, Any]:
    return yaml.safe_load(DOCUMENT.read_text())


def message_names() -> dict[str, str]:
    """``{message name: its key under components.messages}``, e.g. payments.charge."""
    messages = document()["components"]["messages"]
    return {message["name"]: key for key, message in messages.items()}


@cache
def _validator(pointer: str) -> Draft202012Validator:
    resource = Resource.from_contents(document(), default_specification=DRAFT202012)
    registry: Registry = Registry().with_resource(_BASE, resource)
    return Draft202012Validator(
        {"$ref": f"{_BASE}#{pointer}"},
        registry=registry,
        format_checker=FormatChecker(),
    )


def _key(name: str) -> str:
    try:
        return message_names()[name]
    except KeyError:
        raise UnknownMessage(UNKNOWN_MESSAGE.format(name=name)) from None


def message_validate(name: str, payload: dict, *, at_rest: bool = False) -> None:
    """Raise unless ``payload`` is what the document says message ``name`` carries.

    ``at_rest``: the payload as an outbox row keeps it, where the ``writeOnly``
    fields (the card number) must be absent rather than required.
    """
    key = _key(name)
    validator = _validator(f"/components/messages/{key}/payload")
    if not at_rest:
        validator.validate(payload)
        return
    properties = document()["components"]["messages"][key]["payload"]["properties"]
    write_only = {field for field, spec in properties.items() if spec.get("writeOnly")}
    if write_only & payload.keys():
        raise MessageMismatch(KEPT_AT_REST.format(name=name, fields=write_only))
    for error in validator.iter_errors(payload):
        missing = set(error.validator_value) - set(error.instance)
        if not (error.validator == "required" and missing <= write_only):
            raise error


def stream_entry_validate(fields: dict[str, str]) -> dict:
    """Raise unless a stream entry's fields make an event the document names.

    Returns the event (the parsed ``payload``).
    """
    if sorted(fields.keys() - TRACE_FIELDS) != sorted(EVENT_FIELDS):
        raise MessageMismatch(
            WRONG_FIELDS.format(expected=sorted(EVENT_FIELDS), fields=sorted(fields))
        )
    event = json.loads(fields["payload"])
    name = fields["type"]
    headers = {key: fields[key] for key in fields.keys() - {"payload"}}
    _validator(f"/components/messages/{_key(name)}/headers").validate(headers)
    message_validate(name, event)
    if (event["type"], event["id"]) != (fields["type"], fields["id"]):
        raise MessageMismatch(FIELDS_DISAGREE)
    return event
