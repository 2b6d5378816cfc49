"""The requests of the Postman collection, folder by folder, in the order they run.

Read it as a walk through the contract (docs/api/index.md): sign up and sign in,
browse the catalog, place an order and wait for it to be paid, then the echo lab.
Each step's own checks are JavaScript lines for Postman's test sandbox (``pm``).
"""

from __future__ import annotations

from postman_collection import MISSING_ID, Folder, Step

APPROVED_CARD = "4242424242424242"  # the contract's test card that is always approved
LUHN_FAILS = "4242424242424241"
SHIPPING = {"name": "Postman", "address": "1 Collection Road, Testville"}
SALES_QUERY = {"from": "2026-01-01", "to": "2026-12-31", "group": "day"}
POLL_LIMIT = 40  # tries, a quarter of a second apart: the contract's 10 seconds


def _store(name: str, expression: str) -> str:
    return f'pm.collectionVariables.set("{name}", {expression});'


def _equals(what: str, actual: str, expected: str) -> list[str]:
    return [
        f'pm.test("{what}", function () {{',
        f"    pm.expect({actual}).to.eql({expected});",
        "});",
    ]


AUTH = Folder(
    "Auth",
    "Sign up a new user, sign in, and keep its token: the later folders use it.",
    [
        Step(
            "Register a new user",
            "POST",
            "/api/auth/register/",
            201,
            body={
                "username": "{{username}}",
                "email": "{{username}}@example.com",
                "password": "{{password}}",
            },
            before=[
                "// A new user on every run: a random name, and a random password",
                "// that no password validator rejects (a UUID).",
                "const suffix = Date.now().toString(36) + "
                "Math.random().toString(36).slice(2, 8);",
                _store("username", '"postman-" + suffix'),
                _store("password", 'pm.variables.replaceIn("{{$guid}}")'),
            ],
            checks=[
                *_equals(
                    "the new user is the one asked for",
                    "pm.response.json().username",
                    'pm.collectionVariables.get("username")',
                ),
                'pm.test("the password is not echoed back", function () {',
                '    pm.expect(pm.response.json()).not.to.have.property("password");',
                "});",
            ],
        ),
        Step(
            "Sign in: get a token pair",
            "POST",
            "/api/auth/token/",
            200,
            body={"username": "{{username}}", "password": "{{password}}"},
            checks=[
                "// Keep the tokens for the requests that follow.",
                "if (pm.response.code === 200) {",
                "    " + _store("access", "pm.response.json().access"),
                "    " + _store("refresh", "pm.response.json().refresh"),
                "}",
            ],
        ),
        Step(
            "Refresh the access token",
            "POST",
            "/api/auth/token/refresh/",
            200,
            body={"refresh": "{{refresh}}"},
            checks=[
                "if (pm.response.code === 200) {",
                "    " + _store("access", "pm.response.json().access"),
                "}",
            ],
        ),
        Step(
            "Who am I",
            "GET",
            "/api/auth/me/",
            200,
            signed_in=True,
            checks=_equals(
                "the token is the new user's",
                "pm.response.json().username",
                'pm.collectionVariables.get("username")',
            ),
        ),
        Step("Who am I, without a token: 401", "GET", "/api/auth/me/", 401),
    ],
)

CATALOG = Folder(
    "Catalog",
    "Public reads: categories, a page of products, filters, one product, a batch.",
    [
        Step(
            "Categories",
            "GET",
            "/api/categories/",
            200,
            checks=[
                "const categories = pm.response.json();",
                'pm.test("there is at least one category", function () {',
                "    pm.expect(categories).to.not.be.empty;",
                "});",
                "if (categories.length) {",
                "    " + _store("category", "categories[0].slug"),
                "}",
            ],
        ),
        Step(
            "Products: the first page",
            "GET",
            "/api/products/",
            200,
            query={"page_size": "5"},
            checks=[
                "// Pick a product in stock to look at, search for and order.",
                "const page = pm.response.json();",
                "const product = page.results.find(function (p) {",
                "    return p.stock > 0;",
                "});",
                'pm.test("the page has a product in stock", function () {',
                '    pm.expect(product).to.be.an("object");',
                "});",
                "if (product) {",
                "    " + _store("product_id", "product.id"),
                "    // Search for the longest word of its name.",
                '    const words = product.name.split(" ").sort(function (a, b) {',
                "        return b.length - a.length;",
                "    });",
                "    " + _store("search", "words[0]"),
                "    const ids = page.results.slice(0, 3).map(function (p) {",
                "        return p.id;",
                "    });",
                "    " + _store("product_ids", 'ids.join(",")'),
                "}",
            ],
        ),
        Step(
            "Products in one category",
            "GET",
            "/api/products/",
            200,
            query={"category": "{{category}}"},
            checks=[
                'pm.test("every product is in that category", function () {',
                '    const slug = pm.collectionVariables.get("category");',
                "    pm.expect(pm.response.json().results).to.not.be.empty;",
                "    pm.response.json().results.forEach(function (p) {",
                "        pm.expect(p.category).to.eql(slug);",
                "    });",
                "});",
            ],
        ),
        Step(
            "One product",
            "GET",
            "/api/products/{product_id}/",
            200,
            url="/api/products/{{product_id}}/",
            checks=_equals(
                "it is the product asked for",
                "pm.response.json().id",
                'Number(pm.collectionVariables.get("product_id"))',
            ),
        ),
        Step(
            "Search products",
            "GET",
            "/api/products/",
            200,
            query={"search": "{{search}}"},
            checks=[
                'pm.test("every hit has the text in its name or description",'
                " function () {",
                '    const text = pm.collectionVariables.get("search").toLowerCase();',
                "    pm.expect(pm.response.json().results).to.not.be.empty;",
                "    pm.response.json().results.forEach(function (p) {",
                '        const where = (p.name + " " + p.description).toLowerCase();',
                "        pm.expect(where).to.include(text);",
                "    });",
                "});",
            ],
        ),
        Step(
            "Products by ids, in one request",
            "GET",
            "/api/products/",
            200,
            query={"ids": "{{product_ids}}"},
            checks=[
                'pm.test("the answer holds exactly the ids asked for", function () {',
                '    const asked = pm.collectionVariables.get("product_ids")'
                '.split(",").map(Number);',
                "    const got = pm.response.json().results.map(function (p) {",
                "        return p.id;",
                "    });",
                "    pm.expect(got).to.have.members(asked);",
                "});",
            ],
        ),
        Step(
            "A product that does not exist: 404",
            "GET",
            "/api/products/{product_id}/",
            404,
            url=f"/api/products/{MISSING_ID}/",
        ),
    ],
)

ORDERS = Folder(
    "Orders",
    "Signed in: place an order with the approved test card, replay it with the same"
    " Idempotency-Key, wait until it is paid, list it; then two refusals.",
    [
        Step(
            "Place an order",
            "POST",
            "/api/orders/",
            201,
            signed_in=True,
            headers={"Idempotency-Key": "{{idempotency_key}}"},
            body={
                "items": [{"product_id": "{{product_id}}", "quantity": 1}],
                "card_number": APPROVED_CARD,
                "shipping": SHIPPING,
            },
            before=[
                "// A new key for a new order; the replay below sends it again.",
                _store("idempotency_key", 'pm.variables.replaceIn("{{$guid}}")'),
            ],
            checks=[
                "const order = pm.response.json();",
                'pm.test("the order holds the product, in euros", function () {',
                "    pm.expect(order.items[0].product_id)"
                '.to.eql(Number(pm.collectionVariables.get("product_id")));',
                '    pm.expect(order.currency).to.eql("EUR");',
                '    pm.expect(order.status).to.be.oneOf(["pending", "paid"]);',
                "});",
                'pm.test("the card number is not sent back", function () {',
                f'    pm.expect(pm.response.text()).not.to.include("{APPROVED_CARD}");',
                "});",
                _store("order_id", "order.id"),
                _store("poll_tries", "0"),
            ],
        ),
        Step(
            "Place it again with the same Idempotency-Key",
            "POST",
            "/api/orders/",
            200,
            also=(201,),
            signed_in=True,
            headers={"Idempotency-Key": "{{idempotency_key}}"},
            body={
                "items": [{"product_id": "{{product_id}}", "quantity": 1}],
                "card_number": APPROVED_CARD,
                "shipping": SHIPPING,
            },
            checks=_equals(
                "it is the same order, not a second one",
                "pm.response.json().id",
                'pm.collectionVariables.get("order_id")',
            ),
        ),
        Step(
            "Wait until the order is paid",
            "GET",
            "/api/orders/{order_id}/",
            200,
            url="/api/orders/{{order_id}}/",
            signed_in=True,
            before=[
                "// Every try after the first waits a quarter of a second.",
                'if (Number(pm.collectionVariables.get("poll_tries")) > 0) {',
                "    setTimeout(function () {}, 250);",
                "}",
            ],
            checks=[
                "// The services stack charges the card a moment after the order is",
                "// placed: while it is pending, run this request again.",
                "const order = pm.response.json();",
                'const tries = Number(pm.collectionVariables.get("poll_tries"));',
                f'if (order.status === "pending" && tries < {POLL_LIMIT}) {{',
                "    " + _store("poll_tries", "tries + 1"),
                "    pm.execution.setNextRequest(pm.info.requestName);",
                "} else {",
                '    pm.test("the order is paid with the approved card", function () {',
                '        pm.expect(order.status).to.eql("paid");',
                '        pm.expect(order.payment.card_last4).to.eql("4242");',
                "    });",
                "}",
            ],
        ),
        Step(
            "My orders",
            "GET",
            "/api/orders/",
            200,
            signed_in=True,
            checks=_equals(
                "the newest order comes first",
                "pm.response.json().results[0].id",
                'Number(pm.collectionVariables.get("order_id"))',
            ),
        ),
        Step(
            "An order with no items and a bad card: 400",
            "POST",
            "/api/orders/",
            400,
            signed_in=True,
            body={"items": [], "card_number": LUHN_FAILS, "shipping": SHIPPING},
            errors=("card_number", "items"),
        ),
        Step("My orders, without a token: 401", "GET", "/api/orders/", 401),
    ],
)

MORE = Folder(
    "Recommendations and reports",
    "What the order events feed: products bought together (public), and sales"
    " reports (staff only: a customer gets a 403).",
    [
        Step(
            "Customers also bought",
            "GET",
            "/api/recommendations/",
            200,
            query={"product_id": "{{product_id}}", "limit": "4"},
            checks=[
                'pm.test("at most 4, and never the product itself", function () {',
                "    const answer = pm.response.json();",
                '    const asked = Number(pm.collectionVariables.get("product_id"));',
                "    pm.expect(answer.product_id).to.eql(asked);",
                "    pm.expect(answer.results.length).to.be.at.most(4);",
                "    answer.results.forEach(function (r) {",
                "        pm.expect(r.product_id).to.not.eql(asked);",
                "    });",
                "});",
            ],
        ),
        Step(
            "Recommendations without a product: 400",
            "GET",
            "/api/recommendations/",
            400,
        ),
        Step(
            "Sales report, as a customer: 403",
            "GET",
            "/api/reports/sales/",
            403,
            query=SALES_QUERY,
            signed_in=True,
        ),
        Step(
            "Sales report, without a token: 401",
            "GET",
            "/api/reports/sales/",
            401,
            query=SALES_QUERY,
        ),
    ],
)

ECHO = Folder(
    "Echo lab",
    "The form-echo lab's API: submissions, newest first.",
    [
        Step(
            "Submit a message",
            "POST",
            "/api/echo/submissions/",
            201,
            body={"name": "Postman", "message": "Hello from <b>newman</b>"},
            checks=_equals(
                "the message comes back as sent (HTML escaping is for pages)",
                "pm.response.json().message",
                '"Hello from <b>newman</b>"',
            ),
        ),
        Step(
            "Submissions",
            "GET",
            "/api/echo/submissions/",
            200,
            checks=_equals(
                "the newest submission comes first",
                "pm.response.json().results[0].name",
                '"Postman"',
            ),
        ),
        Step(
            "A submission with no name and no message: 400",
            "POST",
            "/api/echo/submissions/",
            400,
            body={"name": "", "message": ""},
            errors=("message", "name"),
        ),
    ],
)

PLAN = [AUTH, CATALOG, ORDERS, MORE, ECHO]
