"""Shared fixtures: a user per role, API clients, and a small organisation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.factories import PASSWORD, PersonFactory, UserFactory
from upward.core.models import Role, User
from upward.core.services import api_token_create
from upward.people.models import Person


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Slow hashing protects real passwords; tests only need hashing to be consistent."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    def make(role: Role = Role.PARTICIPANT, **kwargs: object) -> User:
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def coordinator(make_user: Callable[..., User]) -> User:
    return make_user(Role.COORDINATOR, email="coordinator@example.org")


@pytest.fixture
def sponsor(make_user: Callable[..., User]) -> User:
    return make_user(Role.SPONSOR, email="sponsor@example.org")


@pytest.fixture
def admin_user(make_user: Callable[..., User]) -> User:
    return make_user(Role.ADMIN, email="admin@example.org", is_staff=True, is_superuser=True)


@pytest.fixture
def participant(make_user: Callable[..., User]) -> User:
    return make_user(Role.PARTICIPANT, email="participant@example.org")


@pytest.fixture
def client_for() -> Callable[[User | None], Client]:
    """A test client signed in as `user` (or anonymous for None)."""

    def make(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def bearer_for(db: None) -> Callable[[User], dict[str, str]]:
    """Headers carrying a fresh API token for `user`."""

    def make(user: User) -> dict[str, str]:
        _, raw = api_token_create(user=user)
        return {"Authorization": f"Bearer {raw}"}

    return make


@pytest.fixture
def small_org(db: None) -> dict[str, Person]:
    """ceo → vp → lead → junior, plus a peer branch ceo → vp2 → analyst."""
    ceo = PersonFactory(employee_id="CEO", full_name="Cara Executive", level=12)
    vp = PersonFactory(employee_id="VP1", full_name="Victor Vice", level=10, manager=ceo)
    lead = PersonFactory(employee_id="LEAD1", full_name="Lena Lead", level=6, manager=vp)
    junior = PersonFactory(employee_id="JR1", full_name="Jamie Junior", level=2, manager=lead)
    vp2 = PersonFactory(employee_id="VP2", full_name="Valerie Vice", level=10, manager=ceo)
    analyst = PersonFactory(employee_id="AN1", full_name="Ana Analyst", level=3, manager=vp2)
    return {"ceo": ceo, "vp": vp, "lead": lead, "junior": junior, "vp2": vp2, "analyst": analyst}


__all__ = ["PASSWORD"]
