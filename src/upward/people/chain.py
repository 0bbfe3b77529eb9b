"""The reporting-chain index: who is above or below whom, at any depth.

Pairing someone with their own manager's manager defeats the point of reverse
mentoring, so "are these two in the same reporting chain?" is asked for every
candidate pair. Walking manager links per pair would cost a query per level;
instead each person carries a *materialised path* of employee ids from the top
of the organisation down to themselves (``/CEO/VP7/E42/``). Two people share a
chain exactly when one path is a prefix of the other: one comparison, no walk.

For vectorised work (the matching engine scores millions of pairs) the same
forest is also numbered as pre-order intervals: A is an ancestor of B exactly
when ``left[A] <= left[B] <= right[A]``.

Pure Python, no Django: used by the HRIS import and by the matching engine.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

#: Employee ids may not contain the path separator; we allow what HR systems use.
EMPLOYEE_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,63}$")
SEPARATOR = "/"


class ReportingCycleError(ValueError):
    """Manager links loop back on themselves; carries each loop, top-down order."""

    def __init__(self, cycles: list[list[str]]) -> None:
        self.cycles = cycles
        described = "; ".join(" → ".join([*cycle, cycle[0]]) for cycle in cycles)
        super().__init__(f"manager cycle: {described}")


def find_cycles(managers: Mapping[str, str | None]) -> list[list[str]]:
    """Every manager loop in the graph, each listed once starting from its smallest id."""
    state: dict[str, int] = {}  # 1 = on the current walk, 2 = finished
    cycles: list[list[str]] = []
    for start in managers:
        if state.get(start):
            continue
        walk: list[str] = []
        node: str | None = start
        while node is not None and node in managers and not state.get(node):
            state[node] = 1
            walk.append(node)
            node = managers[node]
        if node is not None and state.get(node) == 1:
            loop = walk[walk.index(node) :]
            pivot = loop.index(min(loop))
            cycles.append(loop[pivot:] + loop[:pivot])
        for visited in walk:
            state[visited] = 2
    return sorted(cycles)


def chain_paths(managers: Mapping[str, str | None]) -> dict[str, str]:
    """Materialised path for every person in `managers` (id → manager id or None).

    A manager id that is not itself a key is treated as the top of its chain,
    so partial extracts still produce consistent paths. Raises
    `ReportingCycleError` listing every loop.
    """
    cycles = find_cycles(managers)
    if cycles:
        raise ReportingCycleError(cycles)
    paths: dict[str, str] = {}
    for person in managers:
        if person in paths:
            continue
        pending: list[str] = []
        node: str | None = person
        while node is not None and node not in paths:
            pending.append(node)
            node = managers.get(node)
        prefix = paths[node] if node is not None else SEPARATOR
        for member in reversed(pending):
            prefix = f"{prefix}{member}{SEPARATOR}"
            paths[member] = prefix
    if len(paths) > len(managers):  # drop the outside managers that only head a chain
        return {person: paths[person] for person in managers}
    return paths


def in_same_chain(path_a: str, path_b: str) -> bool:
    """True when one person is above the other (or they are the same person)."""
    return path_a.startswith(path_b) or path_b.startswith(path_a)


def ancestors_from_path(path: str) -> list[str]:
    """Employee ids above the person, top first (the person themselves excluded)."""
    return path.strip(SEPARATOR).split(SEPARATOR)[:-1]


def chain_intervals(managers: Mapping[str, str | None]) -> dict[str, tuple[int, int]]:
    """Pre-order interval per person: A is above B iff left[A] < left[B] <= right[A].

    Unknown managers are roots, as in `chain_paths`. Raises `ReportingCycleError`.
    """
    cycles = find_cycles(managers)
    if cycles:
        raise ReportingCycleError(cycles)
    children: dict[str, list[str]] = {}
    roots: list[str] = []
    for person, boss in managers.items():
        if boss is None or boss not in managers:
            roots.append(person)
        else:
            children.setdefault(boss, []).append(person)
    intervals: dict[str, tuple[int, int]] = {}
    counter = 0
    for root in roots:
        # Iterative DFS: (node, entered?) so deep hierarchies never hit the recursion limit.
        stack: list[tuple[str, bool]] = [(root, False)]
        left: dict[str, int] = {}
        while stack:
            node, entered = stack.pop()
            if entered:
                intervals[node] = (left[node], counter)
                continue
            counter += 1
            left[node] = counter
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(children.get(node, [])))
    return intervals
