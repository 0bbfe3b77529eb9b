"""Directory changes outside the import: the department tree and account links."""

from __future__ import annotations

import pytest

from tests.factories import DepartmentFactory, PersonFactory, UserFactory
from upward.core.errors import DomainError
from upward.people.services import department_set_parent, person_link_user

pytestmark = pytest.mark.django_db


def test_departments_form_a_tree() -> None:
    company, sales, emea = (DepartmentFactory(name=n) for n in ("Company", "Sales", "Sales EMEA"))
    department_set_parent(department=sales, parent=company)
    department_set_parent(department=emea, parent=sales)
    emea.refresh_from_db()
    assert emea.parent == sales and emea.parent.parent == company
    assert list(company.children.all()) == [sales]


def test_a_department_cannot_become_its_own_ancestor() -> None:
    company, sales = DepartmentFactory(name="Company"), DepartmentFactory(name="Sales")
    department_set_parent(department=sales, parent=company)
    with pytest.raises(DomainError) as caught:
        department_set_parent(department=company, parent=sales)
    assert caught.value.code == "department_cycle"
    assert caught.value.field == "parent"
    company.refresh_from_db()
    assert company.parent is None
    with pytest.raises(DomainError):
        department_set_parent(department=company, parent=company)


def test_linking_an_account_moves_it_from_any_previous_person() -> None:
    user = UserFactory()
    first, second = PersonFactory(), PersonFactory()
    person_link_user(person=first, user=user)
    person_link_user(person=second, user=user)
    first.refresh_from_db()
    assert first.user is None
    assert user.person == second
