"""EchoForm: a name of 1..100 characters and a message of 1..2000."""

import pytest

from echoapp.forms import EchoForm


def test_a_name_and_a_message_are_valid():
    """Both fields within their limits make a valid form, stripped of spaces."""
    form = EchoForm(data={"name": "  Ada  ", "message": "Hello"})

    assert form.is_valid()
    assert form.cleaned_data == {"name": "Ada", "message": "Hello"}


@pytest.mark.parametrize("blank", ["", "   "])
def test_empty_fields_are_required(blank):
    """An empty or blank name and message are each a "required" error."""
    form = EchoForm(data={"name": blank, "message": blank})

    assert not form.is_valid()
    errors = form.errors.as_data()
    assert [e.code for e in errors["name"]] == ["required"]
    assert [e.code for e in errors["message"]] == ["required"]


@pytest.mark.parametrize(
    ("field", "limit"), [("name", 100), ("message", 2000)], ids=["name", "message"]
)
def test_a_field_at_its_limit_is_valid_and_one_more_is_too_long(field, limit):
    """Each field takes exactly its limit; one character more is "max_length"."""
    data = {"name": "Ada", "message": "Hello"}

    at_limit = EchoForm(data={**data, field: "x" * limit})
    too_long = EchoForm(data={**data, field: "x" * (limit + 1)})

    assert at_limit.is_valid()
    assert not too_long.is_valid()
    assert [e.code for e in too_long.errors.as_data()[field]] == ["max_length"]


def test_the_message_is_a_textarea():
    """The message renders as a <textarea>, the name as a text input."""
    html = str(EchoForm())

    assert '<textarea name="message"' in html
    assert '<input type="text" name="name"' in html
