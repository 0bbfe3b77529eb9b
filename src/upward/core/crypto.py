"""Field encryption with the installation's Fernet keys (`UPWARD_FIELD_KEYS`).

The first key encrypts; every key decrypts, so a new key can be put in front
and old ciphertext stays readable until `upward rotate-keys` re-encrypts it.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def field_cipher() -> MultiFernet:
    """The cipher for the keys currently configured (cached per key set)."""
    return _fernet(tuple(settings.FIELD_KEYS))


def encrypt_text(plaintext: str) -> str:
    return field_cipher().encrypt(plaintext.encode()).decode()


def decrypt_text(token: str) -> str:
    return field_cipher().decrypt(token.encode()).decode()


def reencrypt_text(token: str) -> str:
    """Re-encrypt under the newest key without exposing plaintext to the caller."""
    return field_cipher().rotate(token.encode()).decode()
