"""The matching engine's vocabulary: what goes in and what comes out.

Plain frozen dataclasses, no Django, so the engine can be called from the web
app, the `upward match-csv` command line, tests and the benchmark alike
("pure engines: dataclasses in, dataclasses out").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

#: Topic weights (priority, proficiency, ...) run from 1 (a little) to 3 (a lot).
MIN_TOPIC_WEIGHT = 1
MAX_TOPIC_WEIGHT = 3
#: A topic listed without a weight counts as the middle of the scale.
DEFAULT_TOPIC_WEIGHT = 2
#: Fit is computed and compared in whole millionths, so every code path agrees exactly.
FIT_SCALE = 1_000_000

_EMPTY: Mapping[str, int] = MappingProxyType({})


@dataclass(frozen=True)
class Mentor:
    """A junior employee offering expertise; `capacity` is how many leaders they take on."""

    id: str
    level: int
    department: str = ""
    timezone: str = "UTC"
    manager_id: str | None = None
    #: topic slug → proficiency 1–3
    expertise: Mapping[str, int] = field(default_factory=dict)
    #: topic slug → how much they want to learn it, 1–3
    wants_to_learn: Mapping[str, int] = field(default_factory=dict)
    capacity: int = 1


@dataclass(frozen=True)
class Mentee:
    """A senior leader who wants to learn; `offers` is what they can teach back."""

    id: str
    level: int
    department: str = ""
    timezone: str = "UTC"
    manager_id: str | None = None
    #: topic slug → priority 1–3
    interests: Mapping[str, int] = field(default_factory=dict)
    #: topic slug → how much they can offer, 1–3
    offers: Mapping[str, int] = field(default_factory=dict)
    goal: str = ""


@dataclass(frozen=True)
class FitWeights:
    """Relative weights of the four explainable parts of fit; they are divided by their sum.

    Coverage dominates because a leader joins to learn specific things; time-zone
    overlap comes next because a pair that cannot meet in working hours stalls;
    reciprocity and a different department are bonuses that make the pairing
    two-way and widen both people's view of the organisation.
    """

    coverage: float = 0.50
    reciprocity: float = 0.15
    department: float = 0.10
    timezone: float = 0.25

    def normalised(self) -> tuple[float, float, float, float]:
        """The four weights scaled to sum to 1, so fit stays in [0, 1]."""
        parts = (self.coverage, self.reciprocity, self.department, self.timezone)
        if any(p < 0 for p in parts):
            raise ValueError("fit weights must not be negative")
        total = sum(parts)
        if total <= 0:
            raise ValueError("at least one fit weight must be positive")
        return (
            self.coverage / total,
            self.reciprocity / total,
            self.department / total,
            self.timezone / total,
        )


@dataclass(frozen=True)
class MatchRules:
    """The hard rules of a program: no pair may break them, locked pairs included."""

    #: mentee.level − mentor.level must be at least this.
    min_gap: int = 2
    #: a pair below this fit (0–1) is not allowed.
    min_fit: float = 0.0
    #: (mentor_id, mentee_id) pairs the coordinator forces.
    locks: tuple[tuple[str, str], ...] = ()
    #: (mentor_id, mentee_id) pairs the coordinator forbids.
    blocks: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True)
class SolverOptions:
    """Knobs for large runs; the defaults are what the benchmark measures."""

    #: candidates kept per person on each side of the sparse graph.
    candidates: int = 50
    #: of those, how many per side the solver starts from (the rest join when they would help).
    core: int = 10
    #: up to this many mentee × mentor pairs every eligible pair goes into the graph.
    dense_limit: int = 250_000
    #: people per group when bounding fit for a whole group at once.
    group_size: int = 32
    #: stop improving once the proven gap is at most this share of the total fit (0: exact).
    tolerance: float = 0.0
    #: count blocking pairs of the result over all eligible pairs.
    count_blocking: bool = True
    #: above this many mentee × mentor pairs, candidate lists are ranked by estimated prices
    #: from a solved miniature of the market (see `prices`).
    price_estimate_pairs: int = 4_000_000


@dataclass(frozen=True)
class FitParts:
    """One pair's fit and the pieces that explain it, for reasons and reports."""

    fit: float
    coverage: float
    reciprocity: float
    different_department: bool
    overlap_hours: float
    covered: tuple[tuple[str, int, int], ...]  # (topic, priority, proficiency)
    uncovered: tuple[str, ...]
    reciprocal: tuple[str, ...]


@dataclass(frozen=True)
class Pair:
    """A proposed pairing with its fit (0–1, in millionths) and reasons in plain words."""

    mentor_id: str
    mentee_id: str
    fit: float
    reasons: str
    locked: bool = False


Role = Literal["mentor", "mentee"]


@dataclass(frozen=True)
class Unmatched:
    """Someone left without a partner, and why, in words a coordinator can act on."""

    role: Role
    id: str
    #: `no_eligible`, `lost_to_others`, or `not_needed` (a mentor nobody could use).
    code: str
    reason: str
    best_alternative: str | None = None
    best_alternative_fit: float | None = None


@dataclass(frozen=True)
class OptimalityCertificate:
    """Why the result is optimal: a feasible LP dual over all eligible pairs bounds any matching.

    `upper_bound_fit` bounds the total fit of every matching that matches as many
    mentees as ours; `gap` is the bound minus our total fit (0 means proven optimal).
    """

    upper_bound_fit: float
    gap: float
    relative_gap: float
    cardinality_proven: bool
    pricing_rounds: int
    priced_pairs: int


@dataclass(frozen=True)
class MatchReport:
    """Figures for the coordinator (and `report.json`)."""

    mentees: int
    mentors: int
    capacity: int
    matched: int
    locked: int
    total_fit: float
    mean_fit: float | None
    min_fit: float | None
    blocking_pairs: int | None
    unmatched_mentees: int
    unmatched_mentors: int
    candidate_pairs: int
    stable: bool
    certificate: OptimalityCertificate | None = None
    #: with `stable`: what the stable matching gives up against the optimum.
    optimum_matched: int | None = None
    optimum_total_fit: float | None = None
    fit_given_up: float | None = None
    timings: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class MatchResult:
    """Pairs, the people left over with reasons, and the report."""

    pairs: tuple[Pair, ...]
    unmatched: tuple[Unmatched, ...]
    report: MatchReport


@dataclass(frozen=True)
class InputIssue:
    """One reason the input cannot be matched, pointing at a person and a field when it can.

    The CSV layer turns (role, person_id, column) back into a file line and column.
    """

    message: str
    role: Role | None = None
    person_id: str | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = f"{self.role} {self.person_id}" if self.person_id else ""
        where += f", {self.column}" if self.column and where else ""
        return f"{where}: {self.message}" if where else self.message


class MatchInputError(ValueError):
    """The input cannot be matched as given (e.g. a lock breaks a hard rule); lists every issue."""

    def __init__(self, issues: list[InputIssue]) -> None:
        self.issues = issues
        super().__init__("; ".join(str(issue) for issue in issues))
