"""Catalog reads: filters, one product, categories."""

import pytest

from monolith.catalog.models import Product
from monolith.catalog.selectors import category_list, product_get, product_list
from tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_products_come_sorted_by_name():
    """The list is in name order, whatever order the rows were made in."""
    ProductFactory(name="Teapot")
    ProductFactory(name="Apron")
    ProductFactory(name="Mug")

    assert [p.name for p in product_list()] == ["Apron", "Mug", "Teapot"]


def test_a_category_slug_narrows_the_list():
    """Only the category's products; an unknown slug matches nothing."""
    books = CategoryFactory(slug="books")
    novel = ProductFactory(category=books)
    ProductFactory()

    assert list(product_list(category="books")) == [novel]
    assert list(product_list(category="no-such-category")) == []


def test_search_ignores_case_and_looks_in_name_and_description():
    """``search`` finds text in the name or the description, in any case."""
    by_name = ProductFactory(name="Copper Kettle")
    by_description = ProductFactory(description="Hand-beaten COPPER.")
    ProductFactory(name="Steel Pan", description="Plain steel.")

    assert set(product_list(search="copper")) == {by_name, by_description}


def test_ids_fetch_a_batch_and_an_empty_batch_is_empty():
    """``ids`` returns exactly those products; ``ids=[]`` returns none."""
    first, second, _ = ProductFactory.create_batch(3)

    assert set(product_list(ids=[first.pk, second.pk, 999_999])) == {first, second}
    assert list(product_list(ids=[])) == []


def test_filters_combine():
    """Category, search and ids together narrow the list further."""
    tea = CategoryFactory(slug="tea")
    green = ProductFactory(name="Green Tea", category=tea)
    ProductFactory(name="Black Tea", category=tea)
    ProductFactory(name="Green Apron")

    assert list(product_list(category="tea", search="green", ids=[green.pk])) == [green]


def test_the_list_fetches_categories_in_the_same_query(django_assert_num_queries):
    """Reading each product's category costs no query per product."""
    ProductFactory.create_batch(5)

    with django_assert_num_queries(1):
        names = [product.category.name for product in product_list()]

    assert len(names) == 5


def test_product_get_returns_one_product_with_its_category(
    product, django_assert_num_queries
):
    """One query for the product and its category."""
    with django_assert_num_queries(1):
        found = product_get(product_id=product.pk)
        assert found.category.slug == product.category.slug


def test_product_get_raises_does_not_exist_for_an_unknown_id():
    """An unknown id is the model's DoesNotExist, for the caller to turn into a 404."""
    with pytest.raises(Product.DoesNotExist):
        product_get(product_id=424242)


def test_categories_come_sorted_by_name():
    """Categories are listed by name."""
    CategoryFactory(slug="tools", name="Tools")
    CategoryFactory(slug="art", name="Art")

    assert [c.name for c in category_list()] == ["Art", "Tools"]
