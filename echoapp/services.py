"""Writes of the echo lab: storing a submission."""

from .models import EchoSubmission


def submission_create(*, name: str, message: str) -> EchoSubmission:
    """Store one submission; the form page and the API both call this."""
    submission = EchoSubmission(name=name, message=message)
    submission.full_clean()
    # One insert needs no transaction.atomic(), which MongoDB's backend lacks anyway.
    submission.save()
    return submission
