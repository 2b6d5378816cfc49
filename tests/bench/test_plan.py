"""The measurement plan: both stacks back to back, round after round."""

from bench import hop
from bench.plan import STACKS, Settings, build_plan
from bench.scenarios import SCENARIOS

FULL = Settings(
    rounds=3, users=8, sweep=(1, 8, 32), sizes=(1000, 10000, 100000),
    scenarios=tuple(SCENARIOS),
)  # fmt: skip


def test_every_measurement_of_the_monolith_is_followed_by_the_same_on_services():
    """A B A B: the services stack is measured right after the monolith, alike.

    Left out: the switched blocks, which measure the services stack alone, and the
    hop scenario's parts (a phase of their own).
    """
    switched = [
        s for s in build_plan(FULL) if s.phase == "main" and s.variant != "default"
    ]
    plan = [
        step
        for step in build_plan(FULL)
        if step not in switched and step.phase != "hop"
    ]
    pairs = zip(plan[::2], plan[1::2], strict=True)

    for first, second in pairs:
        assert (first.stack, second.stack) == STACKS
        assert (first.scenario, first.users, first.fixed_rate, first.round) == (
            second.scenario, second.users, second.fixed_rate, second.round,
        )  # fmt: skip


def test_each_measurement_is_made_once_per_round():
    """Every key appears in every round, and only once in each."""
    plan = build_plan(FULL)
    by_round = {n: [s.key for s in plan if s.round == n] for n in (1, 2, 3)}

    assert all(len(keys) == len(set(keys)) for keys in by_round.values())
    assert set(by_round[1]) == set(by_round[2]) == set(by_round[3])


def test_switches_are_flipped_on_the_services_stack_only():
    """The monolith has no network to save: its variant is always the default."""
    plan = build_plan(FULL)
    switched = {(s.stack, s.variant) for s in plan if s.variant != "default"}

    assert switched == {
        ("services", "cache-off"), ("services", "per-item"), ("services", "sequential"),
        ("services", "relay-only"), ("services", "display-cache-off"),
    }  # fmt: skip


def test_the_catalogue_grows_after_the_rounds_and_never_shrinks():
    """Seeding is one-way: sizes only go up along the plan."""
    sizes = [step.products for step in build_plan(FULL)]

    assert sizes == sorted(sizes)
    assert set(sizes) == {1000, 10000, 100000}


def test_attached_stacks_get_no_switches_and_no_growth():
    """Flipping a switch or seeding needs the stacks the bench started."""
    attached = Settings(
        rounds=1, users=2, sweep=(1, 2), sizes=(1000,), scenarios=tuple(SCENARIOS),
        switches=False,
    )  # fmt: skip

    plan = build_plan(attached)

    assert {step.variant for step in plan} == {"default"}
    assert {step.products for step in plan} == {1000}
    assert "hop" not in {step.scenario for step in plan}  # no bare server to call


def test_the_hop_comes_before_the_switches_one_part_after_another_by_one_user():
    """Its four round trips in each round, at the main size, by one user, with the
    services as `make run` runs them: after them, only the switched blocks."""
    plan = build_plan(FULL)
    for number in (1, 2, 3):
        in_round = [s for s in plan if s.round == number and s.phase != "growth"]
        first = next(i for i, s in enumerate(in_round) if s.scenario == "hop")
        parts = in_round[first : first + len(hop.PARTS)]

        assert [s.stack for s in parts] == list(hop.PARTS)
        assert {(s.scenario, s.users, s.variant, s.products) for s in parts} == {
            ("hop", 1, "default", 1000)
        }
        after = in_round[first + len(hop.PARTS) :]
        assert after
        assert all(s.variant != "default" for s in after)
    assert sum(s.scenario == "hop" for s in plan) == 3 * len(hop.PARTS)
