"""Chores for the relay's tests, as a service names its sweepers for the relay."""

passes: list[str] = []  # one entry per chore run, in the order they ran


class SweeperBroke(Exception):
    """A chore's bug: the relay must log it and go on."""


def sweep() -> None:
    """A chore that works: notes that it ran."""
    passes.append("sweep")


def break_down() -> None:
    """A chore with a bug."""
    passes.append("break_down")
    raise SweeperBroke("the sweeper broke")
