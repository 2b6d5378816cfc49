"""The catalog's staff API: create, change and delete products, with a gateway token."""

from datetime import timedelta
from decimal import Decimal
from http import HTTPStatus

import jwt
import pytest
from rest_framework_simplejwt.tokens import AccessToken

from extracted_services.catalog.models import Product
from extracted_services.catalog.services import PRODUCT_IN_USE
from extracted_services.chassis.problems import CONTENT_TYPE

from .factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def body():
    CategoryFactory(slug="kitchen")
    return {
        "sku": "KIT-900",
        "name": "Butter Dish",
        "description": "Glass, with a lid.",
        "category": "kitchen",
        "price": "12.50",
        "stock": 7,
    }


def test_staff_create_a_product(staff_api_client, body):
    """POST /api/products/ is a 201 with the product as saved."""
    response = staff_api_client.post("/api/products/", body)

    assert response.status_code == HTTPStatus.CREATED
    created = response.json()
    assert created == {"id": created["id"], **body}
    assert Product.objects.get(pk=created["id"]).price == Decimal("12.50")


def test_description_and_stock_are_optional(staff_api_client, body):
    """Leaving them out gives an empty description and no stock."""
    del body["description"], body["stock"]

    response = staff_api_client.post("/api/products/", body)

    assert response.status_code == HTTPStatus.CREATED
    assert (response.json()["description"], response.json()["stock"]) == ("", 0)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("price", "-1.00"),
        ("price", "1.999"),
        ("price", "cheap"),
        ("stock", -1),
        ("stock", 2**40),
        ("category", "no-such-category"),
        ("sku", ""),
    ],
)
def test_invalid_fields_are_a_400_problem_naming_them(
    staff_api_client, body, field, value
):
    """Each invalid field is named in the problem's ``errors``; nothing is saved."""
    response = staff_api_client.post("/api/products/", {**body, field: value})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response["Content-Type"] == CONTENT_TYPE
    assert response.json()["type"] == "/problems/validation-error"
    assert field in response.json()["errors"]
    assert not Product.objects.exists()


def test_a_taken_sku_is_a_400_on_sku(staff_api_client, body):
    """SKUs are unique: the second product with one is refused."""
    ProductFactory(sku=body["sku"])

    response = staff_api_client.post("/api/products/", body)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert list(response.json()["errors"]) == ["sku"]


def test_staff_change_some_fields_with_patch(staff_api_client, product):
    """PATCH changes only the fields it sends."""
    response = staff_api_client.patch(
        f"/api/products/{product.pk}/", {"stock": 0, "price": "17.00"}
    )

    assert response.status_code == HTTPStatus.OK
    assert (response.json()["stock"], response.json()["price"]) == (0, "17.00")
    assert response.json()["name"] == product.name


def test_patch_may_move_a_product_to_another_category(staff_api_client, product):
    """``category`` is a slug in and out."""
    CategoryFactory(slug="garden")

    response = staff_api_client.patch(
        f"/api/products/{product.pk}/", {"category": "garden"}
    )

    assert response.json()["category"] == "garden"


def test_patch_to_another_products_sku_is_a_400(staff_api_client, product):
    """Renaming onto a taken SKU is refused, naming ``sku``."""
    other = ProductFactory()

    response = staff_api_client.patch(
        f"/api/products/{product.pk}/", {"sku": other.sku}
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "sku" in response.json()["errors"]


def test_patching_an_unknown_product_is_a_404(staff_api_client):
    """No product, no change: a 404 problem."""
    response = staff_api_client.patch("/api/products/424242/", {"stock": 1})

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response["Content-Type"] == CONTENT_TYPE


def test_staff_delete_a_product(staff_api_client, product):
    """DELETE is a 204 and the product is gone."""
    response = staff_api_client.delete(f"/api/products/{product.pk}/")

    assert response.status_code == HTTPStatus.NO_CONTENT
    assert not Product.objects.filter(pk=product.pk).exists()


def test_deleting_an_ordered_product_is_a_409_problem(
    staff_api_client, ordered_product
):
    """A product an order has reserved stays: 409 product-in-use, not a 500."""
    response = staff_api_client.delete(f"/api/products/{ordered_product.pk}/")

    assert response.status_code == HTTPStatus.CONFLICT
    assert response["Content-Type"] == CONTENT_TYPE
    body = response.json()
    assert body["type"] == "/problems/product-in-use"
    assert body["detail"] == PRODUCT_IN_USE.format(name=ordered_product.name)
    assert body["product_id"] == ordered_product.pk
    assert Product.objects.filter(pk=ordered_product.pk).exists()


WRITES = [
    ("post", "/api/products/"),
    ("patch", "/api/products/{id}/"),
    ("delete", "/api/products/{id}/"),
]


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_anonymous_writes_are_a_401_problem(api_client, product, method, path):
    """Without credentials every write is a 401 that says how to authenticate."""
    response = getattr(api_client, method)(path.format(id=product.pk), {})

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_customers_writes_are_a_403_problem(auth_api_client, product, method, path):
    """A signed-in customer who is not staff may read but not write."""
    response = getattr(auth_api_client, method)(path.format(id=product.pk), {})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response["Content-Type"] == CONTENT_TYPE
    assert Product.objects.filter(pk=product.pk).exists()


def _staff_token_signed_with(key: str) -> str:
    token = AccessToken()
    token["username"], token["is_staff"] = "mallory", True
    claims = {**token.payload, "aud": "shop", "iss": "shop-gateway"}
    return jwt.encode(claims, key, algorithm="HS256")


def _expired_staff_token() -> str:
    token = AccessToken()
    token["username"], token["is_staff"] = "admin", True
    token.set_exp(lifetime=-timedelta(seconds=1))
    return str(token)


@pytest.mark.parametrize(
    "make_token",
    [
        lambda: _staff_token_signed_with("not-the-gateways-key-0123456789abcdef"),
        _expired_staff_token,
    ],
    ids=["forged", "expired"],
)
def test_a_forged_or_expired_staff_token_is_a_401(api_client, product, make_token):
    """Only the gateway's key makes tokens, and only for a while."""
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token()}")

    response = api_client.patch(f"/api/products/{product.pk}/", {"stock": 0})

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["Content-Type"] == CONTENT_TYPE
    product.refresh_from_db()
    assert product.stock == 10


def test_put_is_not_allowed(staff_api_client, product):
    """Products change by PATCH; PUT is a 405 naming the allowed methods."""
    response = staff_api_client.put(f"/api/products/{product.pk}/", {})

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert "PATCH" in response["Allow"]
