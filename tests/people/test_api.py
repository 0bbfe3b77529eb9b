"""`/api/people`: coordinators and admins only; 401 anonymous, 403 everyone else."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import PersonFactory
from upward.core.models import Role, User
from upward.people.models import Person

pytestmark = pytest.mark.django_db

ROLE_OUTCOMES = [
    (Role.COORDINATOR, 200),
    (Role.ADMIN, 200),
    (Role.SPONSOR, 403),
    (Role.PARTICIPANT, 403),
]


@pytest.mark.parametrize(("role", "status"), ROLE_OUTCOMES)
@pytest.mark.parametrize("path", ["/api/people", "/api/people/CEO"])
def test_directory_api_by_role_with_a_bearer_token(
    role: Role,
    status: int,
    path: str,
    make_user: Callable[..., User],
    bearer_for: Callable[[User], dict[str, str]],
    small_org: dict[str, Person],
) -> None:
    user = make_user(role)
    response = Client().get(path, headers=bearer_for(user))
    assert response.status_code == status
    if status == 403:
        assert response.json()["code"] == "not_allowed"
        assert "Cara" not in response.content.decode()


@pytest.mark.parametrize(("role", "status"), ROLE_OUTCOMES)
def test_directory_api_by_role_with_a_session(
    role: Role,
    status: int,
    make_user: Callable[..., User],
    client_for: Callable[[User | None], Client],
    small_org: dict[str, Person],
) -> None:
    assert client_for(make_user(role)).get("/api/people").status_code == status


@pytest.mark.parametrize("path", ["/api/people", "/api/people/CEO", "/api/me"])
def test_anonymous_gets_401(path: str, small_org: dict[str, Person]) -> None:
    response = Client().get(path)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_unknown_or_malformed_token_gets_401(small_org: dict[str, Person]) -> None:
    for header in ("Bearer upw_not-a-token", "Bearer nonsense", "Basic abc"):
        assert Client().get("/api/people", headers={"Authorization": header}).status_code == 401


def test_list_is_paginated_and_searchable(
    coordinator: User, client_for: Callable[[User | None], Client], small_org: dict[str, Person]
) -> None:
    client = client_for(coordinator)
    page = client.get("/api/people", {"page_size": 2}).json()
    assert page["count"] == 6
    assert [p["full_name"] for p in page["items"]] == ["Ana Analyst", "Cara Executive"]
    second = client.get("/api/people", {"page_size": 2, "page": 2}).json()
    assert [p["full_name"] for p in second["items"]] == ["Jamie Junior", "Lena Lead"]
    found = client.get("/api/people", {"q": "vice"}).json()
    assert {p["employee_id"] for p in found["items"]} == {"VP1", "VP2"}


def test_detail_shape(
    coordinator: User, client_for: Callable[[User | None], Client], small_org: dict[str, Person]
) -> None:
    body = client_for(coordinator).get("/api/people/JR1").json()
    assert body["employee_id"] == "JR1"
    assert body["manager_employee_id"] == "LEAD1"
    assert body["department"] == small_org["junior"].department.name
    assert body["hire_date"] == "2020-01-01"
    assert "birth_year" not in body  # not needed by clients: data minimisation


def test_unknown_person_is_a_json_404(
    coordinator: User, client_for: Callable[[User | None], Client], small_org: dict[str, Person]
) -> None:
    response = client_for(coordinator).get("/api/people/NOPE")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Not found"}


@pytest.mark.parametrize(
    ("params", "field"),
    [({"page": 0}, "page"), ({"page": "two"}, "page"), ({"page_size": -5}, "page_size")],
)
def test_bad_query_parameters_get_422_with_the_field(
    params: dict[str, object],
    field: str,
    coordinator: User,
    client_for: Callable[[User | None], Client],
    small_org: dict[str, Person],
) -> None:
    response = client_for(coordinator).get("/api/people", params)
    assert response.status_code == 422
    assert field in str(response.json()["detail"])


def test_query_count_does_not_grow_with_the_directory(
    coordinator: User, client_for: Callable[[User | None], Client], small_org: dict[str, Person]
) -> None:
    client = client_for(coordinator)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/people").status_code == 200
    PersonFactory.create_batch(40)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/api/people").json()["items"]) == 46
    assert len(many) == len(few)


def test_openapi_document_and_docs_are_served(client_for: Callable[[User | None], Client]) -> None:
    schema = Client().get("/api/openapi.json").json()
    assert "/api/people" in schema["paths"]
    assert "/api/people/{employee_id}" in schema["paths"]
    assert Client().get("/api/docs").status_code == 200


def test_committed_openapi_json_matches_the_code() -> None:
    """`make openapi` refreshes it; a stale copy means the API changed unnoticed."""
    from pathlib import Path

    from upward.openapi import openapi_document

    committed = Path(__file__).resolve().parents[2] / "openapi.json"
    assert committed.read_text() == openapi_document()
