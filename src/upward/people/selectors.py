"""Reads of the people directory. One search drives both the page and the API."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from upward.people.chain import ancestors_from_path
from upward.people.models import Person


def person_search(
    *, q: str = "", department: str = "", include_inactive: bool = False
) -> QuerySet[Person]:
    """People matching a free-text query on name, e-mail, employee id, title or location."""
    people = Person.objects.select_related("department")
    if not include_inactive:
        people = people.filter(is_active=True)
    if department:
        people = people.filter(department__name__iexact=department)
    for word in q.split():
        people = people.filter(
            Q(full_name__icontains=word)
            | Q(email__icontains=word)
            | Q(employee_id__iexact=word)
            | Q(title__icontains=word)
            | Q(location__icontains=word)
            | Q(department__name__icontains=word)
        )
    return people.order_by("full_name", "employee_id")


def person_managers(*, person: Person) -> list[Person]:
    """The chain above a person, top first, in one query."""
    ids = ancestors_from_path(person.chain_path)
    by_id = {p.employee_id: p for p in Person.objects.filter(employee_id__in=ids)}
    return [by_id[i] for i in ids if i in by_id]


def person_reports(*, person: Person, direct_only: bool = True) -> QuerySet[Person]:
    """Everyone below a person (direct reports by default), in one query."""
    if direct_only:
        return Person.objects.filter(manager=person).order_by("full_name")
    return (
        Person.objects.filter(chain_path__startswith=person.chain_path)
        .exclude(pk=person.pk)
        .order_by("chain_path")
    )


def people_in_same_chain(*, employee_id_a: str, employee_id_b: str) -> bool:
    """Whether one of two people is above the other, at any depth, with one query."""
    paths = dict(
        Person.objects.filter(employee_id__in=[employee_id_a, employee_id_b]).values_list(
            "employee_id", "chain_path"
        )
    )
    a, b = paths.get(employee_id_a), paths.get(employee_id_b)
    if a is None or b is None:
        return False
    return a.startswith(b) or b.startswith(a)
