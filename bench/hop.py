"""The hop scenario: what Django costs, and what one internal hop costs, measured
against the bare loopback round trip.

Four round trips, each measured by one user (so nothing queues and the figure is the
round trip itself), on the services stack the bench started:

- ``hello``: ``bench/hello.py``, a WSGI app with no framework, under the same gunicorn
  command, config, workers and threads: gunicorn, loopback and the load generator;
- ``floor``: the gateway's ``/healthz``: Django with every middleware, and no work;
- ``direct``: a trivial view of the storefront, called directly;
- ``gateway``: the same view through the gateway: one internal hop more.

The trivial view is the storefront's answer to a path under ``/api/echo/`` that no
URL matches (``HOP_PATH``): its URL resolver finds nothing and ``api_aware_404``
answers a short problem+json, with no database, session or template. The gateway
forwards ``/api/echo`` to the storefront like any API path, and never forwards
``/healthz``. Nothing is added to any service, and the contract does not change:
every unknown path is a 404 already.

The figures that follow (``multiples``), all on p50, medians over rounds:

- ``django``: floor / hello, what a Django request costs in bare round trips;
- ``hop``: (gateway - direct) / hello, what one internal hop adds, in bare round
  trips (the issue's target: at most 3);
- ``gateway``: gateway / hello, the whole proxied call.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus

from bench.stats import over_rounds

SCENARIO = "hop"
USERS = 1  # one user: a round trip, never a queue
HOP_PATH = "/api/echo/hop/"  # the trailing slash spares CommonMiddleware's slash check


@dataclass(frozen=True)
class Part:
    """One of the four round trips: which server, which path, which answer."""

    name: str
    title: str
    server: str  # "hello", or a process name of the services stack (web_urls)
    path: str
    status: int


PARTS = {
    p.name: p
    for p in [
        Part("hello", "bare WSGI hello (no Django)", "hello", "/", HTTPStatus.OK),
        Part("floor", "Django floor: the gateway's /healthz", "gateway", "/healthz",
             HTTPStatus.OK),
        Part("direct", f"trivial view, direct: storefront {HOP_PATH}", "storefront",
             HOP_PATH, HTTPStatus.NOT_FOUND),
        Part("gateway", f"the same through the gateway: {HOP_PATH}", "gateway",
             HOP_PATH, HTTPStatus.NOT_FOUND),
    ]
}  # fmt: skip


def data_for(part: Part) -> dict:
    """What the load generator's hop step reads: where to go, what to expect."""
    return {"hop": {"path": part.path, "status": int(part.status), "part": part.name}}


def key(part: str, products: int) -> str:
    """The measurement key of one part (``plan.Step.key``: its "stack" is the part)."""
    return f"{SCENARIO}/{part}/default/{USERS}u/{products}"


# name -> (title, parts added, parts taken away, the part divided by)
MULTIPLES = {
    "django": ("Django floor / bare round trip", ("floor",), (), "hello"),
    "hop": ("one internal hop / bare round trip: (gateway - direct) / hello",
            ("gateway",), ("direct",), "hello"),
    "gateway": ("call through the gateway / bare round trip", ("gateway",), (),
                "hello"),
}  # fmt: skip


def multiples(p50s: Mapping[str, list[float | None]]) -> dict:
    """Each multiple, round by round, then its median and spread over the rounds.

    ``p50s`` maps each part to its p50 in each round (None where not measured). A
    round where a part a multiple needs is missing gives that multiple no value.
    """
    rounds = max((len(values) for values in p50s.values()), default=0)
    figures: dict = {}
    for name, (title, plus, minus, base) in MULTIPLES.items():
        per_round: list[float | None] = []
        for index in range(rounds):
            at = {part: _p50(p50s, part, index) for part in (*plus, *minus, base)}
            top = [at[part] for part in plus]
            bottom = [at[part] for part in minus]
            divisor = at[base]
            if not divisor or None in top or None in bottom:
                per_round.append(None)
                continue
            difference = sum(v or 0.0 for v in top) - sum(v or 0.0 for v in bottom)
            per_round.append(round(difference / divisor, 3))
        figures[name] = {"title": title, **over_rounds(per_round)}
    return figures


def _p50(p50s: Mapping[str, list[float | None]], part: str, index: int):
    values = p50s.get(part) or []
    return values[index] if index < len(values) else None
