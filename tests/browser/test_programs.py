"""A coordinator creates a program and opens enrolment, a leader applies, the coordinator approves."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import TIMEOUT_MS, sign_in
from tests.factories import PersonFactory, UserFactory
from upward.core.models import Role
from upward.programs.models import Enrollment, EnrollmentStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_runs_enrolment_and_approves_a_leader(
    page: Page, browser: Browser, live_server: LiveServer, taxonomy: None
) -> None:
    coordinator = UserFactory(role=Role.COORDINATOR, email="coordinator@example.org")
    leader_account = UserFactory(role=Role.PARTICIPANT, email="lee@example.org")
    PersonFactory(full_name="Lee Leader", level=9, user=leader_account)

    # The coordinator creates a draft program and opens enrolment.
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
    page.get_by_label("Minimum level gap").fill("3")
    page.get_by_role("button", name="Create program").click()

    expect(page).to_have_url(f"{live_server.url}/programs/digital-leaders-2027/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Digital Leaders 2027")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Draft")
    expect(page.get_by_role("button", name="Start the program")).to_have_count(0)
    page.get_by_role("button", name="Open enrolment").click()
    expect(page.get_by_role("status")).to_contain_text("Digital Leaders 2027 is now Enrolling.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Enrolling")

    # The leader, in a browser of their own, applies as a mentee.
    leader_context = browser.new_context(locale="en-GB")
    leader_context.set_default_timeout(TIMEOUT_MS)
    leader = leader_context.new_page()
    try:
        sign_in(leader, live_server, leader_account)
        leader.get_by_role("navigation", name="Main").get_by_role("link", name="Programs").click()
        leader.get_by_role("link", name="Digital Leaders 2027").click()
        leader.get_by_role("link", name="Apply").click()
        leader.get_by_role("radio", name="Mentee").check()
        # Only the chosen role's questions remain on screen.
        expect(leader.get_by_role("heading", name="As a mentor")).to_be_hidden()
        learn = leader.get_by_role("group", name="What I want to learn", exact=True)
        learn.get_by_label("Generative AI assistants").select_option(label="3 · Top priority")
        leader.get_by_label("What I want to get out of the program").fill(
            "Use AI assistants with my leadership team without losing judgement."
        )
        leader.get_by_role("checkbox", name="Tuesday").check()
        leader.get_by_role("button", name="Send my application").click()

        expect(leader).to_have_url(f"{live_server.url}/programs/digital-leaders-2027/")
        expect(leader.get_by_role("status").first).to_contain_text(
            "you have applied to Digital Leaders 2027 as a mentee"
        )
        expect(leader.locator("#your-place")).to_contain_text("Applied")

        # The coordinator approves; htmx swaps the row in place.
        page.reload()
        row = page.locator("#enrolments tbody tr", has_text="Lee Leader")
        expect(row).to_contain_text("Applied")
        expect(row).to_contain_text("Generative AI assistants")
        expect(row).to_contain_text("0/4")
        page.evaluate("window.notReloaded = true")
        row.get_by_role("button", name="Approve Lee Leader").click()
        expect(row).to_contain_text("Approved")
        expect(row.get_by_role("button", name="Approve Lee Leader")).to_have_count(0)
        assert page.evaluate("window.notReloaded") is True
        enrollment = Enrollment.objects.get()
        assert (enrollment.status, enrollment.decided_by) == (
            EnrollmentStatus.APPROVED,
            coordinator,
        )

        # The leader sees the decision, and the list counts one approved mentee.
        leader.reload()
        expect(leader.locator("#your-place")).to_contain_text("Approved")
        leader.get_by_role("link", name="← Programs").click()
        expect(leader.locator("#programs tbody tr")).to_contain_text(
            re.compile(r"Enrolling.*0\s*1", re.S)
        )
    finally:
        leader_context.close()
