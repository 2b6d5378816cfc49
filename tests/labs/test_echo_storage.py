"""Where submissions are stored: EchoMongoRouter's decisions and the primary key.

Everything here runs without a MongoDB server; test_echo_mongodb.py needs one.
"""

import os

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from echoapp.models import EchoSubmission
from echoapp.routers import MONGODB_ALIAS, EchoMongoRouter


@pytest.fixture
def router():
    return EchoMongoRouter()


def test_echoapp_reads_and_writes_go_to_mongodb(router):
    """The lab's submissions are read from and written to the "mongodb" database."""
    assert router.db_for_read(EchoSubmission) == MONGODB_ALIAS == "mongodb"
    assert router.db_for_write(EchoSubmission) == MONGODB_ALIAS


def test_other_apps_are_left_to_the_default(router):
    """For any other model the router has no opinion (None): Django uses default."""
    user_model = get_user_model()

    assert router.db_for_read(user_model) is None
    assert router.db_for_write(user_model) is None


@pytest.mark.parametrize(
    ("db", "app_label", "allowed"),
    [
        ("mongodb", "echoapp", True),
        ("default", "echoapp", False),
        ("mongodb", "auth", False),
        ("mongodb", "contenttypes", False),
        ("mongodb", "catalog", False),
        ("default", "auth", None),
        ("default", "catalog", None),
    ],
)
def test_migrations_put_echoapp_on_mongodb_only(router, db, app_label, allowed):
    """echoapp migrates only on MongoDB; no other app migrates there."""
    assert router.allow_migrate(db, app_label, model_name="anything") is allowed


@pytest.mark.skipif(
    bool(os.environ.get("MONGODB_URI")), reason="on MongoDB the pk is an ObjectId"
)
def test_on_sql_the_primary_key_is_a_big_integer():
    """Without MONGODB_URI, submissions keep Django's usual integer id."""
    assert EchoSubmission._meta.pk.get_internal_type() == "BigAutoField"


@pytest.mark.django_db(databases="__all__")
def test_the_migrations_match_the_model():
    """The initial migration picks the same primary key as the model: no drift."""
    call_command("makemigrations", "echoapp", "--check", "--dry-run", verbosity=0)
