"""Encrypted model fields: plaintext in Python, Fernet ciphertext in the database.

A database dump, a backup or a curious DBA sees only ciphertext; the app
decrypts with `UPWARD_FIELD_KEYS` (see `core.crypto`). Encrypted columns can't
be searched or sorted in SQL, which is the point.
"""

from __future__ import annotations

from typing import Any

from cryptography.fernet import InvalidToken
from django.db import models

from upward.core.crypto import decrypt_text, encrypt_text

#: Every Fernet token starts with its version byte 0x80, base64url-encoded.
_FERNET_PREFIX = "gAAAAA"


class EncryptedTextField(models.TextField):
    """Text encrypted at rest with the installation's field keys."""

    description = "Text encrypted at rest"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt_text(value)

    def value_to_string(self, obj: Any) -> str:
        """Serializers (`dumpdata`, fixtures) carry ciphertext, never the plaintext."""
        value = self.value_from_object(obj)
        return "" if value in (None, "") else encrypt_text(str(value))

    def to_python(self, value: Any) -> Any:
        """Fixtures written by `value_to_string` load back to plaintext (then re-encrypt)."""
        if isinstance(value, str) and value.startswith(_FERNET_PREFIX):
            try:
                return decrypt_text(value)
            except InvalidToken:
                return value
        return value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(str(value))
