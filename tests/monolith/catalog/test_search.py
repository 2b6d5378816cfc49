"""Product search through the full-text index: what ``?search=`` matches.

On the database the settings name: SQLite (FTS5) by default, PostgreSQL when
DATABASE_URL points at one (``DATABASE_URL=postgres://... pytest tests/monolith``).
"""

from http import HTTPStatus

import pytest
from django.db import connection

from monolith.catalog.models import Product
from monolith.catalog.search import search_words
from monolith.catalog.selectors import product_list
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

# Query syntax of FTS5 and of tsquery, quotes, and stray punctuation: all plain text.
HOSTILE = [
    '"',
    "'",
    'kettle"',
    "copper' & !",
    "OR",
    "NOT kettle",
    "kettle AND",
    "NEAR(copper kettle)",
    "name:kettle",
    "kettle*",
    "*",
    "^copper",
    "-kettle",
    "(copper",
    "copper:* | steel",
    "\\",
    "%_",
]


def found(search: str) -> list[str]:
    return [product.name for product in product_list(search=search)]


@pytest.fixture
def kettle(db) -> Product:
    return ProductFactory(name="Copper Kettle", description="Whistles when it boils.")


def test_every_word_must_match_in_any_order(kettle):
    """All the words, in any order, each in the name or the description."""
    ProductFactory(name="Steel Kettle")

    assert found("kettle copper") == ["Copper Kettle"]
    assert found("copper whistles") == ["Copper Kettle"]
    assert found("copper steel") == []


def test_a_word_matches_the_start_of_a_word_ignoring_case(kettle):
    """A prefix matches; the middle of a word does not."""
    assert found("KETT") == ["Copper Kettle"]
    assert found("boil") == ["Copper Kettle"]
    assert found("ettle") == []


def test_accents_count_but_case_does_not():
    """É and é are one letter; e and é are two."""
    ProductFactory(name="Café Crème")

    assert found("CAFÉ crè") == ["Café Crème"]
    assert found("cafe") == []


def test_a_renamed_product_is_found_by_its_new_name_only(kettle):
    """The index follows every write: a save, and an UPDATE of many rows."""
    kettle.name = "Brass Lantern"
    kettle.save()
    Product.objects.filter(pk=kettle.pk).update(description="Lights the porch.")

    assert found("lantern porch") == ["Brass Lantern"]
    assert found("kettle") == []
    assert found("whistles") == []


def test_a_stock_change_keeps_the_product_findable(kettle):
    """Saving other fields leaves the product's words where they were."""
    kettle.stock = 0
    kettle.save()

    assert found("copper") == ["Copper Kettle"]


def test_a_deleted_product_is_gone_from_the_search(kettle):
    """Deleting a product deletes its words too."""
    kettle.delete()

    assert found("copper") == []


@pytest.mark.parametrize("search", ["", "   ", "?!", "—"])
def test_a_search_without_words_does_not_filter(kettle, search):
    """No words, nothing to match: every product."""
    ProductFactory(name="Steel Pan")

    assert len(found(search)) == 2


@pytest.mark.parametrize("search", HOSTILE)
def test_query_syntax_and_punctuation_are_never_a_500(api_client, kettle, search):
    """Whatever is typed is words and separators, never query syntax."""
    response = api_client.get("/api/products/", {"search": search})

    assert response.status_code == HTTPStatus.OK
    assert "results" in response.json()


def test_punctuation_separates_words(kettle):
    """Quotes, colons and stars are separators: the words around them still count."""
    assert found('"copper" kettle*') == ["Copper Kettle"]
    assert found("copper:kettle") == ["Copper Kettle"]
    assert found("copper OR steel") == []


def test_search_words_are_runs_of_letters_and_digits():
    """What the index and the query both take for words."""
    assert search_words("Pour-over kettle, 0.8 L_x") == [
        "Pour",
        "over",
        "kettle",
        "0",
        "8",
        "L",
        "x",
    ]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's GIN index only"
)
def test_postgresql_answers_from_the_gin_index(kettle):
    """The filter is the index's expression, so the planner can use the index."""
    queryset = product_list(search="copper")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: force it
        plan = queryset.explain()

    assert "catalog_product_search" in plan
