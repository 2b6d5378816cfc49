"""What the simulated users do: a scenario per shop page or API the bench measures.

Each scenario is a ``setup`` (once per simulated user, before the measured window) and a
``step`` (one iteration, repeated as fast as the server answers). Both get a *visitor*:
the load generator's handle on one simulated user (``bench/loadgen.py``), with

- ``client``: locust's FastHttpSession (its own keep-alive connection and cookies);
- ``data``: what the bench found on the stack (product ids, search words, accounts);
- ``rng``, ``state``: the user's random stream and memory (its cart, its token);
- ``context()``, ``flow()``, ``accept()``, ``fail()``: how a step reports what it saw;
- ``traced()``: the trace id of a request the server traced (``http.note_trace``).

The steps live in ``reads``, ``orders`` and ``session``; ``http`` is how they talk.
Nothing here imports locust, so the rest of the bench can read this catalogue too.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .http import ScenarioError, bearer
from .orders import POLL_INTERVAL, order_rush_step, time_to_paid_step
from .reads import (
    cart_page_step,
    fill_cart,
    floor_step,
    home_page_step,
    hop_step,
    product_detail_step,
    product_list_step,
    search_step,
)
from .session import SESSION_WEIGHTS, session_setup, session_step

__all__ = ["SCENARIOS", "SESSION_WEIGHTS", "Scenario", "ScenarioError"]


@dataclass(frozen=True)
class Scenario:
    """A scenario, and what its figures mean.

    ``figure`` names what one unit of its throughput and latency is: every request
    (None), or a flow the step reports (``time to paid``: from sending the order to
    seeing it paid). ``fixed_rate``: also measured at a fixed arrival rate.
    """

    name: str
    title: str
    what: str
    step: Callable
    setup: Callable | None = None
    figure: str | None = None
    kind: str = "json"
    fixed_rate: bool = False
    sweep: bool = False  # measured at every --sweep concurrency, not only --users
    touches_stock: bool = False
    # False: not measured side by side on both stacks, but in a phase and a report
    # section of its own (the hop: bench/hop.py).
    side_by_side: bool = True


SCENARIOS = {
    s.name: s
    for s in [
        Scenario(
            "floor", "Floor: a trivial JSON view", "GET /healthz: the same server, "
            "settings and middleware, and no work: what the framework can do at all.",
            floor_step,
        ),
        Scenario(
            "hop", "Hop: Django and one internal hop, against a bare round trip",
            "One user: a bare WSGI hello under the same gunicorn, the gateway's "
            "/healthz, a trivial storefront view directly and through the gateway.",
            hop_step, side_by_side=False,
        ),
        Scenario(
            "product-list", "Product list (JSON)",
            "GET /api/products/?page=n, a page of 20 from the first ten.",
            product_list_step, fixed_rate=True, sweep=True,
        ),
        Scenario(
            "product-detail", "Product detail (JSON)",
            "GET /api/products/<id>/ for one of the first 100 products.",
            product_detail_step, fixed_rate=True, sweep=True,
        ),
        Scenario(
            "search", "Search (JSON)",
            "GET /api/products/?search=<word>, a word from the products' names.",
            search_step, fixed_rate=True,
        ),
        Scenario(
            "home-page", "Home page (HTML)",
            "GET /: categories and the first page of products, rendered.",
            home_page_step, kind="html", fixed_rate=True, sweep=True,
        ),
        Scenario(
            "cart-page", "Cart page, 10 lines (HTML)",
            "GET /cart/ with ten different products in the session's cart.",
            cart_page_step, setup=fill_cart, kind="html", fixed_rate=True,
        ),
        Scenario(
            "time-to-paid", "Time to paid",
            "POST /api/orders/ with the approved test card, then GET the order every "
            f"{POLL_INTERVAL * 1000:.0f} ms until it is paid: the customer's wait.",
            time_to_paid_step, setup=bearer, figure="time to paid", kind="flow",
            touches_stock=True,
        ),
        Scenario(
            "order-rush", "Order throughput",
            "POST /api/orders/ back to back; one in four races for a scarce product "
            "until it is sold out (409). Throughput counts placed orders.",
            order_rush_step, setup=bearer, figure="order placed", kind="flow",
            sweep=True, touches_stock=True,
        ),
        Scenario(
            "shop-session", "Mixed shop session (HTML)",
            "Signed-in shoppers browse, search, add to the cart and check out, "
            "with the weights in SESSION_WEIGHTS.",
            session_step, setup=session_setup, kind="mixed", touches_stock=True,
        ),
    ]
}  # fmt: skip
