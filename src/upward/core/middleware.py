"""Every page shows times in the viewer's own time zone (their directory entry's zone)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from upward.core.zones import zone_of


class ViewerTimeZoneMiddleware:
    """Activate the signed-in person's IANA zone for the request; UTC for everyone else.

    Stored times are UTC; Django's template filters then render them in this zone, so no
    page has to remember to convert.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timezone.activate(zone_of(request.user))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
