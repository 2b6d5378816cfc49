"""Product search through a full-text index: SQLite's FTS5, or PostgreSQL's own.

Copied on purpose to the catalog service's search.py, as the search moved with the
products; tests/test_copies.py keeps the two identical, so ``?search=`` finds the
same products on both stacks. The indexes are made by migration 0003 here (0002
there); docs/contract.md says what a search matches.
"""

import re
from collections.abc import Callable

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from .models import Product

# A word: a run of letters and digits. Everything else (spaces, punctuation, quotes)
# only separates words, so nothing a shopper types is ever read as query syntax.
WORD = re.compile(r"[^\W_]+")
# SQLite: the FTS5 table that the migration's triggers keep in step with products.
FTS_TABLE = "catalog_product_search"
UNSUPPORTED = "Product search needs SQLite or PostgreSQL, not {vendor}."


def search_words(text: str) -> list[str]:
    """The words of a search, in the order typed: ``"Steel, bowl!"`` → Steel, bowl."""
    return WORD.findall(text)


def product_search(products: QuerySet[Product], text: str) -> QuerySet[Product]:
    """``products`` with every word of ``text`` starting a word of the name or the
    description, in any order, ignoring case. Text without words changes nothing."""
    words = search_words(text)
    if not words:
        return products
    try:
        matching = MATCHERS[connection.vendor]
    except KeyError:
        raise NotImplementedError(
            UNSUPPORTED.format(vendor=connection.vendor)
        ) from None
    return matching(products, words)


def _sqlite(products: QuerySet[Product], words: list[str]) -> QuerySet[Product]:
    # FTS5's query language: "word"* is a prefix; terms side by side are ANDed.
    # The quotes make each word a plain string (never AND, OR, NOT or NEAR);
    # WORD lets no quote through, and doubling them is what FTS5 asks if one did.
    query = " ".join('"{}"*'.format(word.replace('"', '""')) for word in words)
    # Raw SQL, safely: the table's name is a constant, the words a parameter.
    sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
    return products.filter(pk__in=RawSQL(sql, (query,)))  # noqa: S611


def _postgresql(products: QuerySet[Product], words: list[str]) -> QuerySet[Product]:
    # 'word':* is a prefix, & is AND. The WHERE must be the expression the
    # migration's GIN index is built on (same functions, same arguments), or
    # PostgreSQL cannot use the index (test_postgresql_answers_from_the_gin_index).
    query = " & ".join("'{}':*".format(word.replace("'", "''")) for word in words)
    table = Product._meta.db_table
    # = ANY(ARRAY(...)): the ids are found first, through the index, then fetched
    # and sorted by name. Given "IN (...)", the planner may walk the name index
    # instead and compute to_tsvector for every row: seconds for a rare word.
    matches = (
        f"{table}.id = ANY(ARRAY(SELECT found.id FROM {table} AS found WHERE "  # noqa: S608
        "to_tsvector('simple'::regconfig, regexp_replace("
        "found.name || ' ' || found.description, '[[:punct:]]+', ' ', 'g')) "
        "@@ to_tsquery('simple'::regconfig, %s)))"
    )
    # Raw SQL, safely: the table's name is the model's, the words a parameter.
    return products.filter(RawSQL(matches, (query,), output_field=BooleanField()))  # noqa: S611


MATCHERS: dict[str, Callable[[QuerySet[Product], list[str]], QuerySet[Product]]] = {
    "sqlite": _sqlite,
    "postgresql": _postgresql,
}
