"""A coordinator takes a cohort from a new program to published pairs; a leader accepts their match."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import TIMEOUT_MS, sign_in
from tests.factories import PersonFactory, UserFactory
from upward.core.models import Role, User
from upward.matching.models import MatchRun, PairRule
from upward.mentoring.models import Pair, PairStatus
from upward.people.models import Person
from upward.programs.models import Program
from upward.programs.services import enrollment_apply

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def enrol_cohort(program: Program, coordinator: User) -> Person:
    """Three juniors and three leaders, approved; returns the leader who will accept."""
    people = [
        ("JR1", "Jo Junior", 2, "mentor", {"generative-ai": 3}),
        ("JR2", "Sam Sharp", 2, "mentor", {"hybrid-meetings": 3}),
        ("JR3", "Ria Rowe", 3, "mentor", {"generative-ai": 2, "hybrid-meetings": 2}),
        ("LD1", "Lee Leader", 9, "mentee", {"generative-ai": 3}),
        ("LD2", "Pat Partner", 10, "mentee", {"hybrid-meetings": 3}),
        ("LD3", "Kim Keynote", 9, "mentee", {"generative-ai": 1, "hybrid-meetings": 3}),
    ]
    for employee_id, name, level, role, topics in people:
        person = PersonFactory(
            employee_id=employee_id, full_name=name, level=level,
            user=UserFactory(role=Role.PARTICIPANT, email=f"{employee_id.lower()}@example.org"),
        )  # fmt: skip
        enrollment_apply(
            program=program, person=person, role=role,
            topics={"expertise" if role == "mentor" else "interest": topics},
            introduction="I automate our reporting and like explaining how." if role == "mentor"
            else "",
            goal="Use AI assistants with my team without losing judgement." if role == "mentee"
            else "",
            approve=True, by=coordinator,
        )  # fmt: skip
    return Person.objects.get(employee_id="LD1")


def test_coordinator_matches_and_publishes_and_a_leader_accepts(
    page: Page, browser: Browser, live_server: LiveServer, taxonomy: None
) -> None:
    coordinator = UserFactory(role=Role.COORDINATOR, email="coordinator@example.org")

    # Create the program (no training gate, to keep the walk short) and open enrolment.
    sign_in(page, live_server, coordinator)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Programs").click()
    page.get_by_role("link", name="New program").click()
    page.get_by_label("Name", exact=True).fill("Digital Leaders 2027")
    page.get_by_label("Purpose", exact=True).fill(
        "Leaders learn today's tools from younger colleagues."
    )
    page.get_by_label("Starts on").fill("2027-02-01")
    page.get_by_label("Ends on").fill("2027-07-31")
    topics = page.get_by_role("group", name="Offered topics")
    topics.get_by_label("Generative AI assistants").check()
    topics.get_by_label("Hybrid meetings").check()
    page.get_by_label("Training must be finished before matching").uncheck()
    page.get_by_role("button", name="Create program").click()
    expect(page).to_have_url(f"{live_server.url}/programs/digital-leaders-2027/")
    page.get_by_role("button", name="Open enrolment").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Enrolling")

    # The cohort enrols (set up directly: the enrolment pages have their own browser test).
    leader = enrol_cohort(Program.objects.get(slug="digital-leaders-2027"), coordinator)

    page.reload()
    page.get_by_role("button", name="Close enrolment and start matching").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Matching")

    # Run matching and review the proposals.
    page.get_by_role("link", name="Matching", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/programs/digital-leaders-2027/matching/")
    expect(page.get_by_text("3 approved mentors, 3 approved mentees")).to_be_visible()
    page.get_by_role("button", name="Run matching").click()
    expect(page).to_have_url(f"{live_server.url}/programs/digital-leaders-2027/matching/runs/1/")
    expect(page.get_by_role("status")).to_contain_text("Run 1 finished: 3 pairs proposed.")
    proposals = page.locator("#proposal-table tbody tr")
    expect(proposals).to_have_count(3)
    lee_row = proposals.filter(has_text="Lee Leader")
    expect(lee_row.locator(".reasons")).to_contain_text("covers generative ai")
    expect(page.locator("#summary")).to_contain_text("3 of 3 mentees")

    # Lock Lee's pair from its row: htmx swaps the row in place, the page stays.
    page.evaluate("window.notReloaded = true")
    lee_row.get_by_role("button", name=re.compile(r"^Lock ")).click()
    expect(lee_row).to_contain_text("locked together")
    assert page.evaluate("window.notReloaded") is True
    assert PairRule.objects.get().mentee.person == leader

    # Publish, after the confirmation page.
    page.get_by_role("link", name="Publish…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish run 1?")
    page.get_by_role("button", name="Publish 3 pairs").click()
    expect(page).to_have_url(f"{live_server.url}/programs/digital-leaders-2027/matching/")
    expect(page.get_by_role("status")).to_contain_text("Published run 1: 3 pairs.")
    expect(page.locator("#pair-list tbody tr")).to_have_count(3)
    expect(page.locator("#runs")).to_contain_text("Published")
    assert MatchRun.objects.get().published_at is not None

    # The leader signs in, finds the match under My pairs, reads why, and accepts.
    pair = Pair.objects.select_related("mentor__person").get(mentee__person=leader)
    mentor_name = pair.mentor.person.full_name
    leader_context = browser.new_context(locale="en-GB")
    leader_context.set_default_timeout(TIMEOUT_MS)
    leader_page = leader_context.new_page()
    try:
        assert leader.user is not None
        sign_in(leader_page, live_server, leader.user)
        nav = leader_page.get_by_role("navigation", name="Main")
        nav.get_by_role("link", name="My pairs").click()
        row = leader_page.locator("#my-pairs tbody tr")
        expect(row).to_contain_text("Your answer is needed")
        row.get_by_role("link", name=mentor_name).click()
        expect(leader_page.get_by_role("heading", name=mentor_name)).to_be_visible()
        expect(leader_page.locator("#reasons")).to_have_text(pair.reasons)
        expect(leader_page.get_by_text("I automate our reporting")).to_be_visible()
        leader_page.get_by_role("button", name="Accept").click()
        expect(leader_page.get_by_role("status")).to_contain_text("Thank you for accepting.")
        expect(leader_page.get_by_text("✓ You have accepted")).to_be_visible()
        expect(leader_page.get_by_role("button", name="Accept")).to_have_count(0)
    finally:
        leader_context.close()
    pair.refresh_from_db()
    assert pair.mentee_accepted_at is not None and pair.status == PairStatus.PROPOSED
