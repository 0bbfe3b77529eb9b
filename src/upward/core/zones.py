"""Time zones: sessions are stored in UTC and always shown in the viewer's own zone.

A member's zone is their directory entry's IANA zone; anyone without one sees UTC.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from upward.core.errors import DomainError
from upward.core.permissions import AnyUser

UTC = ZoneInfo("UTC")


def zone_named(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name) if name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def zone_of(user: AnyUser) -> ZoneInfo:
    """The user's own time zone (their directory entry), UTC if unknown."""
    person = getattr(user, "person", None) if user.is_authenticated else None
    return zone_named(person.timezone if person is not None else None)


def to_utc(day: dt.date, time: dt.time, zone: ZoneInfo) -> dt.datetime:
    """A wall-clock date and time in `zone` as an aware UTC instant.

    A time that does not exist (skipped by a daylight-saving change) is refused rather
    than silently moved; an ambiguous one (repeated) takes its first occurrence.
    """
    local = dt.datetime.combine(day, time, tzinfo=zone)
    there_and_back = local.astimezone(UTC).astimezone(zone)
    if there_and_back.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise DomainError(
            "nonexistent_time",
            f"{time:%H:%M} does not exist on {day:%-d %b %Y} in {zone.key} "
            "(the clocks change). Choose another time.",
            field="time",
        )
    return local.astimezone(UTC)


def local(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    return moment.astimezone(zone)


def describe(moment: dt.datetime, zone: ZoneInfo) -> str:
    """'Tue 3 Mar 2026, 10:00 (Europe/Paris)' — how a time reads on a page."""
    at = moment.astimezone(zone)
    return f"{at:%a} {at.day} {at:%b %Y}, {at:%H:%M} ({zone.key})"
