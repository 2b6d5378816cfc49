"""The machinery of test_fuzz.py: which schemas a stack serves, who calls, the rules.

schemathesis reads an OpenAPI schema and generates requests from it, valid ones and
invalid ones (Hypothesis draws them); each answer is checked against the same schema
and against the contract's rule for errors. A broken rule is recorded, not raised,
so that one run reports every kind of failure it met, each with a curl command.
"""

import contextlib
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

import hypothesis
import schemathesis
from hypothesis import strategies as st
from hypothesis.errors import FlakyStrategyDefinition
from schemathesis import Case, CheckContext, CheckFunction, GenerationMode, Response
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure
from schemathesis.errors import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from extracted_services.chassis.testing_tokens import StackKeys, service_token
from tests.harness.stack import Stack

from .helpers import PROBLEM_JSON

# Operations only staff may call; everything else is called as a customer, and
# catalog's /internal/ API as the orders service, with its own credential.
STAFF_ONLY = {
    ("POST", "/api/products/"),
    ("PATCH", "/api/products/{product_id}/"),
    ("DELETE", "/api/products/{product_id}/"),
    ("POST", "/api/recommendations/train/"),
    ("GET", "/api/reports/sales/"),
    ("GET", "/api/reports/sales.csv"),
    ("GET", "/api/payments/"),
    ("GET", "/api/payments/{payment_id}/"),
}
INTERNAL_PREFIX = "/internal/"
SERVICE_TOKEN_SECONDS = 600  # longer than any fuzz run
TIMEOUT = 15  # seconds, for the schema and for every request
# The same requests on every run (derandomize), so CI is reproducible; only the
# generate phase (no shrinking or replaying: a live server's state has moved on by
# then); no deadline and no health checks (a slow answer is the benchmark's
# business, not a slow strategy); no example database left behind.
HYPOTHESIS = {
    "derandomize": True,
    "phases": [hypothesis.Phase.generate],
    "deadline": None,
    "database": None,
    "suppress_health_check": list(hypothesis.HealthCheck),
}


def errors_are_problems(ctx: CheckContext, response: Response, case: Case) -> bool:
    """Every 4xx and 5xx is an RFC 9457 problem (CONTRACT.md, Conventions)."""
    if response.status_code < HTTPStatus.BAD_REQUEST:
        return True
    content_type = response.headers.get("content-type", [""])[0]
    assert content_type.startswith(PROBLEM_JSON), (
        f"a {response.status_code} answered as {content_type!r}, not {PROBLEM_JSON}"
    )
    body = response.json()
    assert isinstance(body, dict), "a problem is a JSON object"
    assert body.get("status") == response.status_code, "its status is the answer's"
    assert isinstance(body.get("title"), str), "a problem has a title"
    return True


# The rules every answer keeps: no 5xx; a status, media type, headers and body the
# schema documents; every error a problem. Not schemathesis's positive_data_acceptance
# and negative_data_rejection: the first wants a 2xx for anything the schema allows
# (a taken username, a card failing the Luhn check are 400s by rules no schema
# states), the second a 4xx for `?page=`, which the contract reads as "not given".
CHECKS: list[CheckFunction] = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    errors_are_problems,
]


@dataclass(frozen=True)
class Target:
    """One OpenAPI schema, ``{base_url}{schema_path}``, describing ``base_url``.

    ``linked``: the schema has links (an id a POST returns, a GET takes), so
    schemathesis's stateful mode can chain its operations.
    """

    name: str
    base_url: str
    schema_path: str = "/api/schema/"
    linked: bool = False

    def schema(self) -> Any:
        url = f"{self.base_url}{self.schema_path}?format=json"
        return schemathesis.openapi.from_url(url, timeout=TIMEOUT)


def targets(stack: Stack) -> list[Target]:
    """The monolith's schema; on the services stack, the gateway's merged schema and
    each service's own on its own port, catalog's internal API included (when this
    run started the stack: one started by someone else shows only its gateway)."""
    if stack.name.startswith("monolith"):
        return [Target("monolith", stack.base_url, linked=True)]
    url = stack.web_urls
    direct = ["orders", "payments", "storefront", "recommendations", "reports"]
    found = [
        Target("gateway", stack.base_url, linked=True),
        *([Target("catalog", url["catalog"], linked=True)] if url else []),
        *(Target(name, url[name]) for name in direct if name in url),
    ]
    if url and stack.keys_dir is not None:  # with keys to sign orders' credential
        found.append(Target("catalog-internal", url["catalog"], "/internal/schema/"))
    return found


@dataclass(frozen=True)
class Credentials:
    """The headers of a customer, of a staff user and of the orders service."""

    customer: dict[str, str]
    staff: dict[str, str]
    service: dict[str, str]

    @classmethod
    def for_stack(
        cls, stack: Stack, customer: dict[str, str], staff: dict[str, str]
    ) -> "Credentials":
        service = {}
        if stack.keys_dir is not None:  # a services stack this run started
            token = service_token(
                StackKeys(stack.keys_dir),
                caller="orders",
                audience="catalog",
                exp=int(time.time()) + SERVICE_TOKEN_SECONDS,
            )
            service = {"X-Service-Token": token}
        return cls(customer, staff, service)

    def headers(self, case: Case) -> dict[str, str]:
        if case.path.startswith(INTERNAL_PREFIX):
            return self.service
        if (case.method.upper(), case.path) in STAFF_ONLY:
            return self.staff
        return self.customer


@dataclass(frozen=True)
class ProductGuard:
    """Keeps the fuzzer's writes off the products that other tests read.

    Generated ids are small integers as often as not, and so are the seeded
    catalogue's: a fuzzed PATCH, DELETE, order or reservation would change them
    under another test. Each id of a product that ``existing`` names is swapped for
    one of the fuzzer's ``own`` products; an unknown id goes as it is.
    """

    existing: frozenset[int]
    own: tuple[int, ...]

    def apply(self, case: Case) -> None:
        if case.path_parameters:
            case.path_parameters = self._swapped(case.path_parameters)
        if isinstance(case.body, dict | list):
            case.body = self._swapped(case.body)

    def _swapped(self, node: Any) -> Any:
        if isinstance(node, list):
            return [self._swapped(item) for item in node]
        if not isinstance(node, dict):
            return node
        swapped = {key: self._swapped(value) for key, value in node.items()}
        product_id = swapped.get("product_id")
        if isinstance(product_id, int) and product_id in self.existing:
            swapped["product_id"] = self.own[product_id % len(self.own)]
        return swapped


@dataclass
class Findings:
    """How many requests a run sent, how many were accepted (2xx), and each kind of
    failure it met, with its report."""

    requests: int = 0
    accepted: int = 0
    failures: dict[str, str] = field(default_factory=dict)

    @property
    def figures(self) -> str:
        share = self.accepted / self.requests if self.requests else 0
        return f"{self.requests} requests, {share:.0%} of them accepted (2xx)"

    def record(self, label: str, failure: Failure, report: FailureGroup) -> None:
        first_line = (failure.message or "").partition("\n")[0]
        key = f"{label}: {failure.title}: {first_line[:100]}"
        self.failures.setdefault(key, str(report)[:3000])

    def summary(self) -> str:
        kinds = "\n".join(f"- {key}" for key in self.failures)
        first = next(iter(self.failures.values()), "")
        return f"{len(self.failures)} kinds of failure:\n{kinds}\n\nThe first:\n{first}"


@dataclass(frozen=True)
class Fuzzer:
    """Sends generated requests to a stack as the right caller, checks the answers
    and adds what it sent and met to ``findings``."""

    credentials: Credentials
    guard: ProductGuard

    def call_kwargs(self, target: Target, case: Case) -> dict[str, Any]:
        self.guard.apply(case)
        headers = self.credentials.headers(case)
        return {"base_url": target.base_url, "headers": headers, "timeout": TIMEOUT}

    def check(
        self,
        findings: Findings,
        target: Target,
        case: Case,
        response: Response,
        headers: dict[str, str],
    ) -> None:
        findings.requests += 1
        findings.accepted += (
            HTTPStatus.OK <= response.status_code < HTTPStatus.MULTIPLE_CHOICES
        )
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as group:
            for failure in group.exceptions:
                label = f"{target.name} {case.operation.label}"
                findings.record(label, failure, group)

    def operations(
        self, findings: Findings, target: Target, schema: Any, *, examples: int
    ) -> None:
        """Up to ``examples`` generated requests for each operation of ``schema``
        (``target``'s), valid ones and invalid ones alike."""
        for result in schema.get_all_operations():
            operation = result.ok()  # a part of the schema it cannot read fails here
            cases = st.one_of(
                operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
                operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
            )

            @hypothesis.settings(max_examples=examples, **HYPOTHESIS)
            @hypothesis.given(case=cases)
            def send(case: Case) -> None:
                kwargs = self.call_kwargs(target, case)
                response = case.call(**kwargs)
                self.check(findings, target, case, response, kwargs["headers"])

            send()

    def links(self, findings: Findings, target: Target, *, scenarios: int) -> None:
        """schemathesis's stateful mode: ``scenarios`` chains of calls that follow
        the schema's links (create a product, then read, change, delete it)."""
        fuzzer = self

        class LinkedCalls(target.schema().as_state_machine()):  # type: ignore[misc]
            def get_call_kwargs(self, case: Case) -> dict[str, Any]:
                return fuzzer.call_kwargs(target, case)

            def validate_response(
                self, response: Response, case: Case, *args: Any, **kwargs: Any
            ) -> None:
                fuzzer.check(findings, target, case, response, kwargs["headers"])

        settings = hypothesis.settings(
            max_examples=scenarios, stateful_step_count=6, **HYPOTHESIS
        )
        # Hypothesis may draw a chain's first steps again; the server, whose products
        # and orders have changed since, then offers other links and Hypothesis
        # stops the run. Every request sent before that was checked.
        with contextlib.suppress(FlakyStrategyDefinition):
            LinkedCalls.run(settings=settings)
