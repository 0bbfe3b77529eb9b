"""`upward demo`: a working installation with a synthetic organisation, in one command."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.test import override_settings

from upward.core.demo import demo_load


class Command(BaseCommand):
    help = (
        "Create the data directory and database, load a deterministic demo organisation, "
        "print demo sign-ins and serve on http://127.0.0.1:8000."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=300, help="organisation size")
        parser.add_argument("--seed", type=int, default=7, help="random seed (same seed, same org)")
        parser.add_argument("--no-serve", action="store_true", help="load and exit")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        self.stdout.write(f"Data directory: {settings.DATA_DIR}")
        call_command("migrate", interactive=False, verbosity=0)
        # Demo pairings would e-mail synthetic people: keep those messages out of the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            loaded = demo_load(people=options["people"], seed=options["seed"])
        logins = loaded.logins
        self.stdout.write(
            f"Demo organisation ({options['people']} people): {loaded.people.summary()}"
        )
        if loaded.programs is None:
            self.stdout.write("Demo programs: already loaded, left as they are")
        else:
            self.stdout.write(
                f"Demo programs: '{loaded.programs.running.name}' running with "
                f"{loaded.programs.pairs} accepted pairs; '{loaded.programs.enrolling.name}' "
                "open for enrolment"
            )
            if loaded.programs.closed is not None:
                self.stdout.write(
                    f"               '{loaded.programs.closed.name}' closed, with starting and "
                    "closing surveys (see its dashboard for the measured change)"
                )
        self.stdout.write("\nDemo sign-ins:")
        width = max(len(login.email) for login in logins)
        for login in logins:
            credentials = f"{login.email:<{width}}  password: {login.password:<17}"
            self.stdout.write(f"  {login.role:<12} {credentials} {login.who}")
        if options["no_serve"]:
            return
        self.stdout.write(f"\nServing on http://127.0.0.1:{options['port']}/  (Ctrl+C to stop)\n")
        call_command("runserver", f"127.0.0.1:{options['port']}", use_reloader=False)
