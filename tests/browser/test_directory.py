"""A coordinator signs in and finds someone in the directory, in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.factories import PASSWORD, DepartmentFactory, PersonFactory, UserFactory
from upward.core.models import Role, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, live_server: LiveServer, user: User) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def main_nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Main")


def test_coordinator_signs_in_searches_the_directory_and_opens_a_person(
    page: Page, live_server: LiveServer
) -> None:
    coordinator = UserFactory(role=Role.COORDINATOR, email="coordinator@example.org")
    engineering = DepartmentFactory(name="Engineering")
    for name in ["Alice Andersen", "Bruno Baptiste", "Chen Wei", "Dana Okafor", "Emil Novak"]:
        PersonFactory(full_name=name, department=engineering)
    PersonFactory(
        employee_id="E-7734",
        full_name="Zephyrine Quillfeather",
        title="Head of Platforms",
        department=engineering,
    )

    sign_in(page, live_server, coordinator)
    main_nav(page).get_by_role("link", name="People").click()

    expect(page).to_have_url(f"{live_server.url}/people/")
    results = page.locator("#people-results")
    expect(results.locator("tbody tr")).to_have_count(6)

    # htmx swaps the results in place: a full reload would lose this marker.
    page.evaluate("window.notReloaded = true")
    page.get_by_role("searchbox", name="Search").press_sequentially("quillfea", delay=30)

    expect(results.locator("#result-count")).to_contain_text("1 person")
    expect(results.locator("tbody tr")).to_have_count(1)
    expect(results).to_contain_text("Zephyrine Quillfeather")
    for other in ["Alice Andersen", "Bruno Baptiste", "Chen Wei", "Dana Okafor", "Emil Novak"]:
        expect(results).not_to_contain_text(other)
    assert page.evaluate("window.notReloaded") is True
    expect(page).to_have_url(re.compile(r"/people/\?q=quillfea"))

    results.get_by_role("link", name="Zephyrine Quillfeather").click()

    expect(page).to_have_url(f"{live_server.url}/people/E-7734/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zephyrine Quillfeather")
    expect(page.locator("main")).to_contain_text("Head of Platforms")


def test_participant_has_no_people_link_and_is_refused_the_directory(
    page: Page, live_server: LiveServer
) -> None:
    participant = UserFactory(role=Role.PARTICIPANT, email="participant@example.org")
    PersonFactory(full_name="Zephyrine Quillfeather")

    sign_in(page, live_server, participant)

    expect(main_nav(page).get_by_role("link", name="My profile")).to_be_visible()
    expect(main_nav(page).get_by_role("link", name="People")).to_have_count(0)

    response = page.goto(f"{live_server.url}/people/")

    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
    expect(page.locator("main")).not_to_contain_text("Zephyrine Quillfeather")
