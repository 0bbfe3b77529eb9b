"""`upward create-token EMAIL`: print a new API token for that user."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from upward.core.models import User
from upward.core.services import api_token_create


class Command(BaseCommand):
    help = "Create an API bearer token for a user and print it (it is shown only once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="", help="a label to recognise the token by")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"].strip()).first()
        if user is None:
            raise CommandError(f"no user with e-mail {options['email']}", returncode=1)
        if not user.is_active:
            raise CommandError(f"{user.email} is deactivated", returncode=1)
        _, raw = api_token_create(user=user, name=options["name"])
        self.stdout.write(raw)
