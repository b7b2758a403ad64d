"""The export signing key (EXPORT_SIGNING_KEY): Ed25519 through `cryptography`.

The key is the 32-byte Ed25519 private key in base64 (what `manage.py signing_key` prints)
or a PKCS#8 PEM. Its public half is served at /.well-known/claim-verifier/signing-key.json;
its key id is the first 16 hex digits of the SHA-256 of the raw public key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ALGORITHM = "Ed25519"
HOW_TO = (
    "make one with `manage.py signing_key` and set EXPORT_SIGNING_KEY to the private key "
    "it prints (base64 of the 32-byte Ed25519 key, or a PKCS#8 PEM)"
)


class SigningKeyMissing(ImproperlyConfigured):
    """No EXPORT_SIGNING_KEY: nothing can be signed."""


class SigningKeyInvalid(ImproperlyConfigured):
    """EXPORT_SIGNING_KEY is set to something that is no Ed25519 private key."""


def _b64decode(text: str) -> bytes:
    cleaned = "".join(text.split())
    padded = cleaned + "=" * (-len(cleaned) % 4)
    try:
        return base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError(f"not base64 ({error})") from None


def private_key_from_text(text: str) -> Ed25519PrivateKey:
    """Raises SigningKeyInvalid saying what is wrong with the text."""
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(text.encode(), password=None)
            if not isinstance(key, Ed25519PrivateKey):
                raise ValueError(f"a {type(key).__name__}, not an Ed25519 key")
            return key
        raw = _b64decode(text)
        if len(raw) != 32:
            raise ValueError(f"{len(raw)} bytes once decoded, an Ed25519 key has 32")
        return Ed25519PrivateKey.from_private_bytes(raw)
    except (ValueError, TypeError) as error:
        raise SigningKeyInvalid(f"EXPORT_SIGNING_KEY is not usable: {error}; {HOW_TO}") from None


def public_key_from_text(text: str) -> Ed25519PublicKey:
    """A public key as PEM, base64 of the 32 raw bytes, or the JSON the well-known URL serves
    (its `public_key`). Raises ValueError saying what is wrong."""
    text = text.strip()
    if text.startswith("{"):
        import json

        text = str(json.loads(text).get("public_key", ""))
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_public_key(text.encode())
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError(f"a {type(key).__name__}, not an Ed25519 public key")
        return key
    raw = _b64decode(text)
    if len(raw) != 32:
        raise ValueError(f"{len(raw)} bytes once decoded, an Ed25519 public key has 32")
    return Ed25519PublicKey.from_public_bytes(raw)


@lru_cache(maxsize=4)
def _key_for(text: str) -> Ed25519PrivateKey:
    return private_key_from_text(text)


def signing_key() -> Ed25519PrivateKey:
    """The configured key; raises SigningKeyMissing or SigningKeyInvalid."""
    text = settings.EXPORT_SIGNING_KEY
    if not text:
        raise SigningKeyMissing(f"EXPORT_SIGNING_KEY is not set: {HOW_TO}")
    return _key_for(text)


def raw_public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    return hashlib.sha256(raw_public_bytes(key)).hexdigest()[:16]


def public_key_document() -> dict[str, str]:
    """What the well-known URL serves."""
    public = signing_key().public_key()
    pem = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return {
        "algorithm": ALGORITHM,
        "key_id": key_id(public),
        "public_key": base64.b64encode(raw_public_bytes(public)).decode(),
        "public_key_pem": pem.decode(),
    }


def sign(data: bytes) -> str:
    """The base64 Ed25519 signature of the bytes with the configured key."""
    return base64.b64encode(signing_key().sign(data)).decode()


def signature_valid(public: Ed25519PublicKey, data: bytes, signature_b64: str) -> bool:
    try:
        public.verify(_b64decode(signature_b64), data)
    except (InvalidSignature, ValueError):
        return False
    return True


def new_private_key_text() -> tuple[str, str]:
    """A fresh key: (private key base64, public key base64)."""
    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    public = raw_public_bytes(key.public_key())
    return base64.b64encode(raw).decode(), base64.b64encode(public).decode()
