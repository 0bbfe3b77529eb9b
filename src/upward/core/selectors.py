"""Reads for accounts and tokens."""

from __future__ import annotations

from django.utils import timezone

from upward.core.models import ApiToken, User, hash_token

#: Don't write `last_used_at` on every request; once a minute is precise enough.
_LAST_USED_RESOLUTION_SECONDS = 60


def user_for_api_token(*, raw: str) -> User | None:
    """The active user a bearer token belongs to, or None for unknown or revoked tokens."""
    if not raw.startswith(ApiToken.PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if (
        token.last_used_at is None
        or (now - token.last_used_at).total_seconds() > _LAST_USED_RESOLUTION_SECONDS
    ):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
