"""Field encryption: the first key encrypts, every key decrypts, rotation re-encrypts."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.test import override_settings

from upward.core.crypto import decrypt_text, encrypt_text, reencrypt_text


def test_round_trip_hides_the_plaintext() -> None:
    token = encrypt_text("my private reflection")
    assert "private" not in token
    assert decrypt_text(token) == "my private reflection"


def test_old_key_still_decrypts_after_a_new_key_is_put_first() -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(FIELD_KEYS=[old]):
        token = encrypt_text("written last year")
    with override_settings(FIELD_KEYS=[new, old]):
        assert decrypt_text(token) == "written last year"
        rotated = reencrypt_text(token)
    with override_settings(FIELD_KEYS=[new]):
        assert decrypt_text(rotated) == "written last year"
        with pytest.raises(InvalidToken):
            decrypt_text(token)
