"""Fit: how well a mentor suits a mentee, as a weighted sum of four explainable parts.

fit = w_coverage · coverage + w_reciprocity · reciprocity
      + w_department · [different department] + w_timezone · overlap

- **coverage** — how much of what the leader wants to learn the mentor knows:
  Σ priority(t) · proficiency(t) / (3 · Σ priority(t)) over the mentee's interests,
  so a mentor at proficiency 3 on every interest covers 100 %.
- **reciprocity** — how much of what the mentor wants to learn the leader offers:
  Σ want(t) · offer(t) / (3 · Σ want(t)) over the mentor's wishes.
- **different department** — 1 when both departments are known and differ: the
  pair widens both people's view of the organisation.
- **overlap** — shared working hours (09:00–17:00 local on weekdays) between the
  two IANA time zones, divided by 8 h; averaged over a January and a July day so
  daylight-saving time in either hemisphere counts.

Weights are normalised to sum to 1, so fit lies in [0, 1]. Fit is held as an
integer number of millionths (`FIT_SCALE`), each term rounded *down*, so that
fit is exactly the dot product of two non-negative integer vectors — one per
mentee, one per mentor. That is what makes scoring millions of pairs a matrix
product whose every entry is exact (all partial sums stay below 2**24, so even
float32 arithmetic is exact), makes group upper bounds exact (an element-wise
maximum of mentor vectors), and makes every code path — vectorised, per pair,
brute force in tests — agree to the last unit.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import numpy.typing as npt

from upward.matching.model import (
    FIT_SCALE,
    MAX_TOPIC_WEIGHT,
    FitParts,
    FitWeights,
    Mentee,
    Mentor,
)

#: Local working day used for the overlap part, in minutes after midnight.
WORKDAY_START = 9 * 60
WORKDAY_END = 17 * 60
WORKDAY_MINUTES = WORKDAY_END - WORKDAY_START
#: Two reference instants, one per half of the year, for daylight-saving time.
REFERENCE_INSTANTS = (
    dt.datetime(2025, 1, 15, 12, tzinfo=dt.UTC),
    dt.datetime(2025, 7, 15, 12, tzinfo=dt.UTC),
)
_DAY = 24 * 60

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float32]


class UnknownTimeZoneError(ValueError):
    """A time zone name is not in the IANA database."""


@lru_cache(maxsize=4096)
def utc_offsets(timezone: str) -> tuple[int, ...]:
    """Offsets from UTC in minutes at each reference instant."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UnknownTimeZoneError(timezone) from exc
    offsets = []
    for instant in REFERENCE_INSTANTS:
        offset = instant.astimezone(zone).utcoffset()
        assert offset is not None
        offsets.append(int(offset.total_seconds() // 60))
    return tuple(offsets)


def _daily_overlap(offset_a: int, offset_b: int) -> int:
    """Minutes both working days share, treating each as a window that recurs every day."""
    a0, a1 = WORKDAY_START - offset_a, WORKDAY_END - offset_a
    b0, b1 = WORKDAY_START - offset_b, WORKDAY_END - offset_b
    total = 0
    for shift in (-_DAY, 0, _DAY):
        total += max(0, min(a1, b1 + shift) - max(a0, b0 + shift))
    return total


@lru_cache(maxsize=65536)
def overlap_minutes(timezone_a: str, timezone_b: str) -> float:
    """Shared working minutes per day between two IANA zones, averaged over the year's halves."""
    pairs = zip(utc_offsets(timezone_a), utc_offsets(timezone_b), strict=True)
    values = [_daily_overlap(a, b) for a, b in pairs]
    return sum(values) / len(values)


def normalise_department(name: str) -> str:
    """Departments compare case- and spacing-insensitively; HR exports are not consistent."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class Units:
    """The weights as integer millionths; every part of fit is built from these."""

    coverage: float
    reciprocity: float
    department: int
    timezone: float

    @classmethod
    def from_weights(cls, weights: FitWeights) -> Units:
        """Scale normalised weights to millionths of fit."""
        coverage, reciprocity, department, timezone = weights.normalised()
        return cls(
            coverage=FIT_SCALE * coverage,
            reciprocity=FIT_SCALE * reciprocity,
            department=math.floor(FIT_SCALE * department),
            timezone=FIT_SCALE * timezone,
        )

    def interest_units(self, interests: Mapping[str, int]) -> dict[str, int]:
        """Per interest: millionths of fit earned per point of mentor proficiency."""
        total = sum(interests.values())
        if total <= 0:
            return {}
        scale = self.coverage / (MAX_TOPIC_WEIGHT * total)
        return {topic: math.floor(scale * priority) for topic, priority in interests.items()}

    def wish_units(self, wants: Mapping[str, int]) -> dict[str, int]:
        """Per wish of a mentor: millionths of fit earned per point the mentee offers."""
        total = sum(wants.values())
        if total <= 0:
            return {}
        scale = self.reciprocity / (MAX_TOPIC_WEIGHT * total)
        return {topic: math.floor(scale * want) for topic, want in wants.items()}

    def overlap_units(self, timezone_a: str, timezone_b: str) -> int:
        """Millionths of fit for the working hours two zones share."""
        minutes = overlap_minutes(timezone_a, timezone_b)
        return math.floor(self.timezone * minutes / WORKDAY_MINUTES)


def fit_parts(mentor: Mentor, mentee: Mentee, units: Units) -> FitParts:
    """One pair's fit and its explanation, by the same integer arithmetic as the matrices."""
    interest_units = units.interest_units(mentee.interests)
    coverage = sum(u * mentor.expertise.get(t, 0) for t, u in interest_units.items())
    wish_units = units.wish_units(mentor.wants_to_learn)
    reciprocity = sum(u * mentee.offers.get(t, 0) for t, u in wish_units.items())
    dept_a = normalise_department(mentor.department)
    dept_b = normalise_department(mentee.department)
    different = bool(dept_a and dept_b and dept_a != dept_b)
    overlap = units.overlap_units(mentee.timezone, mentor.timezone)
    total = coverage + reciprocity + (units.department if different else 0) + overlap
    covered = tuple(
        sorted(
            (
                (topic, priority, mentor.expertise[topic])
                for topic, priority in mentee.interests.items()
                if mentor.expertise.get(topic, 0) > 0
            ),
            key=lambda item: (-item[1], -item[2], item[0]),
        )
    )
    uncovered = tuple(sorted(t for t in mentee.interests if mentor.expertise.get(t, 0) <= 0))
    reciprocal = tuple(sorted(t for t in mentor.wants_to_learn if mentee.offers.get(t, 0) > 0))
    return FitParts(
        fit=total / FIT_SCALE,
        coverage=coverage / units.coverage if units.coverage else 0.0,
        reciprocity=reciprocity / units.reciprocity if units.reciprocity else 0.0,
        different_department=different,
        overlap_hours=overlap_minutes(mentee.timezone, mentor.timezone) / 60,
        covered=covered,
        uncovered=uncovered,
        reciprocal=reciprocal,
    )


def fit_units(mentor: Mentor, mentee: Mentee, units: Units) -> int:
    """One pair's fit in millionths (the reference the vectorised code must agree with)."""
    return round(fit_parts(mentor, mentee, units).fit * FIT_SCALE)


@dataclass
class FeatureSpace:
    """Mentees (X) and mentors (Y) as integer vectors with fit = X[i] · Y[j] in millionths.

    Column blocks: interest topics (mentee: units per proficiency point; mentor:
    proficiency), wish topics (mentee: offer weight; mentor: units per offer point),
    departments (mentee: one-hot; mentor: department units on every *other*
    known department) and time zones (mentee: one-hot; mentor: overlap units
    against each zone). All entries are non-negative, so the element-wise
    maximum of a group's vectors bounds the fit of every member exactly.
    """

    mentee_x: FloatArray
    mentor_y: FloatArray
    department_units: int
    #: first column of the time-zone block (everything before it is topics and departments)
    zone_offset: int
    mentee_zone: IntArray
    mentor_zone: IntArray
    #: overlap units between zone codes: zone_units[mentee zone, mentor zone]
    zone_units: IntArray


def _index(values: Iterable[str]) -> dict[str, int]:
    return {value: i for i, value in enumerate(sorted(set(values)))}


def build_features(
    mentors: Sequence[Mentor], mentees: Sequence[Mentee], units: Units
) -> FeatureSpace:
    """Both sides' fit vectors; a few Python passes over the people, then pure numpy."""
    cover_topics = (
        _index(
            set().union(*(m.interests for m in mentees))
            & set().union(*(m.expertise for m in mentors))
        )
        if mentors and mentees
        else {}
    )
    wish_topics = (
        _index(
            set().union(*(m.offers for m in mentees))
            & set().union(*(m.wants_to_learn for m in mentors))
        )
        if mentors and mentees
        else {}
    )
    mentee_depts = [normalise_department(e.department) for e in mentees]
    mentor_depts = [normalise_department(m.department) for m in mentors]
    departments = _index(d for d in [*mentee_depts, *mentor_depts] if d)
    zones = _index([*(e.timezone for e in mentees), *(m.timezone for m in mentors)])

    n_cover, n_wish, n_dept = len(cover_topics), len(wish_topics), len(departments)
    dept0 = n_cover + n_wish
    zone0 = dept0 + n_dept
    width = zone0 + len(zones)

    zone_names = list(zones)
    zone_units = np.array(
        [[units.overlap_units(a, b) for b in zone_names] for a in zone_names], dtype=np.int64
    ).reshape(len(zone_names), len(zone_names))
    mentee_zone = np.array([zones[e.timezone] for e in mentees], dtype=np.int64)
    mentor_zone = np.array([zones[m.timezone] for m in mentors], dtype=np.int64)

    x = np.zeros((len(mentees), width), dtype=np.float32)
    rows: list[int] = []
    cols: list[int] = []
    vals: list[int] = []
    for i, mentee in enumerate(mentees):
        for topic, value in units.interest_units(mentee.interests).items():
            col = cover_topics.get(topic)
            if col is not None:
                rows.append(i)
                cols.append(col)
                vals.append(value)
        for topic, weight in mentee.offers.items():
            col = wish_topics.get(topic)
            if col is not None:
                rows.append(i)
                cols.append(n_cover + col)
                vals.append(weight)
    x[rows, cols] = vals
    if mentees:
        dept_codes = np.array([departments.get(d, -1) for d in mentee_depts], dtype=np.int64)
        known = dept_codes >= 0
        x[np.flatnonzero(known), dept0 + dept_codes[known]] = 1
        x[np.arange(len(mentees)), zone0 + mentee_zone] = 1

    y = np.zeros((len(mentors), width), dtype=np.float32)
    rows, cols, vals = [], [], []
    for j, mentor in enumerate(mentors):
        for topic, proficiency in mentor.expertise.items():
            col = cover_topics.get(topic)
            if col is not None:
                rows.append(j)
                cols.append(col)
                vals.append(proficiency)
        for topic, value in units.wish_units(mentor.wants_to_learn).items():
            col = wish_topics.get(topic)
            if col is not None:
                rows.append(j)
                cols.append(n_cover + col)
                vals.append(value)
    y[rows, cols] = vals
    if mentors:
        dept_codes = np.array([departments.get(d, -1) for d in mentor_depts], dtype=np.int64)
        known = dept_codes >= 0
        y[np.flatnonzero(known), dept0 : dept0 + n_dept] = units.department
        y[np.flatnonzero(known), dept0 + dept_codes[known]] = 0
        y[:, zone0:width] = zone_units[:, mentor_zone].T
    return FeatureSpace(
        mentee_x=x,
        mentor_y=y,
        department_units=units.department,
        zone_offset=zone0,
        mentee_zone=mentee_zone,
        mentor_zone=mentor_zone,
        zone_units=zone_units,
    )
