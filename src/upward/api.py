"""The JSON API: one NinjaAPI that mounts a router per app (OpenAPI at /api/docs).

Errors are translated here, in one place: domain errors become 4xx JSON with
a code and the field at fault; nothing a client sends can produce a 500.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from upward.core.api import router as core_router
from upward.core.auth import API_AUTH
from upward.core.errors import DomainError
from upward.feedback.api import router as feedback_router
from upward.matching.api import router as matching_router
from upward.mentoring.api import router as pairs_router
from upward.mentoring.workspace_api import router as workspace_router
from upward.people.api import router as people_router
from upward.programs.api import router as programs_router

api = NinjaAPI(
    title="Upward API",
    version="1",
    description=(
        "Reverse-mentoring programs. Authenticate with a browser session or "
        "`Authorization: Bearer <token>` (create one with `upward create-token EMAIL`). "
        "Every list is paginated with `page` and `page_size`."
    ),
    auth=API_AUTH,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("/", core_router)
api.add_router("/", people_router)
api.add_router("/", programs_router)
api.add_router("/", pairs_router)
api.add_router("/", workspace_router)
api.add_router("/", matching_router)
api.add_router("/", feedback_router)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    body: dict[str, object] = {"code": exc.code, "detail": exc.message}
    if exc.field:
        body["field"] = exc.field
    return api.create_response(request, body, status=exc.status)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"code": "not_allowed", "detail": str(exc) or "Forbidden"}, status=403
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"code": "not_found", "detail": "Not found"}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"code": "unauthenticated", "detail": "Sign in or send Authorization: Bearer <token>."},
        status=401,
    )


@api.exception_handler(DjangoValidationError)
def invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(
        request, {"code": "invalid", "detail": "Invalid input", "fields": fields}, status=400
    )
