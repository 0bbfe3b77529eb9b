"""A matching problem in array form: people in id order, fit vectors and the hard rules.

Everything the solver touches per pair is a numpy array here, so the rules
can be checked for millions of pairs at once: seniority gap by comparing
levels, reporting chains by pre-order intervals (`upward.people.chain`),
blocked pairs by sorted integer keys.

People are sorted by id first so the result depends on the input's content
only, never on the order of rows in a file.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from upward.matching.model import (
    FIT_SCALE,
    FitWeights,
    InputIssue,
    MatchInputError,
    MatchRules,
    Mentee,
    Mentor,
)
from upward.matching.scoring import (
    FeatureSpace,
    Units,
    UnknownTimeZoneError,
    build_features,
    utc_offsets,
)
from upward.people.chain import ReportingCycleError, chain_intervals

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Rule codes, used in reasons and counted per unmatched person.
RULE_GAP = "gap"
RULE_CHAIN = "chain"
RULE_BLOCK = "block"
RULE_FIT = "fit"


def min_fit_units(min_fit: float) -> int:
    """The threshold in millionths; a fit exactly at the threshold passes."""
    return max(0, math.ceil(round(min_fit * FIT_SCALE, 6)))


@dataclass
class Instance:
    """The problem ready for the solver (indices refer to the id-sorted lists)."""

    mentors: list[Mentor]
    mentees: list[Mentee]
    units: Units
    features: FeatureSpace
    mentee_level: IntArray
    mentor_level: IntArray
    capacity: IntArray
    mentee_left: IntArray
    mentee_right: IntArray
    mentor_left: IntArray
    mentor_right: IntArray
    min_gap: int
    min_fit: int
    blocked: IntArray  # sorted keys mentee * n_mentors + mentor
    lock_mentee: IntArray
    lock_mentor: IntArray

    @property
    def n_mentees(self) -> int:
        return len(self.mentees)

    @property
    def n_mentors(self) -> int:
        return len(self.mentors)

    def fits(self, mentee: IntArray, mentor: IntArray) -> IntArray:
        """Exact fit in millionths for paired index arrays (row-wise dot products).

        float32 is exact here: every term and partial sum is a non-negative integer
        below 2**24 (see `scoring`).
        """
        if mentee.size == 0:
            return np.zeros(0, dtype=np.int64)
        x = self.features.mentee_x
        y = self.features.mentor_y
        out = np.empty(mentee.size, dtype=np.int64)
        step = 1 << 16
        for start in range(0, mentee.size, step):
            e = mentee[start : start + step]
            m = mentor[start : start + step]
            out[start : start + step] = np.einsum("ij,ij->i", x[e], y[m])
        return out

    def block_fits(self, mentee: IntArray, mentor: IntArray) -> npt.NDArray[np.float32]:
        """Exact fits of every mentee × mentor combination (integers held in float32)."""
        return self.features.mentee_x[mentee] @ self.features.mentor_y[mentor].T

    def gap_ok(self, mentee: IntArray, mentor: IntArray) -> BoolArray:
        """Seniority rule for paired index arrays."""
        return (self.mentee_level[mentee] - self.mentor_level[mentor]) >= self.min_gap

    def same_chain(self, mentee: IntArray, mentor: IntArray) -> BoolArray:
        """True where one is above the other (any depth) or they are the same person."""
        le, re = self.mentee_left[mentee], self.mentee_right[mentee]
        lm, rm = self.mentor_left[mentor], self.mentor_right[mentor]
        return ((le <= lm) & (lm <= re)) | ((lm <= le) & (le <= rm))

    def is_blocked(self, mentee: IntArray, mentor: IntArray) -> BoolArray:
        """Coordinator's blocks for paired index arrays."""
        if self.blocked.size == 0:
            return np.zeros(mentee.shape, dtype=bool)
        keys = mentee.astype(np.int64) * self.n_mentors + mentor
        pos = np.searchsorted(self.blocked, keys)
        pos[pos >= self.blocked.size] = 0
        return self.blocked[pos] == keys

    def rules_ok(self, mentee: IntArray, mentor: IntArray) -> BoolArray:
        """Every hard rule except the fit threshold, for paired index arrays."""
        ok = self.gap_ok(mentee, mentor)
        ok &= self.capacity[mentor] > 0
        ok &= ~self.same_chain(mentee, mentor)
        ok &= ~self.is_blocked(mentee, mentor)
        return ok

    def broken_rules(self, mentee: int, mentor: int, fit: int) -> list[str]:
        """Which hard rules one pair breaks (codes), for locks and explanations."""
        e = np.array([mentee])
        m = np.array([mentor])
        broken = []
        if not self.gap_ok(e, m)[0]:
            broken.append(RULE_GAP)
        if self.same_chain(e, m)[0]:
            broken.append(RULE_CHAIN)
        if self.is_blocked(e, m)[0]:
            broken.append(RULE_BLOCK)
        if fit < self.min_fit:
            broken.append(RULE_FIT)
        return broken


def _managers(
    mentors: Sequence[Mentor],
    mentees: Sequence[Mentee],
    people: Mapping[str, str | None] | None,
) -> dict[str, str | None]:
    """The reporting graph: the people file where given, completed by the two lists."""
    managers: dict[str, str | None] = dict(people) if people else {}
    for pid, boss in [
        *((m.id, m.manager_id) for m in mentors),
        *((e.id, e.manager_id) for e in mentees),
    ]:
        if pid not in managers:
            managers[pid] = boss or None
    return managers


def build_instance(
    mentors: Sequence[Mentor],
    mentees: Sequence[Mentee],
    *,
    rules: MatchRules,
    weights: FitWeights,
    people: Mapping[str, str | None] | None = None,
) -> Instance:
    """Validate the people and rules and lay the problem out as arrays.

    Raises `MatchInputError` with every issue found: duplicate ids, someone on
    both sides, unknown time zones, capacities below zero, unknown or
    conflicting locks and blocks, reporting cycles.
    """
    issues: list[InputIssue] = []
    mentor_list = sorted(mentors, key=lambda p: p.id)
    mentee_list = sorted(mentees, key=lambda p: p.id)
    mentor_sorted = [m.id for m in mentor_list]
    mentee_sorted = [e.id for e in mentee_list]
    for role, ids in (("mentor", mentor_sorted), ("mentee", mentee_sorted)):
        for a, b in zip(ids, ids[1:], strict=False):
            if a == b:
                issues.append(InputIssue(f"{role} id {a} appears twice", role, a, "employee_id"))  # type: ignore[arg-type]
    mentor_ids = {m.id: j for j, m in enumerate(mentor_list)}
    mentee_ids = {e.id: i for i, e in enumerate(mentee_list)}
    issues.extend(
        InputIssue("is both a mentor and a mentee in this program", "mentee", pid, "employee_id")
        for pid in sorted(mentor_ids.keys() & mentee_ids.keys())
    )
    zones = [("mentor", m.id, m.timezone) for m in mentor_list]
    zones += [("mentee", e.id, e.timezone) for e in mentee_list]
    for role, pid, zone in zones:
        try:
            utc_offsets(zone)
        except UnknownTimeZoneError:
            issues.append(
                InputIssue(
                    f"unknown time zone {zone!r} (use an IANA name such as Europe/Paris)",
                    role,  # type: ignore[arg-type]
                    pid,
                    "timezone",
                )
            )
    issues.extend(
        InputIssue("capacity must be at least 0", "mentor", m.id, "capacity")
        for m in mentor_list
        if m.capacity < 0
    )
    if not 0 <= rules.min_fit <= 1:
        issues.append(InputIssue("min_fit must lie between 0 and 1"))

    def resolve(pairs: Sequence[tuple[str, str]], kind: str) -> list[tuple[int, int]]:
        out = []
        for mentor_id, mentee_id in pairs:
            if mentor_id not in mentor_ids:
                issues.append(InputIssue(f"{kind} {mentor_id}:{mentee_id}: unknown mentor id"))
            elif mentee_id not in mentee_ids:
                issues.append(InputIssue(f"{kind} {mentor_id}:{mentee_id}: unknown mentee id"))
            else:
                out.append((mentee_ids[mentee_id], mentor_ids[mentor_id]))
        return out

    locks = resolve(rules.locks, "lock")
    blocks = resolve(sorted(rules.blocks), "block")
    try:
        intervals = chain_intervals(_managers(mentor_list, mentee_list, people))
    except ReportingCycleError as exc:
        issues.append(InputIssue(str(exc)))
        intervals = {}
    if issues:
        raise MatchInputError(issues)

    units = Units.from_weights(weights)
    features = build_features(mentor_list, mentee_list, units)
    n_m = len(mentor_list)
    blocked = np.unique(np.array([e * n_m + m for e, m in blocks], dtype=np.int64))
    instance = Instance(
        mentors=mentor_list,
        mentees=mentee_list,
        units=units,
        features=features,
        mentee_level=np.array([e.level for e in mentee_list], dtype=np.int64),
        mentor_level=np.array([m.level for m in mentor_list], dtype=np.int64),
        capacity=np.array([m.capacity for m in mentor_list], dtype=np.int64),
        mentee_left=np.array([intervals[e.id][0] for e in mentee_list], dtype=np.int64),
        mentee_right=np.array([intervals[e.id][1] for e in mentee_list], dtype=np.int64),
        mentor_left=np.array([intervals[m.id][0] for m in mentor_list], dtype=np.int64),
        mentor_right=np.array([intervals[m.id][1] for m in mentor_list], dtype=np.int64),
        min_gap=rules.min_gap,
        min_fit=min_fit_units(rules.min_fit),
        blocked=blocked,
        lock_mentee=np.array([e for e, _ in locks], dtype=np.int64),
        lock_mentor=np.array([m for _, m in locks], dtype=np.int64),
    )
    _check_locks(instance, rules)
    return instance


def _check_locks(instance: Instance, rules: MatchRules) -> None:
    """A lock must itself be a valid pair; a mentee locked twice or a mentor over capacity fails."""
    issues: list[InputIssue] = []
    lock_e, lock_m = instance.lock_mentee, instance.lock_mentor
    fits = instance.fits(lock_e, lock_m)
    gap = instance.min_gap
    for e, m, fit in zip(lock_e.tolist(), lock_m.tolist(), fits.tolist(), strict=True):
        mentor, mentee = instance.mentors[m], instance.mentees[e]
        label = f"lock {mentor.id}:{mentee.id}"
        for rule in instance.broken_rules(e, m, fit):
            if rule == RULE_GAP:
                issues.append(
                    InputIssue(
                        f"{label} breaks the seniority rule: mentee level {mentee.level} − "
                        f"mentor level {mentor.level} is less than the minimum gap {gap}",
                        "mentee",
                        mentee.id,
                        "level",
                    )
                )
            elif rule == RULE_CHAIN:
                issues.append(
                    InputIssue(
                        f"{label} pairs two people in the same reporting chain",
                        "mentee",
                        mentee.id,
                        "manager_employee_id",
                    )
                )
            elif rule == RULE_BLOCK:
                issues.append(InputIssue(f"{label} is also blocked"))
            elif rule == RULE_FIT:
                issues.append(
                    InputIssue(
                        f"{label} has fit {fit / FIT_SCALE:.3f}, below the minimum "
                        f"{rules.min_fit:g}",
                        "mentee",
                        mentee.id,
                        "interests",
                    )
                )
    seen: dict[int, int] = {}
    for e, m in zip(lock_e.tolist(), lock_m.tolist(), strict=True):
        if e in seen and seen[e] != m:
            mentee = instance.mentees[e]
            issues.append(
                InputIssue(
                    f"mentee {mentee.id} is locked to two mentors "
                    f"({instance.mentors[seen[e]].id} and {instance.mentors[m].id})",
                    "mentee",
                    mentee.id,
                    "employee_id",
                )
            )
        seen[e] = m
    pairs = sorted(set(zip(lock_e.tolist(), lock_m.tolist(), strict=True)))
    counts = np.bincount(
        np.array([m for _, m in pairs], dtype=np.int64), minlength=instance.n_mentors
    )
    for m in np.flatnonzero(counts > instance.capacity).tolist():
        mentor = instance.mentors[m]
        issues.append(
            InputIssue(
                f"mentor {mentor.id} has {counts[m]} locked mentees but capacity {mentor.capacity}",
                "mentor",
                mentor.id,
                "capacity",
            )
        )
    if issues:
        raise MatchInputError(issues)
    keep = np.array(sorted({e: m for e, m in pairs}.items()), dtype=np.int64).reshape(-1, 2)
    instance.lock_mentee = keep[:, 0].copy()
    instance.lock_mentor = keep[:, 1].copy()


def sub_instance(instance: Instance, mentees: IntArray, mentors: IntArray) -> Instance:
    """The same problem restricted to some mentees and mentors (no locks), for price estimates."""
    n_m = instance.n_mentors
    new_m = np.full(n_m, -1, dtype=np.int64)
    new_m[mentors] = np.arange(mentors.size)
    new_e = np.full(instance.n_mentees, -1, dtype=np.int64)
    new_e[mentees] = np.arange(mentees.size)
    b_e, b_m = instance.blocked // n_m, instance.blocked % n_m
    inside = (new_e[b_e] >= 0) & (new_m[b_m] >= 0)
    blocked = np.sort(new_e[b_e[inside]] * mentors.size + new_m[b_m[inside]])
    feats = instance.features
    features = FeatureSpace(
        mentee_x=feats.mentee_x[mentees],
        mentor_y=feats.mentor_y[mentors],
        department_units=feats.department_units,
        zone_offset=feats.zone_offset,
        mentee_zone=feats.mentee_zone[mentees],
        mentor_zone=feats.mentor_zone[mentors],
        zone_units=feats.zone_units,
    )
    return Instance(
        mentors=[instance.mentors[j] for j in mentors.tolist()],
        mentees=[instance.mentees[i] for i in mentees.tolist()],
        units=instance.units,
        features=features,
        mentee_level=instance.mentee_level[mentees],
        mentor_level=instance.mentor_level[mentors],
        capacity=instance.capacity[mentors],
        mentee_left=instance.mentee_left[mentees],
        mentee_right=instance.mentee_right[mentees],
        mentor_left=instance.mentor_left[mentors],
        mentor_right=instance.mentor_right[mentors],
        min_gap=instance.min_gap,
        min_fit=instance.min_fit,
        blocked=blocked,
        lock_mentee=np.zeros(0, dtype=np.int64),
        lock_mentor=np.zeros(0, dtype=np.int64),
    )
