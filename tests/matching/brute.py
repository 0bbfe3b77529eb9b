"""Independent references for the engine's tests: hard rules and optimum by brute force.

Nothing here uses the engine's arrays: chains are walked manager by manager,
fit comes from the per-pair reference `fit_units`, and the optimum is a
dynamic programme over mentees with every mentor's remaining places as state.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from hypothesis import strategies as st

from upward.matching.model import (
    FIT_SCALE,
    FitWeights,
    MatchRules,
    Mentee,
    Mentor,
)
from upward.matching.scoring import Units, fit_units

TOPICS = ("generative-ai", "short-video", "podcasting", "sustainability", "chat-norms")
OFFERS = ("negotiation", "strategy", "budgeting")
ZONES = ("Europe/London", "Europe/Berlin", "America/New_York", "Asia/Tokyo")
DEPARTMENTS = ("Sales", "Engineering", "Legal")


def ancestors(person: str, managers: Mapping[str, str | None]) -> set[str]:
    """Everyone above `person`, walking up manager links."""
    seen: set[str] = set()
    boss = managers.get(person)
    while boss is not None and boss not in seen:
        seen.add(boss)
        boss = managers.get(boss)
    return seen


def same_chain(a: str, b: str, managers: Mapping[str, str | None]) -> bool:
    return a == b or a in ancestors(b, managers) or b in ancestors(a, managers)


def chain_map(
    mentors: Sequence[Mentor], mentees: Sequence[Mentee], people: Mapping[str, str | None] | None
) -> dict[str, str | None]:
    managers = dict(people or {})
    for person in [*mentors, *mentees]:
        managers.setdefault(person.id, person.manager_id)
    return managers


def allowed(
    mentor: Mentor,
    mentee: Mentee,
    rules: MatchRules,
    units: Units,
    managers: Mapping[str, str | None],
) -> bool:
    """Every hard rule for one pair (capacity apart)."""
    if mentee.level - mentor.level < rules.min_gap:
        return False
    if mentor.capacity <= 0:
        return False
    if same_chain(mentor.id, mentee.id, managers):
        return False
    if (mentor.id, mentee.id) in rules.blocks:
        return False
    return fit_units(mentor, mentee, units) >= round(rules.min_fit * FIT_SCALE)


@dataclass(frozen=True)
class Optimum:
    matched: int
    total: int  # millionths


def brute_force(
    mentors: Sequence[Mentor],
    mentees: Sequence[Mentee],
    rules: MatchRules,
    weights: FitWeights,
    people: Mapping[str, str | None] | None = None,
) -> Optimum:
    """Most matched, then highest total fit, with locks forced; by exhaustive DP."""
    units = Units.from_weights(weights)
    managers = chain_map(mentors, mentees, people)
    locked = {mentee: mentor for mentor, mentee in rules.locks}
    index = {m.id: j for j, m in enumerate(mentors)}
    caps = [m.capacity for m in mentors]
    base_matched = 0
    base_total = 0
    for mentee in mentees:
        if mentee.id in locked:
            j = index[locked[mentee.id]]
            caps[j] -= 1
            base_matched += 1
            base_total += fit_units(mentors[j], mentee, units)
    free = [e for e in mentees if e.id not in locked]
    options = [
        [
            (j, fit_units(m, e, units))
            for j, m in enumerate(mentors)
            if allowed(m, e, rules, units, managers)
        ]
        for e in free
    ]

    @cache
    def best(i: int, room: tuple[int, ...]) -> tuple[int, int]:
        if i == len(free):
            return (0, 0)
        result = best(i + 1, room)
        for j, fit in options[i]:
            if room[j] > 0:
                rest = best(i + 1, room[:j] + (room[j] - 1,) + room[j + 1 :])
                result = max(result, (rest[0] + 1, rest[1] + fit))
        return result

    count, total = best(0, tuple(caps))
    return Optimum(base_matched + count, base_total + total)


def greedy(
    mentors: Sequence[Mentor],
    mentees: Sequence[Mentee],
    rules: MatchRules,
    weights: FitWeights,
    people: Mapping[str, str | None] | None = None,
) -> dict[str, str]:
    """Best remaining pair first over every allowed pair (fit desc, then mentee id, then mentor
    id), locks first: the stable matching when both sides rank by fit."""
    units = Units.from_weights(weights)
    managers = chain_map(mentors, mentees, people)
    pairs = {mentee: mentor for mentor, mentee in rules.locks}
    room = {m.id: m.capacity for m in mentors}
    for mentor_id in pairs.values():
        room[mentor_id] -= 1
    ranked = sorted(
        (-fit_units(m, e, units), e.id, m.id)
        for m in mentors
        for e in mentees
        if allowed(m, e, rules, units, managers)
    )
    for _, mentee_id, mentor_id in ranked:
        if mentee_id not in pairs and room[mentor_id] > 0:
            pairs[mentee_id] = mentor_id
            room[mentor_id] -= 1
    return pairs


def blocking_pairs(
    mentors: Sequence[Mentor],
    mentees: Sequence[Mentee],
    pairs: Mapping[str, str],
    rules: MatchRules,
    weights: FitWeights,
    people: Mapping[str, str | None] | None = None,
) -> int:
    """Allowed pairs that both strictly prefer each other (locked mentees and places stay)."""
    units = Units.from_weights(weights)
    managers = chain_map(mentors, mentees, people)
    locked = {mentee for _, mentee in rules.locks}
    by_id = {m.id: m for m in mentors}
    mentee_by_id = {e.id: e for e in mentees}
    own = {e: fit_units(by_id[m], mentee_by_id[e], units) for e, m in pairs.items()}
    held: dict[str, list[str]] = {}
    for e, m in pairs.items():
        held.setdefault(m, []).append(e)
    count = 0
    for mentor in mentors:
        mine = held.get(mentor.id, [])
        movable = [own[e] for e in mine if e not in locked]
        for mentee in mentees:
            if mentee.id in locked or pairs.get(mentee.id) == mentor.id:
                continue
            if not allowed(mentor, mentee, rules, units, managers):
                continue
            fit = fit_units(mentor, mentee, units)
            if fit <= own.get(mentee.id, -1):
                continue
            if len(mine) < mentor.capacity or (movable and fit > min(movable)):
                count += 1
    return count


def topic_maps(names: Sequence[str], max_size: int) -> st.SearchStrategy[dict[str, int]]:
    return st.dictionaries(st.sampled_from(names), st.integers(1, 3), max_size=max_size)


@st.composite
def instances(
    draw: st.DrawFn, max_mentors: int = 7, max_mentees: int = 7
) -> tuple[list[Mentor], list[Mentee], MatchRules, dict[str, str | None]]:
    """A small random program: people, a reporting tree, rules, locks and blocks."""
    n_m = draw(st.integers(1, max_mentors))
    n_e = draw(st.integers(1, max_mentees))
    others = [f"X{i}" for i in range(draw(st.integers(0, 3)))]
    mentor_ids = [f"M{i}" for i in range(n_m)]
    mentee_ids = [f"E{i}" for i in range(n_e)]
    everyone = [*others, *mentee_ids, *mentor_ids]
    # A random forest: each person's manager is someone earlier in the list (or nobody).
    people: dict[str, str | None] = {}
    for k, pid in enumerate(everyone):
        people[pid] = draw(st.sampled_from([None, *everyone[:k]])) if k else None
    mentors = [
        Mentor(
            id=pid,
            level=draw(st.integers(1, 6)),
            department=draw(st.sampled_from(DEPARTMENTS)),
            timezone=draw(st.sampled_from(ZONES)),
            manager_id=people[pid],
            expertise=draw(topic_maps(TOPICS, 3)),
            wants_to_learn=draw(topic_maps(OFFERS, 2)),
            capacity=draw(st.integers(0, 2)),
        )
        for pid in mentor_ids
    ]
    mentees = [
        Mentee(
            id=pid,
            level=draw(st.integers(3, 9)),
            department=draw(st.sampled_from(DEPARTMENTS)),
            timezone=draw(st.sampled_from(ZONES)),
            manager_id=people[pid],
            interests=draw(topic_maps(TOPICS, 3)),
            offers=draw(topic_maps(OFFERS, 2)),
        )
        for pid in mentee_ids
    ]
    pair = st.tuples(st.sampled_from(mentor_ids), st.sampled_from(mentee_ids))
    locks = draw(st.lists(pair, max_size=2, unique_by=lambda p: p[1]))
    blocks = draw(st.frozensets(pair, max_size=4))
    rules = MatchRules(
        min_gap=draw(st.integers(0, 3)),
        min_fit=draw(st.sampled_from([0.0, 0.0, 0.3, 0.5])),
        locks=tuple(locks),
        blocks=blocks,
    )
    return mentors, mentees, rules, people


def locks_valid(
    mentors: Sequence[Mentor],
    mentees: Sequence[Mentee],
    rules: MatchRules,
    weights: FitWeights,
    people: Mapping[str, str | None],
) -> bool:
    """Whether the locks obey every hard rule and capacity (else the engine must refuse)."""
    units = Units.from_weights(weights)
    managers = chain_map(mentors, mentees, people)
    by_id = {m.id: m for m in mentors}
    mentee_by_id = {e.id: e for e in mentees}
    load: dict[str, int] = {}
    for mentor_id, mentee_id in rules.locks:
        mentor = by_id[mentor_id]
        if not allowed(mentor, mentee_by_id[mentee_id], rules, units, managers):
            return False
        load[mentor_id] = load.get(mentor_id, 0) + 1
        if load[mentor_id] > mentor.capacity:
            return False
    return True
