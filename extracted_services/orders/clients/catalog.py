"""The one module that talks to the catalog service: reserve and release stock.

In the monolith these were ``catalog.services.stock_reserve`` and ``stock_release``,
function calls inside the order's transaction. Here they are HTTP requests through
the chassis's client (a timeout, retries, a circuit breaker), made outside any
transaction, and catalog knows each reservation by the order's reference, so that
a retried request takes the stock once.
"""

import logging
from dataclasses import dataclass
from decimal import Decimal
from http import HTTPStatus
from uuid import UUID

import httpx

from extracted_services.chassis.http import client_for
from extracted_services.chassis.problems import ServiceUnavailable

SERVICE = "catalog"

logger = logging.getLogger(__name__)


class UnknownProducts(Exception):
    """Some ids are no product; the message is catalog's ("Unknown product ids: 7.")."""


class OutOfStock(Exception):
    def __init__(self, product_id: int, message: str):
        self.product_id = product_id
        super().__init__(message)  # catalog's: "Only 5 of Teapot left in stock."


@dataclass(frozen=True)
class ReservedLine:
    """A product as catalog reserved it: its name, category and price at this moment."""

    product_id: int
    name: str
    category: str  # the category's slug
    price: Decimal
    quantity: int


def stock_reserve(
    *, order_ref: UUID, quantities: dict[int, int]
) -> dict[int, ReservedLine]:
    """Take ``{product_id: quantity}`` out of stock for one order, all or nothing.

    Returns the reserved lines by product id. Raises UnknownProducts, OutOfStock,
    and ServiceUnavailable when catalog cannot be reached.
    """
    body = {
        "order_ref": str(order_ref),
        "items": [
            {"product_id": product_id, "quantity": quantity}
            for product_id, quantity in quantities.items()
        ],
    }
    # A POST, yet safe to retry: the same order_ref again reserves nothing more.
    response = client_for(SERVICE).post(
        "/internal/reservations/", json=body, idempotent=True
    )
    if response.status_code in (HTTPStatus.OK, HTTPStatus.CREATED):
        return {
            line["product_id"]: ReservedLine(
                product_id=line["product_id"],
                name=line["name"],
                category=line["category"],
                price=Decimal(line["price"]),
                quantity=line["quantity"],
            )
            for line in response.json()["items"]
        }
    problem = response.json()
    if response.status_code == HTTPStatus.CONFLICT:
        raise OutOfStock(problem["product_id"], problem["detail"])
    if response.status_code == HTTPStatus.GONE:
        # We gave this order up (our call timed out) and released it, and catalog
        # heard the release first: it took nothing. Not the customer's fault.
        logger.warning("catalog: %s", problem.get("detail"))
        raise ServiceUnavailable(SERVICE)
    if response.status_code == HTTPStatus.BAD_REQUEST and "items" in problem.get(
        "errors", {}
    ):
        raise UnknownProducts(problem["errors"]["items"][0])
    raise _disagreement(response)


def stock_release(*, order_ref: UUID | str) -> None:
    """Put the order's stock back (the saga's compensation); safe to repeat."""
    response = client_for(SERVICE).delete(f"/internal/reservations/{order_ref}/")
    if response.status_code != HTTPStatus.NO_CONTENT:
        raise _disagreement(response)


def _disagreement(response: httpx.Response) -> ServiceUnavailable:
    # A 401, 403 or 404 means the two services disagree about keys or the API: not
    # the user's fault, and nothing they can fix by changing the request.
    logger.error(
        "%s answered %s to %s %s: %s",
        SERVICE,
        response.status_code,
        response.request.method,
        response.request.url.path,
        response.text[:200],
    )
    return ServiceUnavailable(SERVICE)
