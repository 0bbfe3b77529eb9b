"""Reasons in words a coordinator can act on: why this pair, why nobody for that person.

A pairing tool that says "fit 0.73" invites distrust; one that says "covers
generative AI (priority 3) and short video; offers negotiation back; different
department; 6 h working-hours overlap" invites a conversation. Every pair gets
its parts of fit spelled out, and every unmatched person gets the rule that
excluded them or the name of the partner they lost.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from upward.matching.candidates import eligible_block
from upward.matching.instance import Instance
from upward.matching.model import FIT_SCALE, FitParts, Mentee, Mentor, Unmatched
from upward.matching.scoring import fit_parts

IntArray = npt.NDArray[np.int64]


def topic_label(slug: str) -> str:
    """`generative-ai` → `generative ai`: slugs read better without their hyphens."""
    return slug.replace("-", " ").replace("_", " ")


def _join(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _hours(value: float) -> str:
    rounded = round(value * 2) / 2
    text = f"{rounded:g}"
    return f"{text} h"


def describe_fit(parts: FitParts, mentee: Mentee) -> str:
    """One pair's reasons, most important first."""
    pieces = []
    if parts.covered:
        named = [f"{topic_label(t)} (priority {p}, proficiency {q})" for t, p, q in parts.covered]
        total = len(mentee.interests)
        pieces.append(f"covers {_join(named)} — {len(parts.covered)} of {total} interests")
    elif mentee.interests:
        pieces.append("covers none of the mentee's interests")
    if parts.reciprocal:
        pieces.append(
            f"offers {_join([topic_label(t) for t in parts.reciprocal])} back, "
            "which the mentor wants to learn"
        )
    if parts.different_department:
        pieces.append("different department")
    if parts.overlap_hours > 0:
        pieces.append(f"{_hours(parts.overlap_hours)} working-hours overlap")
    else:
        pieces.append("no shared working hours")
    return "; ".join(pieces)


def pair_reasons(mentor: Mentor, mentee: Mentee, instance: Instance, *, locked: bool) -> str:
    """Reasons for one proposed pair."""
    text = describe_fit(fit_parts(mentor, mentee, instance.units), mentee)
    return f"locked by the coordinator; {text}" if locked else text


def _fit(units: int) -> str:
    return f"{units / FIT_SCALE:.3f}"


def _exclusion_counts(
    instance: Instance, rows: IntArray | None, cols: IntArray | None
) -> tuple[Counter[str], tuple[int, int] | None]:
    """For one person against the whole other side: how many are excluded by which rule.

    Rules are counted in order (gap, then chain, then block, then fit), each
    among those the earlier rules left, so the counts add up and name the
    binding constraint. Also returns the best fit among pairs failing only the
    fit threshold, as (other index, fit).
    """
    if rows is None:
        assert cols is not None
        rows = np.arange(instance.n_mentees, dtype=np.int64)
        single_col = True
    else:
        cols = np.arange(instance.n_mentors, dtype=np.int64)
        single_col = False
    r = np.repeat(rows, cols.size) if not single_col else rows
    c = np.tile(cols, rows.size) if not single_col else np.repeat(cols, rows.size)
    counts: Counter[str] = Counter()
    gap = instance.gap_ok(r, c)
    counts["gap"] = int((~gap).sum())
    chain = instance.same_chain(r, c) & gap
    counts["chain"] = int(chain.sum())
    left = gap & ~chain
    blocked = instance.is_blocked(r, c) & left
    counts["block"] = int(blocked.sum())
    left &= ~blocked
    fits = instance.fits(r[left], c[left])
    low = fits < instance.min_fit
    counts["fit"] = int(low.sum())
    best = None
    if low.any():
        pos = int(np.argmax(np.where(low, fits, -1)))
        other = c[left][pos] if not single_col else r[left][pos]
        best = (int(other), int(fits[pos]))
    return counts, best


def _no_eligible_reason(
    counts: Counter[str], total: int, other: str, instance: Instance, best: str | None
) -> str:
    parts = []
    if counts["gap"]:
        parts.append(
            f"{counts['gap']} of {total} {other}s are not at least {instance.min_gap} "
            f"level{'s' if instance.min_gap != 1 else ''} apart in the right direction"
        )
    if counts["chain"]:
        parts.append(f"{counts['chain']} are in the same reporting chain")
    if counts["block"]:
        parts.append(f"{counts['block']} are blocked by the coordinator")
    if counts["fit"]:
        threshold = instance.min_fit / FIT_SCALE
        text = f"{counts['fit']} fall below the minimum fit {threshold:g}"
        if best:
            text += f" (best: {best})"
        parts.append(text)
    if not parts:
        parts.append(f"there are no {other}s with room in this program")
    return f"no eligible {other}: " + "; ".join(parts)


def _first_edge(
    owner: IntArray, other: IntArray, fit: IntArray, subset: npt.NDArray[np.bool_], n: int
) -> IntArray:
    """Per owner in `subset`: the index of its best edge (fit desc, other asc), or −1."""
    first = np.full(n, -1, dtype=np.int64)
    idx = np.flatnonzero(subset)
    if idx.size == 0:
        return first
    order = idx[np.lexsort((other[idx], -fit[idx], owner[idx]))]
    owners = owner[order]
    starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
    first[owners[starts]] = order[starts]
    return first


def unmatched_people(
    instance: Instance,
    mate: IntArray,
    edge_mentee: IntArray,
    edge_mentor: IntArray,
    edge_fit: IntArray,
) -> list[Unmatched]:
    """Everyone left without a partner, with the reason.

    `edge_*` must contain, for every person, at least their best eligible
    partner (the candidate graph does: both sides' top lists are in it).
    """
    n_e, n_m = instance.n_mentees, instance.n_mentors
    fit_of = np.full(n_e, -1, dtype=np.int64)
    matched = mate >= 0
    fit_of[matched] = instance.fits(np.flatnonzero(matched), mate[matched])
    holders: dict[int, list[int]] = {}
    for e in np.flatnonzero(matched).tolist():
        holders.setdefault(int(mate[e]), []).append(e)
    load = np.bincount(mate[matched], minlength=n_m)
    # Best eligible partner of each unmatched person: highest fit, ties by index. Only the
    # edges of unmatched people are sorted (there are few of them).
    first_e = _first_edge(edge_mentee, edge_mentor, edge_fit, ~matched[edge_mentee], n_e)
    idle = (load == 0)[edge_mentor]
    first_m = _first_edge(edge_mentor, edge_mentee, edge_fit, idle, n_m)

    out: list[Unmatched] = []
    for e in np.flatnonzero(~matched).tolist():
        mentee = instance.mentees[e]
        edge = int(first_e[e])
        if edge < 0:
            counts, best = _exclusion_counts(instance, np.array([e]), None)
            best_text = f"{instance.mentors[best[0]].id} at {_fit(best[1])}" if best else None
            out.append(
                Unmatched(
                    role="mentee",
                    id=mentee.id,
                    code="no_eligible",
                    reason=_no_eligible_reason(counts, n_m, "mentor", instance, best_text),
                )
            )
            continue
        m = int(edge_mentor[edge])
        fit = int(edge_fit[edge])
        taken = holders.get(m, [])
        who = _join([f"{instance.mentees[h].id} (fit {_fit(int(fit_of[h]))})" for h in taken])
        reason = (
            f"lost to others: their best eligible mentor {instance.mentors[m].id} "
            f"(fit {_fit(fit)}) is paired with {who}"
            if taken
            else f"lost to others: their best eligible mentor {instance.mentors[m].id} "
            f"(fit {_fit(fit)}) has no room"
        )
        out.append(
            Unmatched(
                role="mentee",
                id=mentee.id,
                code="lost_to_others",
                reason=reason + ", and every other eligible mentor is taken too",
                best_alternative=instance.mentors[m].id,
                best_alternative_fit=fit / FIT_SCALE,
            )
        )
    for m in np.flatnonzero((load == 0) & (instance.capacity > 0)).tolist():
        mentor = instance.mentors[m]
        edge = int(first_m[m])
        if edge < 0:
            counts, best = _exclusion_counts(instance, None, np.array([m]))
            best_text = f"{instance.mentees[best[0]].id} at {_fit(best[1])}" if best else None
            out.append(
                Unmatched(
                    role="mentor",
                    id=mentor.id,
                    code="no_eligible",
                    reason=_no_eligible_reason(counts, n_e, "mentee", instance, best_text),
                )
            )
            continue
        e = int(edge_mentee[edge])
        fit = int(edge_fit[edge])
        partner = int(mate[e])
        if partner >= 0:
            reason = (
                f"not needed: their best eligible mentee {instance.mentees[e].id} "
                f"(fit {_fit(fit)}) is paired with {instance.mentors[partner].id} "
                f"(fit {_fit(int(fit_of[e]))})"
            )
        else:
            reason = (
                f"not needed: their best eligible mentee {instance.mentees[e].id} "
                f"(fit {_fit(fit)}) is unmatched"
            )
        out.append(
            Unmatched(
                role="mentor",
                id=mentor.id,
                code="not_needed",
                reason=reason,
                best_alternative=instance.mentees[e].id,
                best_alternative_fit=fit / FIT_SCALE,
            )
        )
    return out


__all__ = ["eligible_block", "pair_reasons", "unmatched_people", "describe_fit"]
