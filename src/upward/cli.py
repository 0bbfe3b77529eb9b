"""The `upward` console script: Django's management commands plus ours.

Our commands are written with hyphens in the docs (`upward import-people`);
Django names commands after modules, so hyphens are mapped to underscores.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command, e.g. `upward demo` or `upward import-people FILE.csv`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upward.settings")
    args = list(sys.argv if argv is None else argv)
    args[0] = "upward"
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
