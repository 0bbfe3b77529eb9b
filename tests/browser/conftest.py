"""Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

No browser is ever downloaded: tests use the system `chromium` and skip, with
the install command, when it is missing.
"""

from __future__ import annotations

import importlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps
from playwright.sync_api import Browser, Page, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from tests.factories import PASSWORD
from upward.core.models import User

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium for one test module; Playwright's event loop lives exactly as long."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip(
            "Chromium not found: install Debian's chromium package "
            "(apt-get install chromium) to run browser tests"
        )
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        # Playwright's sync API keeps an event loop running in the test thread,
        # so Django refuses ORM calls there (SynchronousOnlyOperation) although
        # the test code is synchronous: the case Django's documented escape hatch
        # is for. Scoped to this fixture so the rest of the suite keeps the check.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    """Remember each phase's outcome on the test item, so `page` knows if the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh browser context (no cookies) per test; a screenshot only if the test fails."""
    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def taxonomy(transactional_db: None) -> None:
    """Transactional tests flush the database, the taxonomy seeded on migrate included."""
    seed = importlib.import_module("upward.programs.migrations.0002_seed_topic_taxonomy")
    seed.seed_topics(apps, None)


def sign_in(page: Page, live_server: LiveServer, user: User) -> None:
    """Sign in through the real form, as a person would (factory users share `PASSWORD`)."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(f"{live_server.url}/")
