"""API authentication: the browser session or an `Authorization: Bearer` token."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from upward.core.selectors import user_for_api_token


class BearerToken(HttpBearer):
    """Tokens from `upward create-token`; only their digest is stored."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_api_token(raw=token.strip())
        if user is not None:
            request.user = user
        return user


class ActiveSession(SessionAuth):
    """Django's session, for pages that call the API with htmx (CSRF-checked)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        return user if user.is_authenticated and user.is_active else None


API_AUTH = [BearerToken(), ActiveSession()]
