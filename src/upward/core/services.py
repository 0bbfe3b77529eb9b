"""Changes to accounts and tokens."""

from __future__ import annotations

from django.db import transaction

from upward.core.models import ApiToken, Role, User, hash_token


@transaction.atomic
def api_token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Issue a token; returns the row and the raw value, which is never stored."""
    raw = ApiToken.new_raw_value()
    token = ApiToken.objects.create(user=user, name=name, digest=hash_token(raw))
    return token, raw


@transaction.atomic
def user_ensure(
    *,
    email: str,
    password: str | None,
    role: Role = Role.PARTICIPANT,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create the user or bring an existing one to the given role and password (idempotent)."""
    user, _ = User.objects.get_or_create(email=email.lower())
    user.role = role
    user.first_name, user.last_name = first_name, last_name
    user.is_staff = role == Role.ADMIN
    user.is_superuser = role == Role.ADMIN
    user.is_active = True
    if password is not None:
        user.set_password(password)
    user.save()
    return user
