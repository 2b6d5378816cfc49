"""Reads of the echo lab: the stored submissions."""

from django.db.models import QuerySet

from .models import EchoSubmission


def submission_list() -> QuerySet[EchoSubmission]:
    """Every submission, newest first (the id breaks ties between equal times)."""
    return EchoSubmission.objects.order_by("-created_at", "-id")
