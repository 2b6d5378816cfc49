"""Training: co-purchases from paid orders only, published as a versioned artifact."""

import os
import subprocess
import sys
from pathlib import Path

from extracted_services.recommendations import store
from extracted_services.recommendations.events import FAILED, OrderEvent
from extracted_services.recommendations.model import (
    CO_PURCHASE,
    LATEST,
    POPULAR,
    build,
    latest_name,
    load,
)
from extracted_services.recommendations.train import train

from .conftest import order_event

ROOT = Path(__file__).resolve().parents[3]
A, B, C, D = 101, 102, 103, 104


def apply(connection, *events: dict) -> None:
    for event in events:
        store.event_apply(connection, event=OrderEvent.model_validate(event))


def test_training_ranks_the_most_bought_together_first(settings, connection):
    """Two orders buy A with B, one A with C: for A, B comes first, then C."""
    apply(
        connection,
        order_event(1, [A, B]),
        order_event(2, [A, B, D]),
        order_event(3, [A, C]),
    )

    model = train(settings=settings, connection=connection)

    strategy, results = model.recommend(product_id=A, limit=4)
    assert strategy == CO_PURCHASE
    assert [product for product, _ in results][:2] == [B, C]
    assert results[0][1] > results[1][1]


def test_failed_orders_do_not_count(settings, connection):
    """A failed order buying A with C many times does not lift C above B."""
    failed = [order_event(n, [A, C], type=FAILED) for n in range(10, 15)]
    apply(connection, order_event(1, [A, B]), *failed)

    model = train(settings=settings, connection=connection)

    assert model.orders_seen == 1
    assert model.recommend(product_id=A, limit=4)[1] == ((B, 1.0),)


def test_a_product_never_recommends_itself():
    """Neither by co-purchase nor by the fallback."""
    model = build([(1, A, 1), (1, B, 1), (2, A, 5), (3, C, 1)])

    for product in (A, B, C, D):
        for limit in (1, 4, 20):
            _, results = model.recommend(product_id=product, limit=limit)
            assert product not in [p for p, _ in results]


def test_a_product_with_no_history_gets_the_best_sellers():
    """The fallback, ``popular``: units sold among paid orders, best first."""
    model = build([(1, A, 3), (2, B, 1), (3, C, 2)])

    strategy, results = model.recommend(product_id=A, limit=4)

    assert strategy == POPULAR
    assert [product for product, _ in results] == [C, B]  # A bought alone


def test_each_training_publishes_a_new_version_and_the_latest_pointer(
    settings, connection
):
    """model-<version>.npz per training; ``latest`` names the newest."""
    first = train(settings=settings, connection=connection)
    second = train(settings=settings, connection=connection)

    assert first.version != second.version
    assert latest_name(settings.model_dir) == f"model-{second.version}.npz"
    assert load(settings.model_dir / latest_name(settings.model_dir)) == second
    assert not list(settings.model_dir.glob("*.tmp"))  # written, then renamed


def test_the_train_command_writes_an_artifact(settings, connection):
    """`python -m extracted_services.recommendations.train`, configured by env."""
    apply(connection, order_event(1, [A, B]))
    env = {
        **os.environ,
        "RECOMMENDATIONS_DATABASE": str(settings.database),
        "RECOMMENDATIONS_MODEL_DIR": str(settings.model_dir),
    }

    subprocess.run(
        [sys.executable, "-m", "extracted_services.recommendations.train"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )

    model = load(settings.model_dir / (settings.model_dir / LATEST).read_text())
    assert model.orders_seen == 1
