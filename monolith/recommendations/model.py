"""The item-to-item model: "customers who bought A also bought B", from paid orders.

Copied on purpose from extracted_services/recommendations/model.py, which trains the
same model on the order events it consumes (tests/test_copies.py keeps the two
identical): the two sides differ only in where the order lines come from.

The model: an orders x products incidence matrix (SciPy sparse), its co-occurrence
``X.T @ X``, scaled to cosine similarity; the top ``TOP_K`` neighbours of each product,
never the product itself. The fallback for a product with no history: the best
sellers. An artifact is one ``.npz`` file per version, and a ``latest`` pointer.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from scipy import sparse

TOP_K = 20  # neighbours kept per product: the API's largest ``limit``
KEEP_ARTIFACTS = 5  # older versions are deleted; a server may still be reading one
LATEST = "latest"  # the pointer file: the name of the newest artifact
CO_PURCHASE = "co-purchase"
POPULAR = "popular"  # the fallback: best sellers (share of units sold), not itself

# One line of one paid order: (order_id, product_id, quantity).
Line = tuple[int, int, int]
Scored = tuple[tuple[int, float], ...]  # (product_id, score), best first


@dataclass(frozen=True)
class Model:
    version: str | None
    trained_at: datetime | None
    orders_seen: int
    neighbours: Mapping[int, Scored] = field(default_factory=dict)
    popular: Scored = ()

    def recommend(self, *, product_id: int, limit: int) -> tuple[str, Scored]:
        """The strategy used, and at most ``limit`` (product, score) pairs."""
        similar = self.neighbours.get(product_id, ())
        if similar:
            return CO_PURCHASE, similar[:limit]
        others = tuple(pair for pair in self.popular if pair[0] != product_id)
        return POPULAR, others[:limit]


EMPTY = Model(version=None, trained_at=None, orders_seen=0)


def build(lines: Iterable[Line], *, trained_at: datetime | None = None) -> Model:
    """Train on the lines of paid orders (and only paid orders: the caller's choice)."""
    trained_at = trained_at or datetime.now(UTC)
    rows = np.array(list(lines), dtype=np.int64).reshape(-1, 3)
    version = trained_at.strftime("%Y%m%dT%H%M%S%fZ")
    if not len(rows):  # nothing sold yet: a model that knows nothing, but a model
        return Model(version=version, trained_at=trained_at, orders_seen=0)
    orders, order_index = np.unique(rows[:, 0], return_inverse=True)
    products, product_index = np.unique(rows[:, 1], return_inverse=True)
    # 1 where an order holds a product (however many units): the baskets.
    ones = np.ones(len(rows))
    shape = (len(orders), len(products))
    incidence = sparse.csr_matrix((ones, (order_index, product_index)), shape=shape)
    incidence.sum_duplicates()
    incidence.data[:] = 1  # bought or not: two lines of one product are one
    together = (incidence.T @ incidence).tocsr()  # orders that hold both i and j
    bought = together.diagonal()  # orders that hold i
    together.setdiag(0)  # a product never recommends itself
    together.eliminate_zeros()
    scale = sparse.diags(1 / np.sqrt(np.maximum(bought, 1)))
    cosine = (scale @ together @ scale).tocsr()

    neighbours = {}
    for row, product_id in enumerate(products.tolist()):
        start, end = cosine.indptr[row], cosine.indptr[row + 1]
        ids, scores = products[cosine.indices[start:end]], cosine.data[start:end]
        best = np.lexsort((ids, -scores))[:TOP_K]  # by score, then by id: stable
        if len(best):
            neighbours[product_id] = _scored(ids[best], scores[best])
    units = np.bincount(product_index, weights=rows[:, 2], minlength=len(products))
    best_sellers = np.lexsort((products, -units))[: TOP_K + 1]  # +1: not itself
    share = units[best_sellers] / max(units.sum(), 1)
    return Model(
        version=version,
        trained_at=trained_at,
        orders_seen=len(orders),
        neighbours=neighbours,
        popular=_scored(products[best_sellers], share),
    )


def _scored(ids: np.ndarray, scores: np.ndarray) -> Scored:
    return tuple(zip(ids.tolist(), np.round(scores, 4).tolist(), strict=True))


# ---------------------------------------------------------------- artifacts


def save(model: Model, directory: Path) -> Path:
    """Write ``model-<version>.npz``, then point ``latest`` at it, each atomically."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"model-{model.version}.npz"
    keys = list(model.neighbours)
    lists = [model.neighbours[key] for key in keys]
    meta = {
        "version": model.version,
        "trained_at": model.trained_at.isoformat() if model.trained_at else None,
        "orders_seen": model.orders_seen,
    }
    temporary = path.with_suffix(".tmp")
    with temporary.open("wb") as out:
        np.savez_compressed(
            out,
            meta=np.array(json.dumps(meta)),
            products=np.array(keys, dtype=np.int64),
            counts=np.array([len(pairs) for pairs in lists], dtype=np.int64),
            neighbours=np.array([p for pairs in lists for p, _ in pairs], np.int64),
            scores=np.array([s for pairs in lists for _, s in pairs], np.float64),
            popular=np.array([p for p, _ in model.popular], dtype=np.int64),
            popular_scores=np.array([s for _, s in model.popular], np.float64),
        )
    # os.replace is atomic: a reader sees the old file or the new one, never half.
    os.replace(temporary, path)
    pointer = directory / f"{LATEST}.tmp"
    pointer.write_text(path.name)
    os.replace(pointer, directory / LATEST)
    _prune(directory, keep=path.name)
    return path


def latest_name(directory: Path) -> str | None:
    """The newest artifact's file name, or None before the first training."""
    try:
        return (directory / LATEST).read_text().strip() or None
    except FileNotFoundError:
        return None


def load(path: Path) -> Model:
    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(str(data["meta"]))
        ends = np.cumsum(data["counts"]).tolist()
        pairs = _scored(data["neighbours"], data["scores"])
        starts = [0, *ends][:-1]
        neighbours = {
            product: pairs[start:end]
            for product, start, end in zip(
                data["products"].tolist(), starts, ends, strict=True
            )
        }
        popular = _scored(data["popular"], data["popular_scores"])
    trained_at = meta["trained_at"]
    return Model(
        version=meta["version"],
        trained_at=datetime.fromisoformat(trained_at) if trained_at else None,
        orders_seen=meta["orders_seen"],
        neighbours=neighbours,
        popular=popular,
    )


def _prune(directory: Path, *, keep: str) -> None:
    artifacts = sorted(directory.glob("model-*.npz"))
    for old in artifacts[:-KEEP_ARTIFACTS]:
        if old.name != keep:
            old.unlink(missing_ok=True)
