"""`/api/me`: who the caller is, for clients checking their token."""

from django.http import HttpRequest
from ninja import Router, Schema

router = Router(tags=["accounts"])


class MeOut(Schema):
    email: str
    full_name: str
    role: str
    employee_id: str | None


@router.get("/me", response=MeOut, summary="The signed-in user")
def me(request: HttpRequest) -> MeOut:
    user = request.auth  # type: ignore[attr-defined]
    person = getattr(user, "person", None)
    return MeOut(
        email=user.email,
        full_name=user.get_full_name(),
        role=user.role,
        employee_id=person.employee_id if person else None,
    )
