"""A mentor signs the agreement, schedules a session in their own time zone, and logs it."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import sign_in
from tests.factories import PersonFactory, UserFactory
from upward.core.models import Role
from upward.mentoring.models import Pair, Session
from upward.mentoring.services import pair_accept
from upward.programs.models import ProgramStatus
from upward.programs.services import enrollment_apply, program_create, program_transition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def active_pair() -> Pair:
    coordinator = UserFactory(role=Role.COORDINATOR)
    program = program_create(
        by=coordinator, name="Digital Leaders", purpose="Learn both ways",
        starts_on=dt.date(2026, 9, 1), ends_on=dt.date(2027, 6, 1),
        topic_slugs=["generative-ai"], training_required=False,
    )  # fmt: skip
    program_transition(program=program, to=ProgramStatus.ENROLLING)
    people = {}
    for role, name, level, zone in (
        ("mentor", "Maya Mentor", 2, "Europe/Paris"),
        ("mentee", "Leo Leader", 9, "America/New_York"),
    ):
        person = PersonFactory(
            full_name=name, level=level, timezone=zone,
            user=UserFactory(email=f"{role}@example.org"),
        )  # fmt: skip
        kind = "expertise" if role == "mentor" else "interest"
        people[role] = enrollment_apply(
            program=program, person=person, role=role, topics={kind: {"generative-ai": 3}},
            approve=True, by=coordinator,
        ).enrollment  # fmt: skip
    pair = Pair.objects.create(program=program, mentor=people["mentor"], mentee=people["mentee"])
    pair_accept(pair=pair, by=people["mentor"].person.user)
    return pair_accept(pair=pair, by=people["mentee"].person.user)


def test_a_mentor_signs_schedules_and_logs_a_session(
    page: Page, live_server: LiveServer, taxonomy: None
) -> None:
    pair = active_pair()
    mentor = pair.mentor.person.user
    sign_in(page, live_server, mentor)
    page.goto(f"{live_server.url}/pairs/{pair.pk}/")

    # Until both sign, the agreement comes first.
    agreement_first = page.locator("#agreement-first")
    expect(agreement_first).to_be_visible()
    agreement_first.get_by_role("link", name="Read and sign the agreement").click()
    expect(page.locator("#agreement-state")).to_have_text("Waiting for signatures")
    page.get_by_role("button", name="Sign version 1").click()
    expect(page.locator("#signatures")).to_contain_text("Mentor: ✓ signed")

    # Schedule yesterday's meeting at 09:00 Paris time (it happened; now it gets logged).
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Sessions").click()
    yesterday = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)
    form = page.locator("#schedule-form")
    form.get_by_label("Date").fill(yesterday.isoformat())
    form.get_by_label("Time (Europe/Paris)").fill("09:00")
    form.get_by_label("Place or video link").fill("https://meet.example/leo-maya")
    expect(form.get_by_label("Agenda", exact=False)).to_contain_text("generative", ignore_case=True)
    form.get_by_role("button", name="Schedule").click()

    expect(page.locator("#session-mine")).to_contain_text("09:00 (Europe/Paris)")
    expect(page.locator("#session-theirs")).to_contain_text("(America/New_York)")
    session = Session.objects.get(pair=pair)
    assert session.starts_at.astimezone(dt.UTC).hour in (7, 8)  # 09:00 Paris, stored in UTC

    log = page.locator("#log-form")
    log.get_by_label("It was").select_option("held")
    log.get_by_label("Shared summary").fill("Tried three prompting patterns on Leo's own report.")
    log.get_by_label("What I learned").fill("How a budget request is argued upstairs.")
    log.get_by_role("button", name="Save the log").click()

    expect(page.locator("#session-status")).to_have_text("Held")
    expect(page.locator("#session-summary")).to_contain_text("three prompting patterns")
    ics = page.get_by_role("link", name="Add to my calendar (.ics)")
    assert ics.get_attribute("href") == f"/pairs/{pair.pk}/sessions/{session.pk}/invite.ics"
    session.refresh_from_db()
    assert session.status == "held" and session.mentor_learned.startswith("How a budget")
