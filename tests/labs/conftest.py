"""Fixtures for the form-echo lab's tests."""

from datetime import timedelta

import factory
import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from echoapp.models import EchoSubmission


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
