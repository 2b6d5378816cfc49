"""The shop session's sign-in, against a scripted shop: no server, no locust.

What a shopper does when signing in goes wrong decides what the benchmark reports:
a 503 with Retry-After is waited out and counted as a retry; a sign-in that fails is
the error reported, not a later checkout page without its form.
"""

import pytest

from bench.recorder import Recorder
from bench.scenarios import http
from bench.scenarios.http import SIGN_IN_PATH, ScenarioError
from bench.scenarios.session import _session_checkout, session_setup, session_step

SIGN_IN_FORM = '<form><input name="csrfmiddlewaretoken" value="token-1"></form>'
CHECKOUT_FORM = (
    '<input name="csrfmiddlewaretoken" value="token-2">'
    '<input type="hidden" name="idempotency_key" value="key-1">'
)
SIGNED_IN = (302, {"Location": "/"}, "")
BUSY = (503, {"Retry-After": "1"}, "Too many sign-ins at once")


class Answer:
    """One scripted answer, used as locust's catch_response context manager does."""

    def __init__(self, recorder: Recorder, name: str, status: int, headers, text):
        self.recorder, self.name = recorder, name
        self.status_code, self.headers, self.text = status, headers, text
        self.error = None
        self.outcome: Exception | None = None

    def __enter__(self) -> "Answer":
        return self

    def __exit__(self, *exc_info) -> None:
        self.recorder.on_request(self.name, 10.0, self, exception=self.outcome)

    def success(self) -> None:
        self.outcome = None

    def failure(self, problem) -> None:
        self.outcome = problem if isinstance(problem, Exception) else Exception(problem)


class Shop:
    """Answers each (method, path) from a script, in order; records what was sent."""

    def __init__(self, recorder: Recorder, script: dict[tuple[str, str], list]):
        self.recorder, self.script = recorder, script
        self.sent: list[tuple[str, str]] = []

    def request(self, method: str, path: str, *, name: str, **_) -> Answer:
        self.sent.append((method, path))
        answers = self.script[(method, path)]
        status, headers, text = answers.pop(0) if len(answers) > 1 else answers[0]
        return Answer(self.recorder, name, status, headers, text)


class Shopper:
    """The scenarios' view of one simulated user (``bench/loadgen.py``'s Visitor)."""

    def __init__(self, shop: Shop, recorder: Recorder):
        self.client, self.recorder = shop, recorder
        self.data = {"product_ids": [7], "words": ["lamp"]}
        self.state: dict = {}
        self.slept: list[float] = []

    def account(self) -> tuple[str, str]:
        return ("bench-1", "secret")

    def context(self) -> dict:
        return {}

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)

    def accept(self, items: dict[int, int]) -> None:
        pass

    def fail(self, name: str, problem: str) -> None:
        self.recorder.step_failed(name, problem)


def shopper(script: dict[tuple[str, str], list]) -> tuple[Shopper, Recorder]:
    recorder = Recorder()
    recorder.open()
    script = {("GET", SIGN_IN_PATH): [(200, {}, SIGN_IN_FORM)], **script}
    return Shopper(Shop(recorder, script), recorder), recorder


def test_a_busy_sign_in_is_waited_out_and_counted_as_a_retry():
    """503 + Retry-After: 1, then signed in: one retry, no error, the 503 kept."""
    visitor, recorder = shopper({("POST", SIGN_IN_PATH): [BUSY, SIGNED_IN]})

    session_setup(visitor)
    result = recorder.result()

    assert visitor.state["signed_in"] is True
    assert visitor.slept == [1.0]
    assert (result["retries"], result["errors"], result["status_5xx"]) == (1, 0, 1)


def test_a_refused_sign_in_fails_the_setup_with_its_answer():
    """The form again (200) is a failed sign-in, said as such, not a quiet success."""
    visitor, _ = shopper({("POST", SIGN_IN_PATH): [(200, {}, SIGN_IN_FORM)]})

    with pytest.raises(ScenarioError, match="sign-in failed: HTTP 200"):
        session_setup(visitor)


def test_a_sign_in_still_busy_after_the_users_patience_is_one_error(monkeypatch):
    """With no patience left, the 503 the client gives up on is an error."""
    monkeypatch.setattr(http, "SIGN_IN_PATIENCE", 0.0)
    visitor, recorder = shopper({("POST", SIGN_IN_PATH): [BUSY]})

    assert http.sign_in_page(visitor) is False
    result = recorder.result()

    assert result["errors"] == 1
    assert "sign-in failed: 503 for 0 s" in result["problems"]


def test_a_checkout_sent_to_the_sign_in_page_is_that_error_then_signs_in_again():
    """The session lost its sign-in: one error naming the redirect; the next step
    signs in again instead of meeting the sign-in page at every checkout."""
    lost = (302, {"Location": f"{SIGN_IN_PATH}?next=/checkout/"}, "")
    visitor, recorder = shopper({
        ("POST", SIGN_IN_PATH): [SIGNED_IN],
        ("GET", "/checkout/"): [lost, (200, {}, CHECKOUT_FORM)],
    })  # fmt: skip
    session_setup(visitor)
    visitor.state["cart"] = {7: 1}

    _session_checkout(visitor)
    assert visitor.state["signed_in"] is False
    session_step(visitor)  # signs in again, whatever the draw

    result = recorder.result()
    assert result["problems"] == {f"HTTP 302 to {SIGN_IN_PATH}?next=/checkout/": 1}
    assert visitor.state["signed_in"] is True
    assert visitor.client.sent[-1] == ("POST", SIGN_IN_PATH)
