"""Fuzzing: requests generated from the OpenAPI schemas break none of the API's rules.

schemathesis reads each schema a stack serves (the monolith's; the gateway's and
each service's on its own port) and sends requests made from it, valid and invalid,
authenticated as a customer, as staff where the operation needs it, and as the
orders service on catalog's internal API. Every answer: no 5xx, every error a
problem+json, nothing the schema does not document (fuzzing.py has the rules).
The run is the same on every run; its request counts are printed at the end of
the session ("fuzzing" section). To reproduce one failure, run its curl command.
"""

import math

import httpx
import pytest

from tests.harness.stack import Stack

from .fuzzing import Credentials, Findings, Fuzzer, ProductGuard, targets
from .helpers import StaffTokens, create_product, register

# Generated requests per stack, shared out among its operations (18 on the
# monolith, 36 in the services stack's schemas). monolith-postgres runs the
# monolith's code again on another database: a quarter of the run is enough for
# what only the database answers differently (its integer bounds, say).
REQUESTS = {"monolith-postgres": 250}
DEFAULT_REQUESTS = 1000
# A few operations have fewer distinct requests than their share (GET
# /api/categories/ has one): the others make up for them.
MARGIN = 1.1
SCENARIOS = 20  # chains of linked calls per linked schema, up to 6 calls each
OWN_PRODUCTS = 5
OWN_STOCK = 1_000_000  # enough for every order the fuzzer places


def _product_ids(api: httpx.Client) -> set[int]:
    """The id of every product there is, page after page."""
    ids: set[int] = set()
    url: str | None = "/api/products/?page_size=100"
    while url:
        page = api.get(url).raise_for_status().json()
        ids |= {product["id"] for product in page["results"]}
        url = page["next"]
    return ids


@pytest.fixture(scope="module")
def fuzzer(stack: Stack) -> Fuzzer:
    """A customer, a staff token and products of the fuzzer's own, for one stack."""
    with httpx.Client(base_url=stack.base_url, timeout=15) as api:
        customer = register(api, prefix="fuzz")
        staff = StaffTokens(stack).headers(api)
        existing = _product_ids(api)
        own = [
            create_product(api, staff, stock=OWN_STOCK)["id"]
            for _ in range(OWN_PRODUCTS)
        ]
    credentials = Credentials.for_stack(stack, customer.headers, staff)
    return Fuzzer(credentials, ProductGuard(frozenset(existing), tuple(own)))


def test_generated_requests_break_no_rule(stack, fuzzer, fuzz_figures):
    """A thousand requests, valid and invalid, to every operation of every schema
    the stack serves: no 5xx, every error a problem, nothing undocumented."""
    wanted = REQUESTS.get(stack.name, DEFAULT_REQUESTS)
    schemas = {target: target.schema() for target in targets(stack)}
    operations = sum(len(list(s.get_all_operations())) for s in schemas.values())
    examples = math.ceil(wanted * MARGIN / operations)
    findings = Findings()
    for target, schema in schemas.items():
        fuzzer.operations(findings, target, schema, examples=examples)

    names = ", ".join(target.name for target in schemas)
    fuzz_figures.append(
        f"{stack.name}: {findings.figures}; {operations} operations of: {names}"
    )
    assert not findings.failures, findings.summary()
    assert findings.requests >= wanted


def test_chains_of_linked_calls_break_no_rule(stack, fuzzer, fuzz_figures):
    """schemathesis's stateful mode on each schema with links: a product made, then
    read, changed and deleted; an order placed, then read. The same rules hold."""
    findings = Findings()
    linked = [target for target in targets(stack) if target.linked]
    for target in linked:
        fuzzer.links(findings, target, scenarios=SCENARIOS)

    names = ", ".join(target.name for target in linked)
    fuzz_figures.append(
        f"{stack.name}: {findings.figures}; {SCENARIOS} chains of linked calls"
        f" on each of: {names}"
    )
    assert not findings.failures, findings.summary()
    assert findings.requests >= SCENARIOS
