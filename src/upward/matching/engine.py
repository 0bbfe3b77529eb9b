"""The matching engine: mentors and mentees in, an optimal explained pairing out.

Pure Python + numpy/scipy/OR-Tools, no Django: dataclasses in, dataclasses out.

    result = match(mentors, mentees, rules=MatchRules(min_gap=2), people=managers)
    for pair in result.pairs: print(pair.mentor_id, pair.mentee_id, pair.fit, pair.reasons)

Objective: the most mentees matched; among those, the highest total fit;
deterministic for the same input (people are processed in id order, ties in
fit are broken by id). Hard rules: never the same reporting chain (either
direction, any depth), mentee level − mentor level ≥ `min_gap`, no blocked
pair, fit ≥ `min_fit`, capacity; locked pairs are forced and must obey the
rules themselves.

How it stays fast at 100,000 people (see `candidates`, `scan`, `certificate`):
each person's k best eligible partners are found exactly by thresholded tile
products; OR-Tools solves the sparse problem; a dual certificate checked
against every eligible pair proves the result optimal (or adds the pairs that
would improve it and solves again). Small instances simply use every pair.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from upward.matching import candidates as candidate_graph
from upward.matching.candidates import Candidates
from upward.matching.certificate import Violations, check, lexicographic_base, upper_bound
from upward.matching.explain import pair_reasons, unmatched_people
from upward.matching.instance import Instance, build_instance
from upward.matching.model import (
    FIT_SCALE,
    FitWeights,
    MatchReport,
    MatchResult,
    MatchRules,
    Mentee,
    Mentor,
    OptimalityCertificate,
    Pair,
    SolverOptions,
    Unmatched,
)
from upward.matching.prices import estimate_prices
from upward.matching.scan import single_threaded_blas
from upward.matching.solver import minimal_prices, solve_optimal
from upward.matching.stability import Blocking, blocking_pairs, stable_matching

IntArray = npt.NDArray[np.int64]
#: `solve(n_mentees, n_mentors, room, mentee, mentor, weight) -> mate`, see `solve_optimal`.
Solver = Callable[[int, int, IntArray, IntArray, IntArray, IntArray], IntArray]
#: `progress(stage, total)` returns a function the engine calls with each step's size.
ProgressFactory = Callable[[str, int], Callable[[int], None]]

#: Stable mode's own lists per person: shorter lists are cheaper to score and rescan, and
#: measured at 50,000 × 50,000 this length was fastest end to end (21.3 s; 22.8 s at 50,
#: 23.3 s at 10). Any length gives the same matching.
STABLE_LIST_LENGTH = 25
#: Stable mode solves the optimum in a child process above this many mentee × mentor pairs.
#: OR-Tools holds the GIL while it solves, which would stall the stable matching running
#: beside it for seconds (measured: one core idle for 3 of 22 s at 50,000 × 50,000); below
#: this size the solves are too short to repay starting a process.
SOLVER_PROCESS_PAIRS = 25_000_000
#: Niceness of the stable matching's threads beside the optimum (see `_yield_to_the_optimum`).
STABLE_NICENESS = 10
#: Pricing rounds (solve, price, add improving pairs) before settling for a bound.
MAX_PRICING_ROUNDS = 8
#: Pairs within this many millionths of improving the matching join the graph with those that
#: do: prices move a little after each solve, and the near misses are the next violations.
NEAR_MARGIN = 20_000


@dataclass
class _Solved:
    """The optimal matching and what the later steps need from its computation."""

    mate: IntArray
    u: IntArray
    base: int
    edge_mentee: IntArray
    edge_mentor: IntArray
    edge_fit: IntArray
    mentee_threshold: IntArray
    mentor_threshold: IntArray
    prices: IntArray
    complete: bool
    certificate: OptimalityCertificate | None


class _Clock:
    """Wall time per stage, for the report and the benchmark (stages may overlap)."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._lock = threading.Lock()

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            with self._lock:
                self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start


def _gap(
    instance: Instance,
    mate: IntArray,
    u: IntArray,
    v: IntArray,
    violations: Violations,
    mentees: IntArray,
    mentors: IntArray,
    room: IntArray,
    base: int,
) -> tuple[int, int]:
    """(bound − achieved, achieved) in millionths of fit, for the residual problem."""
    matched = mate >= 0
    achieved = int(instance.fits(np.flatnonzero(matched), mate[matched]).sum())
    bound = upper_bound(u, v, violations, mentees=mentees, mentors=mentors, room=room)
    return bound - base * int(matched.sum()) - achieved, achieved


def _no_violations() -> Violations:
    empty = np.zeros(0, dtype=np.int64)
    return Violations(empty, empty, empty, empty, 0, 0, 0)


def _noop_progress(_stage: str, _total: int) -> Callable[[int], None]:
    return lambda _n: None


def _solve(
    instance: Instance,
    options: SolverOptions,
    clock: _Clock,
    progress: ProgressFactory,
    *,
    use_prices: bool = True,
    max_rounds: int = MAX_PRICING_ROUNDS,
    on_candidates: Callable[[Candidates], None] | None = None,
    plain_k: int | None = None,
    solver: Solver = solve_optimal,
) -> _Solved:
    """Candidates, optimal solve on them, and the proof over all pairs (column generation).

    `on_candidates` hears of the candidate graph as soon as it is built; with `plain_k` the
    graph also holds each mentee's best by plain fit (for the stable matching).
    """
    n_e, n_m = instance.n_mentees, instance.n_mentors
    locked_mate = np.full(n_e, -1, dtype=np.int64)
    locked_mate[instance.lock_mentee] = instance.lock_mentor
    locked = locked_mate >= 0
    room = instance.capacity - np.bincount(instance.lock_mentor, minlength=n_m)
    dense = n_e * n_m <= options.dense_limit
    prices = None
    if not dense and use_prices:
        with clock.stage("prices"):
            # Prices only steer which pairs become candidates, so the miniature is solved
            # once on its full lists, without the proof.
            miniature = replace(options, core=options.candidates)

            def solve_miniature(sub: Instance) -> tuple[IntArray, IntArray, int]:
                solved = _solve(sub, miniature, _Clock(), _noop_progress, max_rounds=1)
                return solved.mate, solved.u, solved.base

            prices = estimate_prices(
                instance, solve_miniature, min_pairs=options.price_estimate_pairs
            )
    with clock.stage("candidates"):
        if dense:
            cand = candidate_graph.all_eligible(instance, core=options.core)
        else:
            cand = candidate_graph.top_candidates(
                instance,
                options.candidates,
                prices=prices,
                core=options.core,
                plain_k=plain_k,
                progress=progress("scoring pairs", n_e),
            )
    assert cand.prices is not None and cand.core is not None
    if on_candidates is not None:
        on_candidates(cand)
    usable = ~locked[cand.mentee] & (room[cand.mentor] > 0)
    # The solver starts from each side's first few candidates (the core); the rest of the
    # lists are a reserve, checked against the prices of every solution and added where
    # they would improve it. Pairs outside the lists are checked by the certificate.
    graph = usable & cand.core
    reserve = usable & ~cand.core
    e, m, f = cand.mentee[graph], cand.mentor[graph], cand.fit[graph]
    re_, rm, rf = cand.mentee[reserve], cand.mentor[reserve], cand.fit[reserve]
    residual_e = np.flatnonzero(~locked)
    residual_m = np.flatnonzero(room > 0)
    base = lexicographic_base(n_e)
    added = np.zeros(0, dtype=np.int64)
    rounds = 0
    while True:
        rounds += 1
        with clock.stage("solve"):
            mate = solver(n_e, n_m, room, e, m, f)
        with clock.stage("certify"):
            u, v, _ = minimal_prices(n_m, mate, e, m, base + f)
            excess = base + rf - u[re_] - v[rm]
            reserve_clean = not (excess > 0).any()
            join = excess > -NEAR_MARGIN
            # Pairs outside the lists are checked once the lists themselves are nearly
            # covered: before that the prices are still moving and the check is wasted.
            violations = (
                check(
                    instance,
                    mentees=residual_e,
                    mentors=residual_m,
                    u=u,
                    v=v,
                    base=base,
                    mentee_threshold=cand.mentee_threshold,
                    mentor_threshold=cand.mentor_threshold,
                    prices=cand.prices,
                    complete=cand.complete,
                    margin=NEAR_MARGIN,
                )
                if (excess > 0).sum() <= max(100, n_e // 50) or rounds >= max_rounds
                else _no_violations()
            )
        if (reserve_clean and not (violations.excess > 0).any()) or rounds >= max_rounds:
            break
        if options.tolerance > 0 and violations.checked_pairs:
            # Good enough when the proof already bounds the remaining improvement.
            with clock.stage("certify"):
                bad = excess > 0
                pending = replace(
                    violations,
                    mentee=np.concatenate([violations.mentee, re_[bad]]),
                    mentor=np.concatenate([violations.mentor, rm[bad]]),
                    fit=np.concatenate([violations.fit, rf[bad]]),
                    excess=np.concatenate([violations.excess, excess[bad]]),
                )
                gap, total = _gap(instance, mate, u, v, pending, residual_e, residual_m, room, base)
            if gap <= options.tolerance * total:
                violations = pending
                excess = np.zeros_like(excess)  # folded into the violations above
                break
        # Violating pairs, and those close to it, join the graph for the next solve (once).
        e = np.concatenate([e, re_[join]])
        m = np.concatenate([m, rm[join]])
        f = np.concatenate([f, rf[join]])
        re_, rm, rf = re_[~join], rm[~join], rf[~join]
        new = ~cand.contains(violations.mentee, violations.mentor, violations.fit)
        keys = np.unique(violations.mentee[new] * n_m + violations.mentor[new])
        keys = keys[~np.isin(keys, added)]
        added = np.concatenate([added, keys])
        e = np.concatenate([e, keys // n_m])
        m = np.concatenate([m, keys % n_m])
        f = np.concatenate([f, instance.fits(keys // n_m, keys % n_m)])
    if (excess > 0).any():
        # Stopped with reserve pairs uncovered: count them in the bound like any violation.
        bad = excess > 0
        violations = replace(
            violations,
            mentee=np.concatenate([violations.mentee, re_[bad]]),
            mentor=np.concatenate([violations.mentor, rm[bad]]),
            fit=np.concatenate([violations.fit, rf[bad]]),
            excess=np.concatenate([violations.excess, excess[bad]]),
        )
    # Everything the later steps look at: the solved graph plus the unused reserve.
    e = np.concatenate([e, re_])
    m = np.concatenate([m, rm])
    f = np.concatenate([f, rf])
    matched = mate >= 0
    fit_total = int(instance.fits(np.flatnonzero(matched), mate[matched]).sum())
    count = int(matched.sum())
    bound = upper_bound(u, v, violations, mentees=residual_e, mentors=residual_m, room=room)
    gap = bound - base * count - fit_total
    locked_fit = int(instance.fits(instance.lock_mentee, instance.lock_mentor).sum())
    total = fit_total + locked_fit
    certificate = OptimalityCertificate(
        upper_bound_fit=(total + gap) / FIT_SCALE,
        gap=gap / FIT_SCALE,
        relative_gap=gap / total if total else 0.0,
        cardinality_proven=bound < base * (count + 1),
        pricing_rounds=rounds,
        priced_pairs=violations.checked_pairs,
    )
    mate = np.where(locked, locked_mate, mate)
    return _Solved(
        mate=mate,
        u=u,
        base=base,
        edge_mentee=np.concatenate([e, instance.lock_mentee]),
        edge_mentor=np.concatenate([m, instance.lock_mentor]),
        edge_fit=np.concatenate([f, instance.fits(instance.lock_mentee, instance.lock_mentor)]),
        mentee_threshold=cand.mentee_threshold,
        mentor_threshold=cand.mentor_threshold,
        prices=cand.prices,
        complete=cand.complete,
        certificate=certificate,
    )


def _matching_fits(instance: Instance, mate: IntArray) -> IntArray:
    matched = np.flatnonzero(mate >= 0)
    return instance.fits(matched, mate[matched])


def match(
    mentors: Sequence[Mentor],
    mentees: Sequence[Mentee],
    *,
    rules: MatchRules | None = None,
    weights: FitWeights | None = None,
    people: Mapping[str, str | None] | None = None,
    stable: bool = False,
    options: SolverOptions | None = None,
    progress: ProgressFactory | None = None,
    explain: bool = True,
) -> MatchResult:
    """Pair mentees with mentors: most matched, then highest total fit (or stable with `stable`).

    `people` maps every employee id to their manager's id (None at the top) for
    reporting chains across the whole organisation; without it, chains come from
    the two lists' own manager columns. Raises `MatchInputError` on bad input.
    """
    rules = rules or MatchRules()
    weights = weights or FitWeights()
    options = options or SolverOptions()
    progress = progress or _noop_progress
    separate = stable and len(mentors) * len(mentees) > SOLVER_PROCESS_PAIRS
    # The engine runs its own two threads (see `scan.map_both_cores`); a BLAS that also
    # spreads each product over both cores makes its threads spin against ours (measured at
    # 50,000 × 50,000 stable: 44 s of CPU against 33 s), so products stay single-threaded.
    with single_threaded_blas(), ExitStack() as stack:
        # Started first, so the child is ready by the time there is something to solve.
        solver = (
            stack.enter_context(_solver_process())
            if separate and "fork" in multiprocessing.get_all_start_methods()
            else solve_optimal
        )
        return _match_with(
            mentors, mentees, rules=rules, weights=weights, people=people, stable=stable,
            options=options, progress=progress, explain=explain, clock=_Clock(), solver=solver,
        )  # fmt: skip


def _warm_up() -> None:
    """Nothing: the first task makes the child start (and import OR-Tools) early."""


@contextmanager
def _solver_process() -> Iterator[Solver]:
    """`solve_optimal` in a child process, so the GIL stays free for the threads here.

    The child is forked at once, before this run starts any thread of its own and while
    the process is still small; spawning instead would re-import the caller's main
    module, which scripts without a main guard do not survive. The edges travel by
    pickle, which at 4 million edges costs next to nothing beside the solve (1.60 s
    against 1.61 s in process).
    """
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as child:
        child.submit(_warm_up).result()

        def solve(
            n_e: int, n_m: int, room: IntArray, e: IntArray, m: IntArray, f: IntArray
        ) -> IntArray:
            return child.submit(solve_optimal, n_e, n_m, room, e, m, f).result()

        yield solve


def _match_with(
    mentors: Sequence[Mentor],
    mentees: Sequence[Mentee],
    *,
    rules: MatchRules,
    weights: FitWeights,
    people: Mapping[str, str | None] | None,
    stable: bool,
    options: SolverOptions,
    progress: ProgressFactory,
    explain: bool,
    clock: _Clock,
    solver: Solver,
) -> MatchResult:
    with clock.stage("prepare"):
        instance = build_instance(mentors, mentees, rules=rules, weights=weights, people=people)
    n_e = instance.n_mentees
    locked = np.zeros(n_e, dtype=bool)
    locked[instance.lock_mentee] = True
    optimum_matched = optimum_fit = None
    blocking_count: int | None = None
    # Two cores: numpy's products release the GIL (OR-Tools does not: large stable runs
    # solve in a child process), so independent stages run side by side — the stable
    # matching beside the optimum it is compared with, and the reasons beside the count
    # of blocking pairs.
    with ThreadPoolExecutor(max_workers=1) as beside:
        # The stable matching starts once the optimum's lists exist (it borrows the mentors'
        # lists). Progress is reported from this thread only: callers may write it to a
        # database.
        stable_runs: list[Future[_StableRun]] = []

        def start_stable(cand: Candidates) -> None:
            stable_runs.append(
                beside.submit(_stable_explained, instance, options, clock, cand, locked, explain)
            )

        solved = _solve(
            instance,
            options,
            clock,
            progress,
            on_candidates=start_stable if stable else None,
            plain_k=_stable_list_length(options) if stable else None,
            solver=solver,
        )
        stable_run = stable_runs[0] if stable_runs else None
        edges = (solved.edge_mentee, solved.edge_mentor, solved.edge_fit)
        mate = solved.mate
        if stable_run is not None:
            optimum_matched = int((mate >= 0).sum())
            optimum_fit = int(_matching_fits(instance, mate).sum())
            done = stable_run.result()
            mate, edges, blocking_count = done.mate, done.edges, done.blocking.count
            pairs, unmatched = done.reasons
        else:
            reasons = beside.submit(_explain, instance, mate, locked, edges, explain, clock)
            if options.count_blocking:
                with clock.stage("blocking pairs"):
                    blocking = blocking_pairs(
                        instance,
                        mate,
                        locked,
                        edge_mentee=edges[0],
                        edge_mentor=edges[1],
                        edge_fit=edges[2],
                        mentee_threshold=solved.mentee_threshold,
                        mentor_threshold=solved.mentor_threshold,
                        complete=solved.complete,
                        prices=solved.prices,
                    )
                blocking_count = blocking.count
            pairs, unmatched = reasons.result()
    return MatchResult(
        pairs=tuple(pairs),
        unmatched=tuple(unmatched),
        report=_report(
            instance,
            mate,
            pairs,
            unmatched,
            blocking_count=blocking_count,
            candidate_pairs=int(edges[0].size),
            stable=stable,
            certificate=solved.certificate,
            optimum_matched=optimum_matched,
            optimum_fit=optimum_fit,
            timings=clock.timings,
        ),
    )


@dataclass
class _StableRun:
    mate: IntArray
    blocking: Blocking
    edges: tuple[IntArray, IntArray, IntArray]
    reasons: tuple[list[Pair], list[Unmatched]]


def _stable_explained(
    instance: Instance,
    options: SolverOptions,
    clock: _Clock,
    lists: Candidates,
    locked: npt.NDArray[np.bool_],
    explain: bool,
) -> _StableRun:
    """The stable matching and its reasons, from its own graph: the reasons need not wait
    for the optimum it is compared with, which is still being proven on the other core."""
    _yield_to_the_optimum()
    mate, blocking = _stable(instance, options, clock, lists)
    edges = (
        np.concatenate([lists.mentee, instance.lock_mentee]),
        np.concatenate([lists.mentor, instance.lock_mentor]),
        np.concatenate([lists.fit, instance.fits(instance.lock_mentee, instance.lock_mentor)]),
    )
    reasons = _explain(instance, mate, locked, edges, explain, clock)
    return _StableRun(mate, blocking, edges, reasons)


def _yield_to_the_optimum() -> None:
    """Lower this thread's scheduling priority (and that of the threads it starts).

    The run ends when the slower of the two finishes, and that is the optimum: its solves
    and proof form one chain, while the stable matching has slack. Without this the two
    share the cores evenly and the optimum's chain stretches (measured at 50,000 ×
    50,000: its solves took 5.4–6.8 s against 4 s alone). The thread belongs to a pool
    that ends with the run, so its priority is never restored; where the platform does
    not allow it, nothing changes.
    """
    with suppress(AttributeError, OSError):  # a platform without per-thread niceness
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), STABLE_NICENESS)


def _stable(
    instance: Instance, options: SolverOptions, clock: _Clock, lists: Candidates
) -> tuple[IntArray, Blocking]:
    locked_mate = np.full(instance.n_mentees, -1, dtype=np.int64)
    locked_mate[instance.lock_mentee] = instance.lock_mentor
    with clock.stage("stable"):
        return stable_matching(
            instance,
            locked_mate,
            k=_stable_list_length(options),
            dense_limit=options.dense_limit,
            lists=lists,
        )


def _stable_list_length(options: SolverOptions) -> int:
    return min(options.candidates, STABLE_LIST_LENGTH)


def _explain(
    instance: Instance,
    mate: IntArray,
    locked: npt.NDArray[np.bool_],
    edges: tuple[IntArray, IntArray, IntArray],
    explain: bool,
    clock: _Clock,
) -> tuple[list[Pair], list[Unmatched]]:
    with clock.stage("explain"):
        pairs = _pairs(instance, mate, locked, explain=explain)
        unmatched = unmatched_people(instance, mate, *edges) if explain else []
    return pairs, list(unmatched)


def _pairs(
    instance: Instance, mate: IntArray, locked: npt.NDArray[np.bool_], *, explain: bool
) -> list[Pair]:
    matched = np.flatnonzero(mate >= 0)
    fits = instance.fits(matched, mate[matched])
    pairs = []
    for e, m, fit in zip(matched.tolist(), mate[matched].tolist(), fits.tolist(), strict=True):
        mentor, mentee = instance.mentors[m], instance.mentees[e]
        reasons = pair_reasons(mentor, mentee, instance, locked=bool(locked[e])) if explain else ""
        pairs.append(
            Pair(
                mentor_id=mentor.id,
                mentee_id=mentee.id,
                fit=fit / FIT_SCALE,
                reasons=reasons,
                locked=bool(locked[e]),
            )
        )
    pairs.sort(key=lambda p: (p.mentor_id, p.mentee_id))
    return pairs


def _report(
    instance: Instance,
    mate: IntArray,
    pairs: list[Pair],
    unmatched: Sequence[Unmatched],
    *,
    blocking_count: int | None,
    candidate_pairs: int,
    stable: bool,
    certificate: OptimalityCertificate | None,
    optimum_matched: int | None,
    optimum_fit: int | None,
    timings: Mapping[str, float],
) -> MatchReport:
    fits = _matching_fits(instance, mate)
    total = int(fits.sum())
    load = np.bincount(mate[mate >= 0], minlength=instance.n_mentors)
    return MatchReport(
        mentees=instance.n_mentees,
        mentors=instance.n_mentors,
        capacity=int(instance.capacity.sum()),
        matched=int(fits.size),
        locked=int(instance.lock_mentee.size),
        total_fit=total / FIT_SCALE,
        mean_fit=(total / fits.size / FIT_SCALE) if fits.size else None,
        min_fit=(int(fits.min()) / FIT_SCALE) if fits.size else None,
        blocking_pairs=blocking_count,
        unmatched_mentees=int((mate < 0).sum()),
        unmatched_mentors=int(((load == 0) & (instance.capacity > 0)).sum()),
        candidate_pairs=candidate_pairs,
        stable=stable,
        certificate=certificate,
        optimum_matched=optimum_matched,
        optimum_total_fit=None if optimum_fit is None else optimum_fit / FIT_SCALE,
        fit_given_up=None if optimum_fit is None else (optimum_fit - total) / FIT_SCALE,
        timings=dict(timings),
    )
