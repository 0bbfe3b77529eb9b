"""Telling people what happened, after the change is committed."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from upward.core.models import User


def notify(*, user: User | None, subject: str, body: str) -> None:
    """E-mail one person once the surrounding transaction commits (never on rollback)."""
    if user is None or not user.is_active or not user.email:
        return
    address = user.email
    transaction.on_commit(
        lambda: send_mail(
            subject=f"[Upward] {subject}",
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[address],
            fail_silently=True,
        )
    )
