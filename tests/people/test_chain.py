"""The reporting-chain index answers "same chain?" without walking manager links."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from upward.people.chain import (
    ReportingCycleError,
    ancestors_from_path,
    chain_intervals,
    chain_paths,
    find_cycles,
    in_same_chain,
)

ORG = {"ceo": None, "vp": "ceo", "lead": "vp", "jr": "lead", "vp2": "ceo", "an": "vp2"}


def test_paths_list_every_ancestor_top_down() -> None:
    paths = chain_paths(ORG)
    assert paths["jr"] == "/ceo/vp/lead/jr/"
    assert ancestors_from_path(paths["jr"]) == ["ceo", "vp", "lead"]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("jr", "ceo", True),  # skip-level, upwards
        ("ceo", "jr", True),  # downwards
        ("lead", "jr", True),  # direct manager
        ("jr", "an", False),  # different branches
        ("vp", "vp2", False),  # peers
        ("jr", "jr", True),  # oneself
    ],
)
def test_same_chain_in_either_direction_at_any_depth(a: str, b: str, same: bool) -> None:
    paths = chain_paths(ORG)
    assert in_same_chain(paths[a], paths[b]) is same


def test_prefix_of_an_id_is_not_an_ancestor() -> None:
    paths = chain_paths({"E1": None, "E12": None})
    assert not in_same_chain(paths["E1"], paths["E12"])


def test_cycles_are_found_and_reported_from_their_smallest_id() -> None:
    managers = {"a": "c", "b": "a", "c": "b", "d": "d", "e": None, "f": "a"}
    assert find_cycles(managers) == [["a", "c", "b"], ["d"]]
    with pytest.raises(ReportingCycleError, match="a → c → b → a"):
        chain_paths(managers)


def test_unknown_manager_is_treated_as_the_top_of_the_chain() -> None:
    assert chain_paths({"x": "outside"}) == {"x": "/outside/x/"}


def test_deep_hierarchy_does_not_hit_the_recursion_limit() -> None:
    managers = {f"p{i}": (f"p{i - 1}" if i else None) for i in range(20_000)}
    intervals = chain_intervals(managers)
    assert intervals["p0"] == (1, 20_000)
    assert chain_paths(managers)["p3"] == "/p0/p1/p2/p3/"


forests = st.integers(min_value=1, max_value=40).flatmap(
    lambda n: st.lists(st.integers(min_value=-1, max_value=n - 1), min_size=n, max_size=n).map(
        # Each person's manager has a smaller index, so the result is a forest.
        lambda picks: {f"p{i}": (f"p{m}" if 0 <= m < i else None) for i, m in enumerate(picks)}
    )
)


def _walk_up(managers: dict[str, str | None], person: str) -> set[str]:
    above: set[str] = set()
    node = managers[person]
    while node is not None:
        above.add(node)
        node = managers[node]
    return above


@settings(max_examples=60, deadline=None)
@given(forests)
def test_paths_and_intervals_agree_with_walking_the_tree(managers: dict[str, str | None]) -> None:
    paths = chain_paths(managers)
    intervals = chain_intervals(managers)
    for a in managers:
        above_a = _walk_up(managers, a)
        for b in managers:
            expected = a == b or b in above_a or a in _walk_up(managers, b)
            assert in_same_chain(paths[a], paths[b]) is expected
            la, ra = intervals[a]
            lb, _ = intervals[b]
            assert (la < lb <= ra) is (a in _walk_up(managers, b))
