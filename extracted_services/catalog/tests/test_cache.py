"""Product reads are kept in Redis and dropped as soon as a write commits.

Writes drop the cache once their transaction commits (``transaction.on_commit``);
pytest-django's ``django_capture_on_commit_callbacks`` runs those callbacks here,
where each test is otherwise one transaction that never commits.
"""

import uuid
from http import HTTPStatus

import pytest

from extracted_services.catalog.models import Product
from extracted_services.catalog.services import product_update

from .factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks of what is done inside ``with commit():``."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_second_read_is_served_from_the_cache(
    api_client, product, django_assert_num_queries
):
    """The list, a product and the categories: read once, then no query at all."""
    urls = ["/api/products/", f"/api/products/{product.pk}/", "/api/categories/"]
    first = [api_client.get(url).json() for url in urls]

    with django_assert_num_queries(0):
        again = [api_client.get(url).json() for url in urls]

    assert again == first


def test_a_write_behind_the_services_back_is_not_seen(api_client, product):
    """Only the services and the admin drop the cache: other writes go unseen."""
    api_client.get(f"/api/products/{product.pk}/")
    Product.objects.filter(pk=product.pk).update(stock=0)

    response = api_client.get(f"/api/products/{product.pk}/")

    assert response.json()["stock"] == 10


def test_staff_changes_are_read_at_once(api_client, staff_api_client, product, commit):
    """A PATCH drops the cached product and every cached page."""
    api_client.get(f"/api/products/{product.pk}/")
    api_client.get("/api/products/")

    with commit():
        staff_api_client.patch(f"/api/products/{product.pk}/", {"price": "5.00"})

    assert api_client.get(f"/api/products/{product.pk}/").json()["price"] == "5.00"
    assert api_client.get("/api/products/").json()["results"][0]["price"] == "5.00"


def test_a_new_product_is_listed_at_once(api_client, staff_api_client, product, commit):
    """A POST drops the cached pages: the count goes up."""
    assert api_client.get("/api/products/").json()["count"] == 1
    body = {"sku": "NEW-1", "name": "New", "category": product.category.slug}

    with commit():
        staff_api_client.post("/api/products/", {**body, "price": "1.00"})

    assert api_client.get("/api/products/").json()["count"] == 2


def test_a_deleted_product_is_gone_at_once(
    api_client, staff_api_client, product, commit
):
    """A DELETE drops the cached product: a 404 from then on."""
    assert api_client.get(f"/api/products/{product.pk}/").status_code == HTTPStatus.OK

    with commit():
        staff_api_client.delete(f"/api/products/{product.pk}/")

    response = api_client.get(f"/api/products/{product.pk}/")
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_reserving_and_releasing_show_in_the_stock(
    api_client, internal_client, product, commit
):
    """Orders change the stock, and the pages show it without waiting for expiry."""
    url, ref = f"/api/products/{product.pk}/", str(uuid.uuid4())
    api_client.get(url)

    with commit():
        internal_client.post(
            "/internal/reservations/",
            {"order_ref": ref, "items": [{"product_id": product.pk, "quantity": 4}]},
        )
    reserved = api_client.get(url).json()["stock"]
    with commit():
        internal_client.delete(f"/internal/reservations/{ref}/")
    released = api_client.get(url).json()["stock"]

    assert (reserved, released) == (6, 10)


def test_a_service_write_drops_the_cache_only_once_committed(
    api_client, product, django_capture_on_commit_callbacks
):
    """Until the commit, readers may still fill the cache with the old row."""
    api_client.get(f"/api/products/{product.pk}/")

    with django_capture_on_commit_callbacks() as callbacks:
        product_update(product=product, stock=3)

    assert api_client.get(f"/api/products/{product.pk}/").json()["stock"] == 10
    for callback in callbacks:
        callback()
    assert api_client.get(f"/api/products/{product.pk}/").json()["stock"] == 3


def test_with_the_cache_off_every_read_asks_the_database(
    api_client, product, settings, django_assert_num_queries
):
    """CATALOG_CACHE=False (the benchmark's other half): one query per product read."""
    settings.CATALOG_CACHE = False
    api_client.get(f"/api/products/{product.pk}/")
    product.stock = 0
    product.save()

    with django_assert_num_queries(1):
        response = api_client.get(f"/api/products/{product.pk}/")

    assert response.json()["stock"] == 0


def test_pages_for_different_hosts_are_kept_apart(api_client):
    """A cached page's links name the host that asked: never another host's page."""
    ProductFactory.create_batch(3)
    api_client.get("/api/products/", {"page_size": 2})

    response = api_client.get(
        "/api/products/", {"page_size": 2}, HTTP_X_FORWARDED_HOST="localhost:8100"
    )

    assert response.json()["next"].startswith("http://localhost:8100/")


@pytest.fixture
def redis_away(settings):
    """The cache's Redis does not answer: nothing listens on port 1."""
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }


def test_reads_and_writes_go_on_while_the_cache_is_away(
    api_client, staff_api_client, product, commit, redis_away
):
    """Degraded, not down: the database answers, and a committed write is a 200."""
    assert api_client.get(f"/api/products/{product.pk}/").status_code == HTTPStatus.OK

    with commit():
        response = staff_api_client.patch(
            f"/api/products/{product.pk}/", {"stock": 3}, format="json"
        )

    assert response.status_code == HTTPStatus.OK
    assert api_client.get(f"/api/products/{product.pk}/").json()["stock"] == 3
