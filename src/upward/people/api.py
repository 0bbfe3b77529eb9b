"""`/api/people`: the directory for coordinators and admins.

No `from __future__ import annotations` here: django-ninja reads the real
annotation objects (`Query[...]`) at import time.
"""

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from upward.core.permissions import can_view_directory, ensure
from upward.people.models import Person
from upward.people.selectors import person_search

router = Router(tags=["people"])


class PersonOut(Schema):
    employee_id: str
    full_name: str
    email: str
    title: str
    level: int
    department: str = Field(..., alias="department.name")
    manager_employee_id: str | None = Field(None, alias="manager_id")
    location: str
    timezone: str
    hire_date: dt.date
    is_active: bool


class PeopleFilter(Schema):
    q: str = Field("", max_length=200, description="Words to find in name, e-mail, id, title…")
    department: str = Field("", max_length=200, description="Exact department name")
    include_inactive: bool = False


def _ensure_directory_access(request: HttpRequest) -> None:
    ensure(
        can_view_directory(request.auth),  # type: ignore[attr-defined]
        "The people directory is open to coordinators and administrators only.",
    )


@router.get("/people", response=list[PersonOut], summary="Search the directory")
@paginate(PageNumberPagination)
def people_list(request: HttpRequest, filters: Query[PeopleFilter]) -> QuerySet[Person]:
    _ensure_directory_access(request)
    return person_search(
        q=filters.q, department=filters.department, include_inactive=filters.include_inactive
    )


@router.get("/people/{employee_id}", response=PersonOut, summary="One person")
def people_detail(request: HttpRequest, employee_id: str) -> Person:
    _ensure_directory_access(request)
    return get_object_or_404(Person.objects.select_related("department"), employee_id=employee_id)
