"""Training on the monolith's own paid orders: the command, the task, the artifact."""

from io import StringIO

import pytest
from django.core.management import call_command

from monolith.payments.services import DECLINED_CARD
from monolith.recommendations import tasks
from monolith.recommendations.model import latest_name, load
from monolith.recommendations.services import model_train, model_train_if_stale

pytestmark = pytest.mark.django_db


def test_training_ranks_the_most_bought_together_first(products, buy):
    """Two orders buy A with B, one A with C: for A, B first, then C."""
    a, b, c, _ = products
    buy(a, b)
    buy(a, b)
    buy(a, c)

    model = model_train()

    strategy, results = model.recommend(product_id=a.pk, limit=4)
    assert strategy == "co-purchase"
    assert [product for product, _ in results] == [b.pk, c.pk]


def test_failed_orders_do_not_count(products, buy):
    """Declined orders of A with C teach nothing: only the paid A with B counts."""
    a, b, c, _ = products
    buy(a, b)
    for _ in range(3):
        buy(a, c, card=DECLINED_CARD)

    model = model_train()

    assert model.orders_seen == 1
    assert [p for p, _ in model.recommend(product_id=a.pk, limit=4)[1]] == [b.pk]


def test_the_command_publishes_an_artifact(products, buy, model_dir):
    """`manage.py train_recommendations` writes model-<version>.npz and `latest`."""
    buy(products[0], products[1])
    out = StringIO()

    call_command("train_recommendations", stdout=out)

    model = load(model_dir / latest_name(model_dir))
    assert model.orders_seen == 1
    assert f"Model {model.version}: trained on 1 paid orders." in out.getvalue()


def test_the_periodic_task_trains_only_when_paid_orders_changed(products, buy):
    """Nothing new since the last artifact: the tick is a no-op."""
    buy(products[0], products[1])

    first = tasks.model_train.delay().get()
    assert first is not None
    assert tasks.model_train.delay().get() is None
    assert model_train_if_stale() is None

    buy(products[0], products[2])
    assert tasks.model_train.delay().get() not in (None, first)
