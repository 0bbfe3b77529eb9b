"""Reasons a coordinator can act on, for every pair and every person left over."""

from __future__ import annotations

from upward.matching.engine import match
from upward.matching.model import MatchRules, Mentee, Mentor


def test_pair_reasons_name_topics_reciprocity_department_and_hours() -> None:
    mentor = Mentor(
        id="M1", level=2, department="Data", timezone="Europe/Paris",
        expertise={"generative-ai": 3, "short-video": 1}, wants_to_learn={"negotiation": 2},
    )  # fmt: skip
    mentee = Mentee(
        id="E1", level=8, department="Sales", timezone="Europe/London",
        interests={"generative-ai": 3, "short-video": 2, "podcasting": 1},
        offers={"negotiation": 3},
    )  # fmt: skip
    (pair,) = match([mentor], [mentee]).pairs
    assert pair.reasons == (
        "covers generative ai (priority 3, proficiency 3) and short video (priority 2, "
        "proficiency 1) — 2 of 3 interests; offers negotiation back, which the mentor wants to "
        "learn; different department; 7 h working-hours overlap"
    )


def test_unmatched_mentee_names_the_binding_rule() -> None:
    mentors = [Mentor(id="M1", level=6), Mentor(id="M2", level=5)]
    mentees = [Mentee(id="E1", level=7)]
    result = match(mentors, mentees, rules=MatchRules(min_gap=3))
    (person,) = [u for u in result.unmatched if u.role == "mentee"]
    assert person.code == "no_eligible"
    assert person.reason == (
        "no eligible mentor: 2 of 2 mentors are not at least 3 levels apart in the right direction"
    )


def test_unmatched_mentee_below_the_fit_threshold_is_told_the_best_it_could_get() -> None:
    mentors = [Mentor(id="M1", level=2, timezone="Asia/Tokyo")]
    mentees = [Mentee(id="E1", level=8, timezone="America/Los_Angeles", interests={"ai": 3})]
    result = match(mentors, mentees, rules=MatchRules(min_fit=0.5))
    (person,) = [u for u in result.unmatched if u.role == "mentee"]
    assert "fall below the minimum fit 0.5 (best: M1 at 0.0" in person.reason


def test_mentee_who_lost_to_others_is_told_who_took_their_best_mentor() -> None:
    mentors = [Mentor(id="M1", level=2, expertise={"ai": 3})]
    mentees = [
        Mentee(id="E1", level=8, interests={"ai": 3}),
        Mentee(id="E2", level=8, interests={"ai": 3, "video": 3}),
    ]
    result = match(mentors, mentees)
    (person,) = [u for u in result.unmatched if u.role == "mentee"]
    assert person.id == "E2" and person.code == "lost_to_others"
    assert person.best_alternative == "M1"
    assert "is paired with E1 (fit " in person.reason


def test_idle_mentor_is_told_why() -> None:
    mentors = [
        Mentor(id="M1", level=2, expertise={"ai": 3}),
        Mentor(id="M2", level=2, expertise={"ai": 1}),
    ]
    mentees = [Mentee(id="E1", level=8, interests={"ai": 3})]
    (idle,) = [u for u in match(mentors, mentees).unmatched if u.role == "mentor"]
    assert idle.id == "M2" and idle.code == "not_needed"
    assert idle.reason.startswith("not needed: their best eligible mentee E1")
    assert "is paired with M1" in idle.reason
