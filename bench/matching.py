"""Benchmark: the matching engine on seeded synthetic organisations, against baselines.

    .venv/bin/python bench/matching.py [--sizes 1000x1000 10000x10000 50000x50000 66666x33333:2]
                                       [--stable-sizes 50000x50000] [--seed 1]

A size is MENTEESxMENTORS[:CAPACITY]. Each run happens in a fresh child process,
so the peak memory printed (ru_maxrss) is that run's own: the generated input,
the engine, and nothing else. Per size it prints the engine's wall time end to
end (scoring, candidates, solve, proof of optimality, blocking pairs, reasons),
peak memory, matched count, total fit and the proven optimality gap, then the
baselines run in the same child:

- scipy `linear_sum_assignment` on the dense matrix (the exact optimum) where it
  fits in memory: its matched count and total fit must equal ours;
- greedy best-first (best remaining pair first) over each side's 50 best
  partners, with the fit it gives up against the optimum;
- the `matching` package's hospital–resident (stable) solver where it finishes,
  timed against the engine's own `--stable` run on the same instance.

Figures are printed, never asserted: this is not a timed test.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

# This file is called matching.py: keep its folder off the path so `import matching` finds the
# stable-marriage package, not this script.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent.resolve()]

DENSE_LIMIT = 120_000_000  # entries of the scipy matrix (float64): about 1 GB
PACKAGE_LIMIT = 1_000  # people per side for the `matching` package
TOLERANCE = 1e-5  # the target: proven within 0.001 %; ends column generation above the scipy sizes


def _size(text: str) -> tuple[int, int, int]:
    dims, _, cap = text.partition(":")
    mentees, _, mentors = dims.partition("x")
    return int(mentees), int(mentors), int(cap or 1)


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child_rss_mib() -> float:
    """Peak memory of the largest finished child: large stable runs solve in a child process."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def child(size: str, seed: int, stable: bool, baselines: bool) -> dict[str, Any]:
    """One run, inside a subprocess."""
    import numpy as np

    from upward.matching.engine import match
    from upward.matching.instance import build_instance
    from upward.matching.model import FIT_SCALE, FitWeights, MatchRules, SolverOptions
    from upward.matching.synthetic import generate_organisation

    n_e, n_m, cap = _size(size)
    org = generate_organisation(n_e, n_m, seed=seed, capacity=cap)
    # Exact where scipy can check us; above that, stop once the gap is proven below 1e-5,
    # the target (0.001 %).
    exact = n_e * n_m * cap <= DENSE_LIMIT
    options = SolverOptions(tolerance=0.0 if exact else TOLERANCE)
    out: dict[str, Any] = {
        "size": size,
        "stable": stable,
        "rss_input_mib": _rss_mib(),
        "tolerance": options.tolerance,
    }
    start = time.perf_counter()
    result = match(org.mentors, org.mentees, people=org.managers, stable=stable, options=options)
    out["seconds"] = time.perf_counter() - start
    out["rss_peak_mib"] = _rss_mib()
    out["rss_solver_child_mib"] = _child_rss_mib()
    report = result.report
    out.update(
        matched=report.matched,
        total_fit=report.total_fit,
        blocking_pairs=report.blocking_pairs,
        candidate_pairs=report.candidate_pairs,
        timings=dict(report.timings),
        fit_given_up=report.fit_given_up,
        optimum_total_fit=report.optimum_total_fit,
        optimum_matched=report.optimum_matched,
    )
    if report.certificate is not None:
        c = report.certificate
        out.update(
            upper_bound=c.upper_bound_fit,
            gap=c.gap,
            relative_gap=c.relative_gap,
            cardinality_proven=c.cardinality_proven,
            pricing_rounds=c.pricing_rounds,
        )
    if not baselines:
        return out

    rules, weights = MatchRules(), FitWeights()
    instance = build_instance(
        org.mentors, org.mentees, rules=rules, weights=weights, people=org.managers
    )
    from upward.matching.candidates import eligible_block

    slots = int(instance.capacity.sum())
    if instance.n_mentees * slots <= DENSE_LIMIT:
        from scipy.optimize import linear_sum_assignment

        t0 = time.perf_counter()
        rows = np.arange(instance.n_mentees)
        cols = np.repeat(np.arange(instance.n_mentors), instance.capacity)
        fits = instance.block_fits(rows, np.arange(instance.n_mentors)).astype(np.float64)
        ok = eligible_block(instance, rows, np.arange(instance.n_mentors))
        ok &= fits >= instance.min_fit
        base = float(FIT_SCALE * (instance.n_mentees + 1))
        weight = np.where(ok, base + fits, 0.0)[:, cols]
        del fits, ok
        out["scipy_scoring_seconds"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        r, c = linear_sum_assignment(weight, maximize=True)
        out["scipy_seconds"] = time.perf_counter() - t0
        chosen = weight[r, c]
        used = chosen > 0
        out["scipy_matched"] = int(used.sum())
        out["scipy_total_fit"] = round(float((chosen[used] - base).sum())) / FIT_SCALE
        out["rss_after_scipy_mib"] = _rss_mib()
        del weight

    # Greedy best-first: the best remaining pair first, over each side's 50 best (by fit).
    from upward.matching.candidates import top_candidates
    from upward.matching.solver import greedy_stable

    t0 = time.perf_counter()
    lists = top_candidates(instance, 50)
    mate = greedy_stable(
        instance.n_mentees, instance.capacity, lists.mentee, lists.mentor, lists.fit, FIT_SCALE
    )
    out["greedy_seconds"] = time.perf_counter() - t0
    chosen = np.flatnonzero(mate >= 0)
    out["greedy_matched"] = int(chosen.size)
    out["greedy_total_fit"] = int(instance.fits(chosen, mate[chosen]).sum()) / FIT_SCALE

    if max(n_e, n_m) <= PACKAGE_LIMIT:
        # Same question as the package answers (a stable matching), asked of our engine.
        t0 = time.perf_counter()
        ours = match(org.mentors, org.mentees, people=org.managers, stable=True, explain=False)
        out["stable_seconds"] = time.perf_counter() - t0
        out["stable_total_fit"] = ours.report.total_fit
        out.update(_package(instance))
    return out


def _package(instance: Any) -> dict[str, Any]:
    """The `matching` package's hospital–resident solver on the same preferences."""
    import numpy as np
    from matching.games import HospitalResident

    from upward.matching.candidates import eligible_block

    rows = np.arange(instance.n_mentees)
    cols = np.arange(instance.n_mentors)
    fits = instance.block_fits(rows, cols).astype(np.int64)
    ok = eligible_block(instance, rows, cols) & (fits >= instance.min_fit)
    mentee_ids = [e.id for e in instance.mentees]
    mentor_ids = [m.id for m in instance.mentors]
    mentee_prefs = {
        mentee_ids[i]: [mentor_ids[j] for j in np.lexsort((cols, -fits[i])) if ok[i, j]]
        for i in rows.tolist()
    }
    mentor_prefs = {
        mentor_ids[j]: [mentee_ids[i] for i in np.lexsort((rows, -fits[:, j])) if ok[i, j]]
        for j in cols.tolist()
    }
    mentee_prefs = {k: v for k, v in mentee_prefs.items() if v}
    capacities = {mentor_ids[j]: int(instance.capacity[j]) for j in cols.tolist()}
    out: dict[str, Any] = {}
    # The package recurses once per proposal; give it a deep stack so it can finish at all.
    import threading

    box: dict[str, Any] = {}

    def solve() -> None:
        t0 = time.perf_counter()
        try:
            game = HospitalResident.create_from_dictionaries(mentee_prefs, mentor_prefs, capacities)
            box["solution"] = game.solve(optimal="resident")
        except RecursionError:
            box["error"] = "RecursionError"
        box["seconds"] = time.perf_counter() - t0

    sys.setrecursionlimit(1_000_000)
    threading.stack_size(1 << 30)
    worker = threading.Thread(target=solve)
    worker.start()
    worker.join()
    if "error" in box:
        out["package_error"] = box["error"]
        return out
    solution = box["solution"]
    out["package_seconds"] = box["seconds"]
    index_e = {pid: i for i, pid in enumerate(mentee_ids)}
    index_m = {pid: j for j, pid in enumerate(mentor_ids)}
    total = 0
    matched = 0
    for hospital, residents in solution.items():
        for resident in residents:
            total += int(fits[index_e[resident.name], index_m[hospital.name]])
            matched += 1
    out["package_matched"] = matched
    out["package_total_fit"] = total / 1_000_000
    return out


def run_child(size: str, seed: int, stable: bool, baselines: bool) -> dict[str, Any]:
    args = [sys.executable, __file__, "--child", size, "--seed", str(seed)]
    if stable:
        args.append("--stable")
    if baselines:
        args.append("--baselines")
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"size": size, "error": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _fmt(value: Any, spec: str = "") -> str:
    if value is None:
        return "—"
    return format(value, spec)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        nargs="*",
        default=["200x200", "1000x1000", "10000x10000", "50000x50000", "66666x33333:2"],
    )
    parser.add_argument("--stable-sizes", nargs="*", default=["10000x10000", "50000x50000"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-baselines", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--stable", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--baselines", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.seed, args.stable, args.baselines)))
        return

    print("optimal matching (engine end to end: scoring, candidates, solve, proof, report):")
    header = (
        f"{'size':>16} {'wall s':>8} {'peak MiB':>9} {'matched':>8} {'total fit':>14} "
        f"{'proven gap':>11} {'rounds':>6} | {'scipy s':>8} {'same?':>5} {'speed-up':>8} | "
        f"{'greedy fit':>14} {'gives up':>8} | {'package s':>9} {'vs stable':>9}"
    )
    print(header)
    print("-" * len(header))
    for size in args.sizes:
        row = run_child(size, args.seed, stable=False, baselines=not args.no_baselines)
        if "error" in row:
            print(f"{size:>16} failed: {row['error']}")
            continue
        same = None
        speedup = None
        if "scipy_seconds" in row:
            same = (
                row["scipy_matched"] == row["matched"]
                and abs(row["scipy_total_fit"] - row["total_fit"]) < 5e-7
            )
            speedup = row["scipy_seconds"] / row["seconds"]
        gives_up = None
        if "greedy_total_fit" in row and row["total_fit"]:
            gives_up = 1 - row["greedy_total_fit"] / row["total_fit"]
        package_ratio = None
        if "package_seconds" in row:
            package_ratio = row["package_seconds"] / row["stable_seconds"]
        gap = row.get("relative_gap")
        print(
            f"{size:>16} {row['seconds']:>8.2f} {row['rss_peak_mib']:>9.0f} {row['matched']:>8,} "
            f"{row['total_fit']:>14.6f} {_fmt(gap, '.2e'):>11} "
            f"{_fmt(row.get('pricing_rounds')):>6} | "
            f"{_fmt(row.get('scipy_seconds'), '.2f'):>8} {_fmt(same):>5} "
            f"{_fmt(speedup, '.1f'):>7}x | {_fmt(row.get('greedy_total_fit'), '.6f'):>14} "
            f"{_fmt(gives_up, '.2%'):>8} | {_fmt(row.get('package_seconds'), '.2f'):>9} "
            f"{_fmt(package_ratio, '.1f'):>8}x"
        )
        print(
            f"{'':>16} stages: "
            + ", ".join(f"{k} {v:.2f}" for k, v in row["timings"].items())
            + f"; input {row['rss_input_mib']:.0f} MiB; candidates {row['candidate_pairs']:,}"
            + f"; upper bound {row.get('upper_bound')}; blocking pairs {row['blocking_pairs']:,}"
        )
        if "package_error" in row:
            print(f"{'':>16} matching package: {row['package_error']}")
        if "scipy_seconds" in row:
            print(
                f"{'':>16} scipy: matched {row['scipy_matched']:,}, total fit "
                f"{row['scipy_total_fit']:.6f}, "
                f"dense scoring {row['scipy_scoring_seconds']:.2f} s, "
                f"peak {row['rss_after_scipy_mib']:.0f} MiB"
            )
    if args.stable_sizes:
        print()
        print("stable matching (--stable: greedy over all eligible pairs, verified):")
        print(f"{'size':>16} {'wall s':>8} {'peak MiB':>9} {'matched':>8} {'total fit':>14} "
              f"{'blocking':>8} {'gives up vs optimum':>20}")  # fmt: skip
        for size in args.stable_sizes:
            row = run_child(size, args.seed, stable=True, baselines=False)
            if "error" in row:
                print(f"{size:>16} failed: {row['error']}")
                continue
            print(
                f"{size:>16} {row['seconds']:>8.2f} {row['rss_peak_mib']:>9.0f} "
                f"{row['matched']:>8,} {row['total_fit']:>14.6f} {row['blocking_pairs']:>8,} "
                f"{row['fit_given_up']:>12.6f} fit"
            )
            solver_mib = row.get("rss_solver_child_mib") or 0
            print(
                f"{'':>16} stages: "
                + ", ".join(f"{k} {v:.2f}" for k, v in row["timings"].items())
                + (f"; solver child process peak {solver_mib:.0f} MiB" if solver_mib else "")
            )


if __name__ == "__main__":
    main()
