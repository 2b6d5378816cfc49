"""Assertions shared by the accounts API tests."""

from monolith.core.problems import CONTENT_TYPE

PROBLEM_KEYS = {"type", "title", "status", "detail"}
STRONG_PASSWORD = "plum-orchard-47-lantern"  # passes Django's password validators


def assert_problem(response, status) -> dict:
    """An RFC 9457 problem with the given status; returns its body."""
    assert response.status_code == status
    assert response["Content-Type"] == CONTENT_TYPE
    body = response.json()
    assert body.keys() >= PROBLEM_KEYS
    assert body["status"] == status
    return body
