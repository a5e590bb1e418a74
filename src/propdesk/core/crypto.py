"""Encryption at rest of personal data (PIPL): ID document numbers, and the secrets a message carries.

One secret, `settings.PROPDESK_DATA_KEY`, yields three independent keys through HKDF-SHA256:

* an AES-256-GCM key that encrypts the number (a random 96-bit nonce per value), stored as
  ``v1:<urlsafe base64 of nonce + ciphertext + tag>``;
* an HMAC-SHA256 key for the *blind index*: a keyed hash of the normalised number, stored in an
  indexed column, so a customer can be found by the exact full number and by nothing less;
* an AES-256-GCM key that seals the secrets of an outgoing message (a sign-in code, a survey link's
  token) between its creation and its delivery (`seal()` / `unseal()`, used by notify).

Without the secret neither the numbers nor their hashes can be read or recomputed; with a
different secret `decrypt()` fails with `DataKeyError` rather than returning garbage.
"""

import base64
import hashlib
import hmac
import os
import re
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_SETTING = "PROPDESK_DATA_KEY"
MIN_KEY_LENGTH = 32
GENERATE_HINT = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'
_VERSION = "v1"
_NONCE_BYTES = 12
_WHITESPACE = re.compile(r"\s+")


class DataKeyError(Exception):
    """A stored value cannot be decrypted: another data key was used, or the value is damaged."""


def key_problem(secret: str | None) -> str | None:
    """Why `secret` is not usable as the data key (an operator-facing sentence), or None when it is."""
    if not secret or len(secret) < MIN_KEY_LENGTH:
        return (f"{KEY_SETTING} must be set to a random string of at least {MIN_KEY_LENGTH} characters; "
                f"generate one with: {GENERATE_HINT} — and keep a copy apart from the database backups: "
                "the ID numbers cannot be read without it.")
    return None


def normalise_id_number(value: str | None) -> str:
    """The canonical form that is encrypted and hashed: no whitespace, upper case (…123x -> …123X)."""
    return _WHITESPACE.sub("", value or "").upper()


@lru_cache(maxsize=4)
def _derived_keys(secret: str) -> tuple[bytes, bytes, bytes]:
    problem = key_problem(secret)
    if problem:
        raise ImproperlyConfigured(problem)

    def derive(purpose: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"propdesk-data-key",
                    info=purpose).derive(secret.encode())

    return (derive(b"propdesk id-number encryption v1"), derive(b"propdesk id-number blind index v1"),
            derive(b"propdesk message secrets v1"))


def _keys() -> tuple[bytes, bytes, bytes]:
    return _derived_keys(getattr(settings, KEY_SETTING, "") or "")


def encrypt(plaintext: str) -> str:
    """Encrypt a (non-empty) text; every call gives a different token."""
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(_keys()[0]).encrypt(nonce, plaintext.encode(), _VERSION.encode())
    return f"{_VERSION}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def decrypt(token: str) -> str:
    """The text `encrypt()` sealed into `token`; DataKeyError if this data key cannot open it."""
    version, _sep, body = token.partition(":")
    if version != _VERSION or not body:
        raise DataKeyError("The stored ID number is not in a known encrypted format.")
    try:
        raw = base64.urlsafe_b64decode(body.encode())
        return AESGCM(_keys()[0]).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _VERSION.encode()).decode()
    except (InvalidTag, ValueError) as exc:
        raise DataKeyError(
            f"The stored ID number cannot be decrypted: {KEY_SETTING} is not the key it was encrypted "
            "with, or the stored value is damaged."
        ) from exc


def blind_index(value: str) -> str:
    """HMAC-SHA256 (hex) of the normalised value: equal numbers give equal hashes, nothing else does."""
    normalised = normalise_id_number(value)
    if not normalised:
        return ""
    return hmac.new(_keys()[1], normalised.encode(), hashlib.sha256).hexdigest()


def seal(plaintext: str) -> str:
    """Seal a message's secrets (their own key, not the ID numbers'); every call gives a different token."""
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(_keys()[2]).encrypt(nonce, plaintext.encode(), b"secret-" + _VERSION.encode())
    return f"{_VERSION}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def unseal(token: str) -> str:
    """The text `seal()` sealed into `token`; DataKeyError if it cannot be opened with this data key."""
    _version, _sep, body = token.partition(":")
    try:
        raw = base64.urlsafe_b64decode(body.encode())
        return AESGCM(_keys()[2]).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:],
                                          b"secret-" + _VERSION.encode()).decode()
    except (InvalidTag, ValueError) as exc:
        raise DataKeyError("A message's sealed secret cannot be opened with this data key.") from exc
