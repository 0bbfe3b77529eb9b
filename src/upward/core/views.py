"""Pages every signed-in person sees: home and their own profile."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from upward.core import permissions
from upward.core.models import User
from upward.people.models import Person
from upward.people.selectors import person_managers


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The landing page, with what this role can do next."""
    user = _user(request)
    context = {
        "can_view_directory": permissions.can_view_directory(user),
        "people_count": (
            Person.objects.filter(is_active=True).count()
            if permissions.can_view_directory(user)
            else None
        ),
    }
    return render(request, "core/home.html", context)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """ "My profile": the account and the directory entry it is linked to."""
    user = _user(request)
    person = Person.objects.select_related("department", "manager").filter(user=user).first()
    context = {
        "person": person,
        "managers": person_managers(person=person) if person else [],
        "token_count": user.api_tokens.filter(revoked_at__isnull=True).count(),
    }
    return render(request, "core/profile.html", context)
