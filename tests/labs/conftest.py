"""Fixtures for the form-echo lab's tests."""

from datetime import timedelta

import factory
import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from echoapp.models import EchoSubmission
from tests.harness.stacks import LAUNCHERS, running_stacks


class EchoSubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EchoSubmission

    name = factory.Sequence(lambda n: f"Student {n}")
    message = factory.Sequence(lambda n: f"Message number {n}.")


@pytest.fixture
def make_submission():
    """Store a submission sent ``minutes_ago`` minutes before now."""

    def make(*, minutes_ago: int = 0, **fields) -> EchoSubmission:
        submission = EchoSubmissionFactory(**fields)
        # auto_now_add ignores a given value on create, so set the time afterwards.
        submission.created_at = timezone.now() - timedelta(minutes=minutes_ago)
        submission.save(update_fields=["created_at"])
        return submission

    return make


@pytest.fixture
def api_client():
    return APIClient()


def _first_stack_of_each_kind() -> dict[str, str]:
    """``{"monolith": "monolith-sqlite", "services": "services-sqlite"}``: the
    first stack of each kind the session knows (the kind is the name's first word)."""
    first: dict[str, str] = {}
    for name in running_stacks() or LAUNCHERS:
        first.setdefault(name.split("-")[0], name)
    return first


def pytest_collection_modifyitems(config, items):
    """A worksheet check runs against one stack of the kind it needs, the first the
    contract tests start; every other pairing is deselected, so that no stack is
    started for the labs alone and no check is reported as skipped."""
    first = _first_stack_of_each_kind()
    keep, drop = [], []
    for item in items:
        params = item.callspec.params if hasattr(item, "callspec") else {}
        check, stack = params.get("check"), params.get("stack")
        paired = check is not None and stack is not None
        if paired and first.get(check.needs) != stack:
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
