"""Encrypted model fields: plaintext in Python, Fernet ciphertext in the database.

A database dump, a backup or a curious DBA sees only ciphertext; the app
decrypts with `UPWARD_FIELD_KEYS` (see `core.crypto`). Encrypted columns can't
be searched or sorted in SQL, which is the point.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from upward.core.crypto import decrypt_text, encrypt_text


class EncryptedTextField(models.TextField):
    """Text encrypted at rest with the installation's field keys."""

    description = "Text encrypted at rest"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt_text(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(str(value))
