"""Encryption of connector credentials at rest (Fernet).

The key comes from ``KAWAL_ENCRYPTION_KEY`` (or ``KAWAL_ENCRYPTION_KEY_FILE``); several comma-separated keys
allow rotation (the first encrypts, all decrypt). Without it, a key is generated once in the data directory
with mode 0600. Losing the key means re-entering every account's credentials, so back it up.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from kawal.server.env import data_dir, env


class CredentialsError(Exception):
    """The stored credentials cannot be decrypted with the configured key(s)."""


def key_file() -> Path:
    return data_dir() / "encryption_key"


def _generated_key() -> bytes:
    path = key_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL so two processes starting at once never write two different keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_bytes().strip()
        with os.fdopen(fd, "wb") as handle:
            handle.write(Fernet.generate_key())
    return path.read_bytes().strip()


@lru_cache(maxsize=1)
def fernet() -> MultiFernet:
    configured = [k.strip() for k in env("KAWAL_ENCRYPTION_KEY").split(",") if k.strip()]
    keys = [k.encode("ascii") for k in configured] or [_generated_key()]
    try:
        return MultiFernet([Fernet(k) for k in keys])
    except (ValueError, TypeError) as exc:
        raise CredentialsError(
            "KAWAL_ENCRYPTION_KEY is not a valid Fernet key (32 url-safe base64 bytes); "
            "generate one with: python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'") from exc


def encrypt_json(value: dict) -> str:
    if not isinstance(value, dict):
        raise TypeError(f"credentials must be a dict, got {type(value).__name__}")
    return fernet().encrypt(json.dumps(value, sort_keys=True).encode("utf-8")).decode("ascii")


def decrypt_json(token: str) -> dict:
    if not token:
        return {}
    try:
        return json.loads(fernet().decrypt(token.encode("ascii")))
    except InvalidToken:
        raise CredentialsError("stored credentials cannot be decrypted: the encryption key changed "
                               "or the data was altered; re-enter this account's credentials") from None
