"""Reads of match runs: proposals for review and the difference between two runs."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from upward.matching.models import MatchRun, Proposal


def run_proposals(*, run: MatchRun) -> QuerySet[Proposal]:
    """Proposals with both people, best fit first, in one query."""
    return run.proposals.select_related(
        "mentor__person", "mentee__person", "mentor__person__department",
        "mentee__person__department",
    ).order_by("-fit", "pk")  # fmt: skip


@dataclass(frozen=True)
class RunComparison:
    """What changed from run `a` to run `b`, and what it did to fit."""

    kept: list[tuple[str, str]]
    added: list[tuple[str, str]]
    removed: list[tuple[str, str]]
    total_fit: tuple[float, float]
    min_fit: tuple[float | None, float | None]
    matched: tuple[int, int]


def _pairs(run: MatchRun) -> dict[tuple[str, str], float]:
    return {
        (mentor, mentee): fit
        for mentor, mentee, fit in run.proposals.values_list(
            "mentor__person__employee_id", "mentee__person__employee_id", "fit"
        )
    }


def match_runs_compare(*, a: MatchRun, b: MatchRun) -> RunComparison:
    """Pairs kept, added and removed between two runs of one program."""
    before, after = _pairs(a), _pairs(b)
    return RunComparison(
        kept=sorted(before.keys() & after.keys()),
        added=sorted(after.keys() - before.keys()),
        removed=sorted(before.keys() - after.keys()),
        total_fit=(round(sum(before.values()), 6), round(sum(after.values()), 6)),
        min_fit=(min(before.values(), default=None), min(after.values(), default=None)),
        matched=(len(before), len(after)),
    )
