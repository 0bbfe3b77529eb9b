"""Accounts: e-mail sign-in through allauth, lock-out, closed sign-up, MFA, CSRF,
role-aware navigation and API tokens from `upward create-token`."""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Iterator
from io import StringIO

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY as TOTP_SESSION_KEY
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.http import HttpResponse
from django.test import Client, override_settings
from django.utils import timezone

from tests.factories import PASSWORD, PersonFactory
from upward.core.models import ApiToken, Role, User, hash_token

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"
LOCKED_OUT = "Too many failed login attempts"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
MAIN_NAV = re.compile(r'<nav aria-label="Main">(.*?)</nav>', re.DOTALL)


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """The lock-out counters and used TOTP codes live in the (database) cache."""
    cache.clear()
    yield
    cache.clear()


def csrf_token(client: Client, url: str) -> str:
    """GET `url` and take the CSRF token from its form, as a browser would."""
    response = client.get(url)
    assert response.status_code == 200
    match = CSRF_INPUT.search(response.content.decode())
    assert match, f"no CSRF token in the form at {url}"
    return match.group(1)


def sign_in(client: Client, email: str, password: str) -> HttpResponse:
    token = csrf_token(client, LOGIN_URL)
    return client.post(
        LOGIN_URL, {"login": email, "password": password, "csrfmiddlewaretoken": token}
    )


def main_nav(response: HttpResponse) -> str:
    match = MAIN_NAV.search(response.content.decode())
    assert match, "the page has no main navigation"
    return match.group(1)


def current_totp_code(secret: str) -> str:
    """The code an authenticator app would show now."""
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 2:  # don't hand over a code about to expire
        time.sleep(period - time.time() % period)
    counter = int(time.time()) // period
    return format_hotp_value(hotp_value(secret, counter))


# --- Sign-in ----------------------------------------------------------------


def test_sign_in_with_email_and_password_lands_on_home(coordinator: User) -> None:
    client = Client(enforce_csrf_checks=True)

    response = sign_in(client, "Coordinator@Example.org", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert home.wsgi_request.user == coordinator
    assert "coordinator@example.org" in home.content.decode()


def test_wrong_password_is_refused_with_a_form_error(coordinator: User) -> None:
    client = Client(enforce_csrf_checks=True)

    response = sign_in(client, coordinator.email, "not-the-password")

    assert response.status_code == 200
    assert response.context["form"].errors
    assert "password you specified are not correct" in response.content.decode()
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_five_failed_attempts_lock_the_address_even_for_the_right_password(
    coordinator: User,
) -> None:
    client = Client(enforce_csrf_checks=True)
    for _ in range(5):
        response = sign_in(client, coordinator.email, "guess-guess-guess")
        assert response.status_code == 200
        assert LOCKED_OUT not in response.content.decode()

    response = sign_in(client, coordinator.email, PASSWORD)

    assert response.status_code == 200
    assert LOCKED_OUT in response.content.decode()
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_lock_out_is_per_address(coordinator: User, sponsor: User) -> None:
    client = Client(enforce_csrf_checks=True)
    for _ in range(5):
        sign_in(client, coordinator.email, "guess-guess-guess")

    response = sign_in(client, sponsor.email, PASSWORD)

    assert response.status_code == 302
    assert client.get("/").wsgi_request.user == sponsor


def test_a_deactivated_user_cannot_sign_in(make_user: Callable[..., User]) -> None:
    user = make_user(Role.COORDINATOR, email="gone@example.org", is_active=False)
    client = Client(enforce_csrf_checks=True)

    sign_in(client, user.email, PASSWORD)

    assert not client.get("/").wsgi_request.user.is_authenticated


# --- Sign-up ----------------------------------------------------------------


def test_self_sign_up_is_closed() -> None:
    client = Client(enforce_csrf_checks=True)
    token = csrf_token(client, LOGIN_URL)
    page = client.get("/accounts/signup/")
    assert "Sign Up Closed" in page.content.decode()
    assert 'name="password1"' not in page.content.decode()

    response = client.post(
        "/accounts/signup/",
        {
            "email": "newcomer@example.org",
            "password1": "a-long-new-password",
            "password2": "a-long-new-password",
            "csrfmiddlewaretoken": token,
        },
    )

    assert "Sign Up Closed" in response.content.decode()
    assert not User.objects.filter(email="newcomer@example.org").exists()


def test_sign_in_page_does_not_invite_sign_up_while_it_is_closed() -> None:
    page = Client().get(LOGIN_URL).content.decode()

    assert 'href="/accounts/signup/' not in page
    assert "ask your program coordinator" in page


@override_settings(ACCOUNT_OPEN_SIGNUP=True)
def test_open_sign_up_is_offered_and_creates_an_account() -> None:
    client = Client(enforce_csrf_checks=True)
    assert 'href="/accounts/signup/' in client.get(LOGIN_URL).content.decode()

    token = csrf_token(client, "/accounts/signup/")
    client.post(
        "/accounts/signup/",
        {
            "email": "newcomer@example.org",
            "password1": "a-long-new-password",
            "password2": "a-long-new-password",
            "csrfmiddlewaretoken": token,
        },
    )

    newcomer = User.objects.get(email="newcomer@example.org")
    assert newcomer.role == Role.PARTICIPANT


# --- Two-factor authentication ----------------------------------------------


def test_a_signed_in_user_can_turn_on_an_authenticator_app(coordinator: User) -> None:
    client = Client(enforce_csrf_checks=True)
    sign_in(client, coordinator.email, PASSWORD)
    assert client.get("/accounts/2fa/").status_code == 200
    # Changing sign-in factors asks for the password again first.
    activate = client.get("/accounts/2fa/totp/activate/")
    assert activate.status_code == 302
    assert activate["Location"].startswith("/accounts/reauthenticate/")
    token = csrf_token(client, "/accounts/reauthenticate/")
    client.post("/accounts/reauthenticate/", {"password": PASSWORD, "csrfmiddlewaretoken": token})

    token = csrf_token(client, "/accounts/2fa/totp/activate/")
    secret = client.session[TOTP_SESSION_KEY]  # what the QR code on the page encodes
    response = client.post(
        "/accounts/2fa/totp/activate/",
        {"code": current_totp_code(secret), "csrfmiddlewaretoken": token},
    )

    assert response.status_code == 302
    kinds = set(Authenticator.objects.filter(user=coordinator).values_list("type", flat=True))
    assert kinds == {"totp", "recovery_codes"}
    assert client.get("/accounts/2fa/recovery-codes/").status_code == 200


def test_mfa_pages_require_sign_in() -> None:
    response = Client().get("/accounts/2fa/")

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


def test_user_with_totp_must_give_a_code_after_the_password(coordinator: User) -> None:
    secret = generate_totp_secret()
    TOTP.activate(coordinator, secret)
    assert Authenticator.objects.filter(user=coordinator, type="totp").exists()
    client = Client(enforce_csrf_checks=True)

    response = sign_in(client, coordinator.email, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert not client.get("/").wsgi_request.user.is_authenticated

    token = csrf_token(client, "/accounts/2fa/authenticate/")
    wrong = client.post(
        "/accounts/2fa/authenticate/", {"code": "000000", "csrfmiddlewaretoken": token}
    )
    assert wrong.status_code == 200
    assert wrong.context["form"].errors
    assert not client.get("/").wsgi_request.user.is_authenticated

    token = csrf_token(client, "/accounts/2fa/authenticate/")
    right = client.post(
        "/accounts/2fa/authenticate/",
        {"code": current_totp_code(secret), "csrfmiddlewaretoken": token},
    )
    assert right.status_code == 302
    assert right["Location"] == "/"
    assert client.get("/").wsgi_request.user == coordinator


def test_user_without_totp_is_not_asked_for_a_code(coordinator: User) -> None:
    client = Client(enforce_csrf_checks=True)

    response = sign_in(client, coordinator.email, PASSWORD)

    assert response["Location"] == "/"


# --- CSRF -------------------------------------------------------------------


def test_sign_in_without_csrf_token_is_rejected(coordinator: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get(LOGIN_URL)  # the CSRF cookie is set, but the form token is missing

    response = client.post(LOGIN_URL, {"login": coordinator.email, "password": PASSWORD})

    assert response.status_code == 403
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_sign_out_without_csrf_token_is_rejected(coordinator: User) -> None:
    client = Client(enforce_csrf_checks=True)
    sign_in(client, coordinator.email, PASSWORD)

    response = client.post("/accounts/logout/")

    assert response.status_code == 403
    assert client.get("/").wsgi_request.user == coordinator


def test_sign_out_with_csrf_token_signs_out(coordinator: User) -> None:
    client = Client(enforce_csrf_checks=True)
    sign_in(client, coordinator.email, PASSWORD)
    token = CSRF_INPUT.search(client.get("/").content.decode())
    assert token, "the sign-out form on every page carries a CSRF token"

    response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": token.group(1)})

    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert not client.get("/").wsgi_request.user.is_authenticated


# --- Pages and navigation ---------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/me/", "/people/"])
def test_anonymous_visitors_are_sent_to_sign_in(url: str) -> None:
    response = Client().get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next={url}"


def test_my_profile_shows_the_linked_person(
    participant: User, client_for: Callable[[User | None], Client]
) -> None:
    boss = PersonFactory(employee_id="B-1", full_name="Beatrix Boss", level=9)
    PersonFactory(
        employee_id="E-4711",
        full_name="Pat Participant",
        title="Junior Analyst",
        level=2,
        manager=boss,
        user=participant,
    )

    page = client_for(participant).get("/me/").content.decode()

    assert "E-4711" in page
    assert "Junior Analyst" in page
    assert "Beatrix Boss" in page
    assert "not linked to an employee record" not in page


def test_my_profile_says_when_no_person_is_linked(
    sponsor: User, client_for: Callable[[User | None], Client]
) -> None:
    page = client_for(sponsor).get("/me/").content.decode()

    assert "not linked to an employee record" in page


def test_coordinator_navigation_has_the_people_link(
    coordinator: User, client_for: Callable[[User | None], Client]
) -> None:
    nav = main_nav(client_for(coordinator).get("/"))

    assert 'href="/people/"' in nav
    assert ">People<" in nav
    assert 'href="/me/"' in nav


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.SPONSOR])
def test_participant_and_sponsor_navigation_has_no_people_link(
    role: Role,
    make_user: Callable[..., User],
    client_for: Callable[[User | None], Client],
) -> None:
    client = client_for(make_user(role))
    nav = main_nav(client.get("/"))

    assert "/people/" not in nav
    assert ">People<" not in nav
    assert 'href="/me/"' in nav
    assert client.get("/people/").status_code == 403


# --- API tokens -------------------------------------------------------------


def create_token(email: str) -> str:
    out = StringIO()
    call_command("create_token", email, stdout=out)
    return out.getvalue().strip()


def test_create_token_prints_a_token_that_authenticates_the_api(coordinator: User) -> None:
    raw = create_token("coordinator@example.org")

    response = Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}")

    assert response.status_code == 200
    assert response.json()["email"] == "coordinator@example.org"
    assert response.json()["role"] == "coordinator"


def test_only_the_token_digest_is_stored(coordinator: User) -> None:
    raw = create_token(coordinator.email)

    token = ApiToken.objects.get(user=coordinator)
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest() == hash_token(raw)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")  # noqa: S608
        rows = cursor.fetchall()
    assert rows
    assert all(raw not in str(value) for row in rows for value in row)


def test_create_token_for_an_unknown_email_fails() -> None:
    with pytest.raises(CommandError) as failure:
        call_command("create_token", "nobody@example.org", stdout=StringIO())

    assert failure.value.returncode == 1
    assert "nobody@example.org" in str(failure.value)
    assert not ApiToken.objects.exists()


def test_a_revoked_token_is_refused(coordinator: User) -> None:
    raw = create_token(coordinator.email)
    ApiToken.objects.filter(user=coordinator).update(revoked_at=timezone.now())

    response = Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}")

    assert response.status_code == 401


def test_a_deactivated_users_token_is_refused(coordinator: User) -> None:
    raw = create_token(coordinator.email)
    coordinator.is_active = False
    coordinator.save(update_fields=["is_active"])

    response = Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}")

    assert response.status_code == 401


def test_a_made_up_token_is_refused(coordinator: User) -> None:
    create_token(coordinator.email)

    response = Client().get("/api/me", HTTP_AUTHORIZATION="Bearer upw_made-up-value")

    assert response.status_code == 401
    assert Client().get("/api/me").status_code == 401
