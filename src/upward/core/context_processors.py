"""Role-aware navigation, computed once per request from the permission rules."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from django.http import HttpRequest
from django.urls import reverse

from upward.core import permissions


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Links the signed-in user may follow; pages never decide this themselves."""
    user = getattr(request, "user", None)
    if user is None or not permissions.is_signed_in(user):
        # The sign-in page offers sign-up only when the adapter would allow it.
        return {"nav_links": [], "signup_open": get_adapter(request).is_open_for_signup(request)}
    links = [("Home", reverse("home"))]
    if permissions.can_view_directory(user):
        links.append(("People", reverse("people:directory")))
    links.append(("Programs", reverse("programs:list")))
    links.append(("My pairs", reverse("mentoring:list")))
    links.append(("Training", reverse("programs:training")))
    if permissions.can_manage_topics(user):
        links.append(("Topics", reverse("programs:topics")))
    links.append(("My profile", reverse("profile")))
    if permissions.has_role(user, permissions.Role.ADMIN):
        links.append(("Admin", reverse("admin:index")))
    current = request.path
    return {
        "nav_links": [
            {
                "label": label,
                "url": url,
                "current": current == url or (url != "/" and current.startswith(url)),
            }
            for label, url in links
        ]
    }
