"""What the scenarios need from a stack, obtained through its public API.

Customer accounts (signed up through the API, like anyone), their refresh tokens, the
products to browse and order (the first 100, with plenty of stock), one scarce product
for the order rush, and words to search for. The same calls work on any stack, so the
bench can measure stacks it did not start.
"""

import math
import re
import secrets
import time
from http import HTTPStatus

import httpx

from bench.scenarios.http import TOKEN_LIFETIME

PLENTY = 1_000_000  # stock of the products the scenarios order: never runs out
BROWSED = 100  # products the scenarios pick from
ORDERED = 20  # of which the orders go to the first 20
PAGE_SIZE = 20  # the API's default page
LIST_PAGES = 10  # the product-list scenario reads pages 1 to 10
BATCH = 100  # ids per ?ids= request, the API's most
PASSWORD_BYTES = 48  # 64 characters once encoded: see customer_password()


class SetupError(RuntimeError):
    """The stack refused what the bench needs; the message says what to do."""


def _check(response: httpx.Response, what: str, expected=HTTPStatus.OK) -> dict:
    if response.status_code == HTTPStatus.TOO_MANY_REQUESTS:
        raise SetupError(
            f"{what}: 429, rate-limited. Start the stack with a higher "
            "AUTH_THROTTLE_RATE (e.g. AUTH_THROTTLE_RATE=100000/min make run)."
        )
    if response.status_code != expected:
        raise SetupError(f"{what}: HTTP {response.status_code} {response.text[:300]}")
    return response.json()


class ShopClient:
    """The bench's own calls to one stack: staff writes, stock reads, sign-ups."""

    def __init__(self, base_url: str, staff: tuple[str, str]):
        self.http = httpx.Client(base_url=base_url, timeout=30)
        self.staff = staff
        # Never fetched: due at once, even on a machine up for less than TOKEN_LIFETIME
        # (monotonic time may start near 0 at boot).
        self._staff_token, self._staff_token_at = "", -float(TOKEN_LIFETIME)

    def close(self) -> None:
        self.http.close()

    def sign_up(self, username: str, password: str) -> str:
        """A new customer; returns their refresh token."""
        body = {"username": username, "email": f"{username}@example.com"}
        response = self.http.post(
            "/api/auth/register/", json={**body, "password": password}
        )
        _check(response, f"signing up {username}", HTTPStatus.CREATED)
        return self.tokens(username, password)["refresh"]

    def tokens(self, username: str, password: str) -> dict:
        body = {"username": username, "password": password}
        response = self.http.post("/api/auth/token/", json=body)
        return _check(response, f"signing in as {username}")

    def staff_headers(self) -> dict[str, str]:
        if time.monotonic() - self._staff_token_at >= TOKEN_LIFETIME:
            self._staff_token = self.tokens(*self.staff)["access"]
            self._staff_token_at = time.monotonic()
        return {"Authorization": f"Bearer {self._staff_token}"}

    def products(self, count: int) -> tuple[list[dict], int]:
        """The first ``count`` products (by the API's order), and how many there are."""
        params = {"page_size": count}
        body = _check(
            self.http.get("/api/products/", params=params), "listing products"
        )
        return body["results"], body["count"]

    def set_stock(self, product_id: int, stock: int) -> None:
        response = self.http.patch(
            f"/api/products/{product_id}/",
            json={"stock": stock},
            headers=self.staff_headers(),
        )
        _check(response, f"setting the stock of product {product_id}")

    def stock(self, product_ids: list[int]) -> dict[int, int]:
        """Each product's stock, in batches of 100 (the API's limit for ?ids=)."""
        stock = {}
        for start in range(0, len(product_ids), BATCH):
            chunk = product_ids[start : start + BATCH]
            params: dict[str, str | int] = {
                "ids": ",".join(map(str, chunk)),
                "page_size": len(chunk),
            }
            body = _check(
                self.http.get("/api/products/", params=params), "reading stock"
            )
            stock.update(
                {product["id"]: product["stock"] for product in body["results"]}
            )
        return stock


def customer_password() -> str:
    """A password that both stacks' validators accept, every time.

    Django's UserAttributeSimilarityValidator refuses a password whose
    ``SequenceMatcher.quick_ratio`` against the username or the email reaches 0.7.
    That ratio counts the characters the two share, in any order, so it can never
    exceed ``2 * len(name) / (len(password) + len(name))``. With 64 random characters
    it stays under 0.7 for any name up to 34 characters, whatever the draw; the
    customers' longest, an email such as "bench-34d5d88e-8@example.com", has 28.
    Two shorter passwords were each refused about once in thousands of sign-ups, and
    a whole stack's figures became errors: one began "bench-" like the names, and one
    of 22 random characters shared 14 of them with a username."""
    return secrets.token_urlsafe(PASSWORD_BYTES)


def prepare(client: ShopClient, *, accounts: int, run_id: str) -> dict:
    """Sign up the customers, restock the products the scenarios use, pick words."""
    password = customer_password()
    usernames = [f"bench-{run_id}-{number}" for number in range(1, accounts + 1)]
    refresh = [client.sign_up(username, password) for username in usernames]
    products, total = client.products(BROWSED + 1)
    if len(products) < 12:
        raise SetupError(
            f"the stack sells {len(products)} products; the bench needs 12"
        )
    *browsed, scarce = products
    for product in browsed:
        client.set_stock(product["id"], PLENTY)
    return {
        "accounts": [[username, password] for username in usernames],
        "refresh_tokens": refresh,
        "product_ids": [product["id"] for product in browsed],
        "order_ids": [product["id"] for product in browsed[:ORDERED]],
        "scarce_id": scarce["id"],
        "words": search_words(products),
        "list_pages": min(LIST_PAGES, math.ceil(total / PAGE_SIZE)),
        "products": total,
    }


def search_words(products: list[dict], count: int = 20) -> list[str]:
    """Words from the products' names, commonest first: searches that find things."""
    seen: dict[str, int] = {}
    for product in products:
        for word in re.findall(r"[a-z]{4,}", product["name"].lower()):
            seen[word] = seen.get(word, 0) + 1
    return sorted(seen, key=lambda word: (-seen[word], word))[:count]
