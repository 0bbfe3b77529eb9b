"""Directory pages: coordinators and admins search; everyone else is refused."""

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


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.COORDINATOR, 200), (Role.ADMIN, 200), (Role.SPONSOR, 403), (Role.PARTICIPANT, 403)],
)
@pytest.mark.parametrize("path", ["/people/", "/people/CEO/"])
def test_directory_pages_by_role(
    role: Role,
    status: int,
    path: str,
    make_user: Callable[..., User],
    client_for: Callable[[User | None], Client],
    small_org: dict[str, Person],
) -> None:
    response = client_for(make_user(role)).get(path)
    assert response.status_code == status
    if status == 403:
        assert "Cara Executive" not in response.content.decode()


def test_anonymous_is_sent_to_sign_in(small_org: dict[str, Person]) -> None:
    response = Client().get("/people/?q=cara")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_search_filters_and_counts(
    coordinator: User, client_for: Callable[[User | None], Client], small_org: dict[str, Person]
) -> None:
    page = client_for(coordinator).get("/people/", {"q": "vice"}).content.decode()
    assert "2 people matching “vice”" in page
    assert "Victor Vice" in page and "Valerie Vice" in page
    assert "Jamie Junior" not in page


def test_htmx_request_gets_only_the_results_fragment(
    coordinator: User, client_for: Callable[[User | None], Client], small_org: dict[str, Person]
) -> None:
    response = client_for(coordinator).get(
        "/people/", {"q": "jamie"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert "Jamie Junior" in body
    assert "<html" not in body and 'id="people-results"' not in body


def test_pagination_keeps_the_search(
    coordinator: User, client_for: Callable[[User | None], Client], db: None
) -> None:
    PersonFactory.create_batch(30, title="Data Analyst")
    PersonFactory.create_batch(3, title="Gardener")
    page = client_for(coordinator).get("/people/", {"q": "analyst"}).content.decode()
    assert "Page 1 of 2" in page
    assert "?q=analyst&amp;page=2" in page
    second = client_for(coordinator).get("/people/", {"q": "analyst", "page": "2"}).content.decode()
    assert "Page 2 of 2" in second and "Gardener" not in second


def test_inactive_people_are_hidden_unless_asked_for(
    coordinator: User, client_for: Callable[[User | None], Client], small_org: dict[str, Person]
) -> None:
    Person.objects.filter(employee_id="AN1").update(is_active=False)
    client = client_for(coordinator)
    assert "Ana Analyst" not in client.get("/people/").content.decode()
    assert "Ana Analyst" in client.get("/people/", {"inactive": "1"}).content.decode()


def test_person_page_shows_the_chain_and_direct_reports(
    coordinator: User, client_for: Callable[[User | None], Client], small_org: dict[str, Person]
) -> None:
    page = client_for(coordinator).get("/people/LEAD1/").content.decode()
    page = page[page.index("Reporting chain") :]
    assert page.index("Cara Executive") < page.index("Victor Vice") < page.index("Lena Lead")
    assert "Direct reports (1)" in page and "Jamie Junior" in page


def test_unknown_person_page_is_404(
    coordinator: User, client_for: Callable[[User | None], Client], db: None
) -> None:
    assert client_for(coordinator).get("/people/NOPE/").status_code == 404


def test_directory_query_count_does_not_grow_with_the_data(
    coordinator: User, client_for: Callable[[User | None], Client], small_org: dict[str, Person]
) -> None:
    client = client_for(coordinator)
    with CaptureQueriesContext(connection) as few:
        client.get("/people/")
    PersonFactory.create_batch(30)
    with CaptureQueriesContext(connection) as many:
        client.get("/people/")
    assert len(many) == len(few)


def test_profile_is_open_to_every_role(
    make_user: Callable[..., User], client_for: Callable[[User | None], Client], db: None
) -> None:
    for role in Role:
        user = make_user(role)
        page = client_for(user).get("/me/")
        assert page.status_code == 200
        assert user.email in page.content.decode()
