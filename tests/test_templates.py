"""A stack starts from a copy of a migrated SQLite template (harness/templates.py)."""

import sqlite3

from tests.harness import templates


def _migrate_into(calls: list[str]):
    def migrate(url: str) -> None:
        calls.append(url)
        with sqlite3.connect(url.removeprefix(templates.SQLITE)) as db:
            db.execute("CREATE TABLE shop (id INTEGER PRIMARY KEY)")

    return migrate


def test_the_first_stack_migrates_the_template_and_the_next_one_copies_it(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(templates, "TEMPLATES", tmp_path / "templates")
    calls: list[str] = []
    first, second = tmp_path / "first.sqlite3", tmp_path / "second.sqlite3"

    templates.migrated("shop", f"sqlite:///{first}", _migrate_into(calls))
    templates.migrated("shop", f"sqlite:///{second}", _migrate_into(calls))

    assert len(calls) == 1  # the template's, under a name of its own
    assert str(first) not in calls[0]
    for database in (first, second):
        with sqlite3.connect(database) as db:
            assert db.execute("SELECT name FROM sqlite_master").fetchall() == [
                ("shop",)
            ]


def test_a_template_of_another_schema_is_replaced(tmp_path, monkeypatch):
    monkeypatch.setattr(templates, "TEMPLATES", tmp_path)
    stale = tmp_path / "shop-0000000000000000.sqlite3"
    stale.write_bytes(b"")

    templates.migrated(
        "shop", f"sqlite:///{tmp_path / 'db.sqlite3'}", _migrate_into([])
    )

    assert not stale.exists()
    assert (tmp_path / f"shop-{templates.schema_key()}.sqlite3").exists()


def test_a_postgresql_database_is_always_migrated(tmp_path, monkeypatch):
    monkeypatch.setattr(templates, "TEMPLATES", tmp_path)
    calls: list[str] = []

    templates.migrated("shop", "postgres://127.0.0.1/x", calls.append)
    templates.migrated("shop", "postgres://127.0.0.1/x", calls.append)

    assert calls == ["postgres://127.0.0.1/x"] * 2
    assert list(tmp_path.iterdir()) == []
