"""The dashboard in a real browser: the coordinator reads the charts and the pairs that need
attention; the sponsor reads the same figures with no participant named anywhere.

Assertions hold on what the page promises (chart titles, section ids, the figures), not on
its layout, which grows as the dashboard does.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import ARTIFACTS, sign_in
from tests.factories import UserFactory
from tests.feedback.conftest import make_pairs
from upward.core.models import Role, User
from upward.feedback import services
from upward.mentoring import sessions
from upward.mentoring.models import Pair
from upward.programs.models import Program, ProgramStatus
from upward.programs.services import program_create, program_transition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FUNNEL = "Enrolment and matching"
WEEKS = "Sessions held per week"
CHECKINS = "Check-ins (1–5)"


@dataclass(frozen=True)
class Cohort:
    program: Program
    coordinator: User
    healthy: list[Pair]
    quiet: Pair


def cohort() -> Cohort:
    """Five pairs meeting and checking in (ten people: two published batches of five), a
    sixth, active for two months, that has never met; everyone answered both surveys: each
    side shows its change on five people (a batch of k of that role; the sixth waits)."""
    coordinator = UserFactory(role=Role.COORDINATOR)
    program = program_create(
        by=coordinator, name="Dashboard Cohort", purpose="Learn both ways",
        starts_on=dt.date(2026, 9, 1), ends_on=dt.date(2027, 6, 1),
        topic_slugs=["generative-ai", "hybrid-meetings"], training_required=False,
    )  # fmt: skip
    program_transition(program=program, to=ProgramStatus.ENROLLING)
    *healthy, quiet = make_pairs(program, coordinator, 6)
    answer_surveys(program, "pre", 2)
    program_transition(program=program, to=ProgramStatus.MATCHING)
    program_transition(program=program, to=ProgramStatus.RUNNING)
    answer_surveys(program, "post", 3)
    today = dt.datetime.now(dt.UTC).date()
    for pair in healthy:
        mentor = pair.mentor.person.user
        for days_ago in (21, 7):
            session = sessions.session_schedule(
                pair=pair, by=mentor, day=today - dt.timedelta(days=days_ago), time=dt.time(10)
            )
            session = sessions.session_log(session=session, by=mentor, status="held")
        for member in (mentor, pair.mentee.person.user):
            services.checkin_submit(session=session, by=member, usefulness=4, openness=4,
                                    balance=5, comment="something only I may read")  # fmt: skip
    two_months_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=60)
    Pair.objects.filter(pk=quiet.pk).update(activated_at=two_months_ago)
    return Cohort(program=program, coordinator=coordinator, healthy=healthy, quiet=quiet)


def answer_surveys(program: Program, phase: str, value: int) -> None:
    for enrollment in program.enrollments.select_related("person__user"):
        answers = {item: value for item, _ in services.survey_items(enrollment)}
        services.survey_submit(
            enrollment=enrollment, by=enrollment.person.user, phase=phase, answers=answers
        )


def names(pair: Pair) -> tuple[str, str]:
    return pair.mentor.person.full_name, pair.mentee.person.full_name


def assert_figures_shown(page: Page) -> list[str]:
    """Funnel, sessions per week and check-ins are drawn, and the survey's change is shown;
    returns the check-in figures."""
    for title in (FUNNEL, WEEKS, CHECKINS):
        svg = page.locator(f'svg[role="img"][aria-label="{title}"]')
        expect(svg).to_have_count(1)
        expect(svg).to_be_visible()
        box = svg.bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 20, title
        assert svg.locator("rect.chart-bar").count() >= 1, title
    # Six active pairs at the end of the funnel.
    funnel = page.locator(f'svg[aria-label="{FUNNEL}"]')
    expect(funnel.locator("rect.chart-bar title", has_text="Active pairs: 6")).to_have_count(1)
    # Ten sessions held over the last three weeks, in two weekly columns.
    weeks = page.locator(f'svg[aria-label="{WEEKS}"] rect.chart-bar title').all_text_contents()
    held = [int(m.group(1)) for t in weeks if (m := re.search(r"(\d+) held", t))]
    assert sum(held) == 10 and held.count(5) == 2
    figures = page.locator(f'svg[aria-label="{CHECKINS}"] .chart-value').all_text_contents()
    assert "4.00 (n = 10)" in figures and "5.00 (n = 10)" in figures
    # Every statement moved from 2 to 3 for the same five published people on each side.
    expect(page.locator("#survey")).to_contain_text("1.00 (n = 5")
    return figures


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_the_coordinator_sees_charts_and_the_quiet_pair(
    page: Page, live_server: LiveServer, taxonomy: None
) -> None:
    data = cohort()
    sign_in(page, live_server, data.coordinator)
    page.goto(f"{live_server.url}/programs/{data.program.slug}/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("dashboard")
    assert_figures_shown(page)

    attention = page.locator("#attention")
    expect(attention.get_by_role("heading", name="Pairs needing attention")).to_be_visible()
    expect(page.locator("#attention-count")).to_contain_text("1 of 6 active pairs")
    mentor, mentee = names(data.quiet)
    listed = attention.get_by_role("listitem").filter(has_text=mentor)
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text(mentee)
    expect(listed).to_contain_text(re.compile(r"No session held for 60 days"))
    for pair in data.healthy:
        expect(attention).not_to_contain_text(names(pair)[0])
    expect(page.locator("body")).not_to_contain_text("something only I may read")
    screenshot(page, "dashboard-coordinator")


def test_the_sponsor_sees_the_same_figures_and_no_names(
    page: Page, live_server: LiveServer, taxonomy: None
) -> None:
    data = cohort()
    sign_in(page, live_server, data.coordinator)
    page.goto(f"{live_server.url}/programs/{data.program.slug}/dashboard/")
    coordinator_figures = assert_figures_shown(page)
    page.context.clear_cookies()

    sponsor = UserFactory(role=Role.SPONSOR)
    sign_in(page, live_server, sponsor)
    page.goto(f"{live_server.url}/programs/{data.program.slug}/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("report")
    assert assert_figures_shown(page) == coordinator_figures
    expect(page.locator("#attention")).to_have_count(0)
    text = page.locator("body").inner_text()
    html = page.content()
    for pair in [*data.healthy, data.quiet]:
        for person in (pair.mentor.person, pair.mentee.person):
            assert person.full_name not in text and person.full_name not in html
            assert person.user.email not in html
            assert person.user.get_full_name() not in html
    assert "something only I may read" not in html
    screenshot(page, "dashboard-sponsor")
