"""A stand-in for the catalog service: its internal API, served over real HTTP.

A small server on a loopback port, in a thread of the test process, that answers
``POST /internal/reservations/`` and ``DELETE /internal/reservations/<ref>/`` the
way catalog does (CONTRACT: the spec's "Internal API of catalog"), keeps its stock
in memory and records every request, so that a test can see what orders asked.
"""

import json
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt

from extracted_services.chassis.auth import SERVICE_TOKEN_HEADER, service_caller

RESERVATIONS = "/internal/reservations/"


@dataclass
class Call:
    method: str
    path: str
    body: dict | None
    caller: str  # the service named in the X-Service-Token
    request_id: str


@dataclass
class CatalogStandIn:
    """Products by id as ``{"name", "category", "price", "stock"}``; reservations."""

    products: dict[int, dict] = field(default_factory=dict)
    reservations: dict[str, dict] = field(default_factory=dict)
    released: set[str] = field(default_factory=set)
    calls: list[Call] = field(default_factory=list)
    # Answer this many of the next requests with a 503, as a catalog in trouble.
    failures: int = 0
    url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_product(
        self,
        product_id: int,
        name: str,
        price: str,
        stock: int,
        category: str = "kitchen",
    ) -> None:
        self.products[product_id] = {
            "name": name,
            "category": category,
            "price": price,
            "stock": stock,
        }

    def stock(self, product_id: int) -> int:
        return self.products[product_id]["stock"]

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    # What catalog does, in memory: all or nothing, once per order ref.
    def reserve(self, body: dict) -> tuple[int, dict]:
        ref = body["order_ref"]
        if ref in self.reservations:
            return HTTPStatus.OK, self.reservations[ref]
        quantities: dict[int, int] = {}
        for item in body["items"]:
            pid = item["product_id"]
            quantities[pid] = quantities.get(pid, 0) + item["quantity"]
        unknown = sorted(set(quantities) - set(self.products))
        if unknown:
            ids = ", ".join(map(str, unknown))
            return HTTPStatus.BAD_REQUEST, {
                "type": "/problems/validation-error",
                "title": "Your request parameters didn't validate.",
                "status": HTTPStatus.BAD_REQUEST,
                "detail": "The request body has invalid fields.",
                "errors": {"items": [f"Unknown product ids: {ids}."]},
            }
        for pid, quantity in sorted(quantities.items()):
            product = self.products[pid]
            if product["stock"] < quantity:
                return HTTPStatus.CONFLICT, {
                    "type": "/problems/out-of-stock",
                    "title": "Out of stock",
                    "status": HTTPStatus.CONFLICT,
                    "detail": f"Only {product['stock']} of {product['name']} "
                    "left in stock.",
                    "product_id": pid,
                }
        for pid, quantity in quantities.items():
            self.products[pid]["stock"] -= quantity
        self.reservations[ref] = {
            "order_ref": ref,
            "items": [
                {
                    "product_id": pid,
                    "name": self.products[pid]["name"],
                    "category": self.products[pid]["category"],
                    "price": str(Decimal(self.products[pid]["price"])),
                    "quantity": quantity,
                }
                for pid, quantity in sorted(quantities.items())
            ],
        }
        return HTTPStatus.CREATED, self.reservations[ref]

    def release(self, ref: str) -> None:
        if ref in self.reservations and ref not in self.released:
            self.released.add(ref)
            for line in self.reservations[ref]["items"]:
                self.products[line["product_id"]]["stock"] += line["quantity"]


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def do_GET(self):
        if self.path == "/healthz":
            self._answer(HTTPStatus.OK, {"status": "ok"})
        else:
            self._answer(HTTPStatus.NOT_FOUND, {"detail": "Not found."})

    def do_POST(self):
        self._handle("POST")

    def do_DELETE(self):
        self._handle("DELETE")

    def _handle(self, method: str) -> None:
        catalog = self.server.catalog
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length)) if length else None
        try:
            caller = service_caller(
                self.headers.get(SERVICE_TOKEN_HEADER, ""), audience="catalog"
            )
        except jwt.InvalidTokenError:
            self._answer(HTTPStatus.FORBIDDEN, {"detail": "Bad service token."})
            return
        with catalog.lock:
            catalog.calls.append(
                Call(method, self.path, body, caller, self.headers.get("X-Request-ID"))
            )
            if catalog.failures > 0:
                catalog.failures -= 1
                self._answer(HTTPStatus.SERVICE_UNAVAILABLE, {"detail": "Busy."})
            elif method == "POST" and self.path == RESERVATIONS:
                self._answer(*catalog.reserve(body))
            elif method == "DELETE" and self.path.startswith(RESERVATIONS):
                catalog.release(self.path.removeprefix(RESERVATIONS).strip("/"))
                self._answer(HTTPStatus.NO_CONTENT, None)
            else:
                self._answer(HTTPStatus.NOT_FOUND, {"detail": "Not found."})

    def _answer(self, status: int, body: dict | None) -> None:
        content = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, format, *args):
        pass  # quiet: the test reads catalog.calls instead


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    catalog: CatalogStandIn


def serve(catalog: CatalogStandIn) -> _Server:
    """Start serving ``catalog`` on a free loopback port, in a thread."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.catalog = catalog
    catalog.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    return server
