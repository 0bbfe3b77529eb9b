"""Print the OpenAPI document, so the committed `openapi.json` can be checked in CI."""

from __future__ import annotations

import json
import os


def openapi_document() -> str:
    """The schema as stable, pretty JSON (sorted keys, trailing newline)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upward.settings")
    django.setup()
    from upward.api import api

    return json.dumps(api.get_openapi_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(openapi_document(), end="")
