"""The customers: a steady stream of orders from several users, retried as real
clients retry.

Each order carries an ``Idempotency-Key``, and every retry of it sends the same key and
the same body: on a 503 (after its ``Retry-After``, capped), on a 409 that says the key
is still in use (it too has a ``Retry-After``), on a 5xx, and when no answer came at all
(connection refused or reset). A client retries one order for ``give_up_seconds`` at
most, then abandons it, as a person would close the tab. Every request is recorded, so
the audit can tell what the customers saw while a fault was in effect.
"""

import random
import threading
import time
import uuid
from dataclasses import asdict, dataclass
from http import HTTPStatus

import httpx

from .plan import APPROVED_CARD, DECLINED_CARDS, Plan

RETRY_AFTER_CAP = 5.0  # never wait longer than this, whatever Retry-After says
BACKOFF = (0.25, 0.5, 1.0, 2.0)  # no answer at all: wait a little longer each time


@dataclass(frozen=True)
class Customer:
    username: str
    password: str


@dataclass(frozen=True)
class Answer:
    """One request and what came back; ``status`` 0 when nothing came back."""

    began: float  # seconds from the start of the stream
    ms: float
    what: str  # "place" or "read"
    status: int
    retry_after: bool  # the answer said when to come back
    hang: bool = False  # no answer within the request timeout

    @property
    def server_error(self) -> bool:
        """A 5xx that is not the documented 503 problem with Retry-After."""
        unavailable = self.status == HTTPStatus.SERVICE_UNAVAILABLE
        return self.status >= 500 and not (unavailable and self.retry_after)


@dataclass
class Placement:
    """One order the customers wanted, and what became of it."""

    index: int
    username: str
    key: str
    card: str
    lines: list[dict]
    outcome: str = "waiting"  # accepted, rejected (a 4xx) or abandoned
    order_id: int | None = None
    status: int | None = None  # the last answer's HTTP status
    attempts: int = 0

    @property
    def approved(self) -> bool:
        return self.card == APPROVED_CARD

    def as_dict(self) -> dict:
        return {**asdict(self), "card": self.card[-4:]}


class OrderStream:
    """Places ``plan.orders`` orders over ``plan.stream_seconds`` from ``plan.users``
    threads, one user each; orders are released evenly, so load stays steady."""

    def __init__(
        self,
        base_url: str,
        customers: list[Customer],
        product_ids: list[int],
        plan: Plan,
    ):
        self.base_url, self.customers, self.plan = base_url, customers, plan
        self.product_ids = product_ids
        self.placements: list[Placement] = []
        self.answers: list[Answer] = []
        self.started = time.monotonic()
        self._lock = threading.Lock()
        self._next = 0
        self._placing = 0
        self._threads = [
            threading.Thread(target=self._customer, args=(customer,), daemon=True)
            for customer in customers
        ]

    # ---------------------------------------------------------------- running

    def start(self) -> None:
        self.started = time.monotonic()
        for thread in self._threads:
            thread.start()

    def join(self) -> None:
        for thread in self._threads:
            thread.join()

    def running(self) -> bool:
        return any(thread.is_alive() for thread in self._threads)

    def now(self) -> float:
        return time.monotonic() - self.started

    def placing(self) -> int:
        """Order placements in flight (a fault may wait for one to strike)."""
        return self._placing

    def counts(self) -> dict[str, int]:
        with self._lock:
            placements = list(self.placements)
        counts = {"accepted": 0, "rejected": 0, "abandoned": 0, "waiting": 0}
        for placement in placements:
            counts[placement.outcome] += 1
        counts["retrying"] = sum(
            p.outcome == "waiting" and p.attempts > 1 for p in placements
        )
        return counts

    def _ticket(self) -> int | None:
        """The next order to place, or None when all have been handed out."""
        with self._lock:
            if self._next >= self.plan.orders:
                return None
            self._next += 1
            return self._next - 1

    def _customer(self, customer: Customer) -> None:
        with httpx.Client(
            base_url=self.base_url, timeout=self.plan.request_timeout
        ) as http:
            token = self._sign_in(http, customer)
            while (index := self._ticket()) is not None:
                due = index * self.plan.stream_seconds / self.plan.orders
                time.sleep(max(0.0, due - self.now()))
                placement = self._placement(index, customer)
                with self._lock:
                    self.placements.append(placement)
                token = self._place(http, customer, token, placement)

    # ---------------------------------------------------------------- one order

    def _placement(self, index: int, customer: Customer) -> Placement:
        """What the customer orders: drawn from the seed, so a run can be repeated."""
        rng = random.Random(f"{self.plan.seed}-order-{index}")
        products = rng.sample(self.product_ids, k=rng.choice((1, 1, 2)))
        lines = [{"product_id": pk, "quantity": rng.randint(1, 3)} for pk in products]
        card = APPROVED_CARD if rng.random() < 0.7 else rng.choice(DECLINED_CARDS)
        return Placement(index, customer.username, str(uuid.uuid4()), card, lines)

    def _place(
        self, http: httpx.Client, customer: Customer, token: str, placement: Placement
    ) -> str:
        """Send the order until it is accepted, refused, or the client gives up."""
        body = {
            "items": placement.lines,
            "card_number": placement.card,
            "shipping": {"name": customer.username, "address": "1 Chaos Street"},
        }
        give_up = time.monotonic() + self.plan.give_up_seconds
        while True:
            placement.attempts += 1
            headers = {
                "Authorization": f"Bearer {token}",
                "Idempotency-Key": placement.key,
            }
            response = self._send(http, "place", "POST", "/api/orders/", body, headers)
            placement.status = response.status_code if response is not None else None
            if response is not None and response.status_code in (200, 201):
                placement.outcome = "accepted"
                placement.order_id = response.json()["id"]
                self._read(http, token, placement.order_id)
                return token
            if response is not None and response.status_code == HTTPStatus.UNAUTHORIZED:
                token = self._sign_in(http, customer)  # the access token expired
                wait: float | None = 0.0
            else:
                wait = _retry_wait(response, placement.attempts)
            if wait is None:
                placement.outcome = "rejected"  # 400, 409 out of stock, 422: final
                return token
            if time.monotonic() + wait > give_up:
                placement.outcome = "abandoned"
                return token
            time.sleep(wait)

    def _read(self, http: httpx.Client, token: str, order_id: int) -> None:
        """Read the new order back once: reads must work while things are broken."""
        headers = {"Authorization": f"Bearer {token}"}
        self._send(http, "read", "GET", f"/api/orders/{order_id}/", None, headers)

    def _sign_in(self, http: httpx.Client, customer: Customer) -> str:
        body = {"username": customer.username, "password": customer.password}
        for attempt in range(1, 60):
            response = self._send(http, "sign-in", "POST", "/api/auth/token/", body, {})
            if response is not None and response.status_code == HTTPStatus.OK:
                return response.json()["access"]
            time.sleep(_retry_wait(response, attempt) or 1.0)
        raise RuntimeError(f"{customer.username} could not sign in for a minute")

    def _send(
        self,
        http: httpx.Client,
        what: str,
        method: str,
        path: str,
        body: dict | None,
        headers: dict[str, str],
    ) -> httpx.Response | None:
        """One request, recorded; None when no answer came (refused, reset, timeout)."""
        began = self.now()
        placing = int(what == "place")
        with self._lock:
            self._placing += placing
        response, hang = None, False
        try:
            response = http.request(method, path, json=body, headers=headers)
        except httpx.TimeoutException:
            hang = True
        except httpx.TransportError:
            pass  # refused or reset: a process died under us; the client retries
        finally:
            with self._lock:
                self._placing -= placing
        answer = Answer(
            began=began,
            ms=(self.now() - began) * 1000,
            what=what,
            status=response.status_code if response is not None else 0,
            retry_after=response is not None and "Retry-After" in response.headers,
            hang=hang,
        )
        with self._lock:
            self.answers.append(answer)
        return response


def _retry_wait(response: httpx.Response | None, attempt: int) -> float | None:
    """Seconds to wait before retrying, or None when retrying cannot help."""
    if response is None:
        return BACKOFF[min(attempt, len(BACKOFF)) - 1]
    status = response.status_code
    if "Retry-After" in response.headers:  # 503, or 409 "key still in use"
        try:
            return min(float(response.headers["Retry-After"]), RETRY_AFTER_CAP)
        except ValueError:
            return RETRY_AFTER_CAP
    if status >= 500:
        return BACKOFF[min(attempt, len(BACKOFF)) - 1]
    return None
