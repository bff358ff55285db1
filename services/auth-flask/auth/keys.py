"""RSA signing keys: loading, key ids, the JWKS document, generation and rotation.

The current key signs every token. After a rotation the old key becomes the previous key: it no
longer signs, but it is still published in the JWKS so tokens it signed keep verifying until they
expire. Each worker notices a rotated key file by its `stat()` and reloads it, so
`flask --app auth keys rotate` needs no restart.
"""

import base64
import hashlib
import json
import logging
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

MIN_RSA_BITS = 2048
SIGNING_ALGORITHM = "RS256"

logger = logging.getLogger(__name__)


class KeyFileError(RuntimeError):
    """A key file is missing, unreadable or not an RSA key of at least MIN_RSA_BITS."""


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def public_jwk_members(public_key: rsa.RSAPublicKey) -> dict[str, str]:
    """The required members of an RSA public JWK (RFC 7517/7518)."""
    numbers = public_key.public_numbers()
    return {"e": _b64url_uint(numbers.e), "kty": "RSA", "n": _b64url_uint(numbers.n)}


def jwk_thumbprint(public_key: rsa.RSAPublicKey) -> str:
    """RFC 7638 thumbprint: SHA-256 of the required members, sorted, without whitespace."""
    canonical = json.dumps(public_jwk_members(public_key), sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode("utf-8")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: rsa.RSAPrivateKey

    @classmethod
    def from_private_key(cls, private_key: rsa.RSAPrivateKey) -> "SigningKey":
        return cls(kid=jwk_thumbprint(private_key.public_key()), private_key=private_key)

    @property
    def public_key(self) -> rsa.RSAPublicKey:
        return self.private_key.public_key()

    def public_jwk(self) -> dict[str, str]:
        return {
            **public_jwk_members(self.public_key),
            "kid": self.kid,
            "use": "sig",
            "alg": SIGNING_ALGORITHM,
        }


def load_private_key(path: str | Path) -> rsa.RSAPrivateKey:
    try:
        pem = Path(path).read_bytes()
    except OSError as exc:
        raise KeyFileError(f"cannot read the key file {path}: {exc.strerror}") from exc
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise KeyFileError(f"{path} is not an unencrypted PEM private key") from exc
    if not isinstance(key, rsa.RSAPrivateKey):
        raise KeyFileError(f"{path} is not an RSA key")
    if key.key_size < MIN_RSA_BITS:
        raise KeyFileError(f"{path} holds a {key.key_size}-bit key; at least {MIN_RSA_BITS} needed")
    return key


def generate_private_key(*, bits: int = MIN_RSA_BITS) -> rsa.RSAPrivateKey:
    if bits < MIN_RSA_BITS:
        raise ValueError(f"RSA keys need at least {MIN_RSA_BITS} bits")
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def private_key_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )


def write_key_file(path: str | Path, pem: bytes) -> None:
    """Write owner-readable only, and atomically: a reader sees the old file or the new one."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def rotate_key_files(
    *, current_path: str | Path, previous_path: str | Path, bits: int = MIN_RSA_BITS
) -> tuple[str, str]:
    """Move the current key to the previous file and write a new current key.

    The previous file is written first, so a worker reloading in between publishes the old key
    twice at worst, never loses it. Returns the old and the new key id.
    """
    old = load_private_key(current_path)
    new = generate_private_key(bits=bits)
    write_key_file(previous_path, private_key_pem(old))
    write_key_file(current_path, private_key_pem(new))
    return jwk_thumbprint(old.public_key()), jwk_thumbprint(new.public_key())


def _file_signature(path: str | None) -> tuple[int, int, int] | None:
    if path is None:
        return None
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


class KeyRing:
    """The current signing key and the previous one, reloaded when their files change.

    Checking costs two `stat()` calls per use; the files are parsed again only when one of them
    was replaced. A missing previous file simply means there is no previous key yet.
    """

    def __init__(self, *, current_path: str, previous_path: str | None) -> None:
        self.current_path = current_path
        self.previous_path = previous_path
        self._lock = threading.Lock()
        self._signature: object = object()  # matches no real signature: load on first use
        self._current: SigningKey | None = None
        self._previous: SigningKey | None = None

    def _refresh(self) -> None:
        signature = (_file_signature(self.current_path), _file_signature(self.previous_path))
        if signature == self._signature:
            return
        with self._lock:
            if signature == self._signature:
                return
            try:
                current = SigningKey.from_private_key(load_private_key(self.current_path))
                previous = None
                if signature[1] is not None:
                    assert self.previous_path is not None
                    previous = SigningKey.from_private_key(load_private_key(self.previous_path))
            except KeyFileError:
                if self._current is None:
                    raise
                # Serving on with the keys already loaded beats failing every request.
                logger.exception("Reloading the signing keys failed; keeping the loaded keys")
                self._signature = signature
                return
            if self._current is not None and current.kid != self._current.kid:
                logger.info("Signing key changed", extra={"kid": current.kid})
            self._current = current
            self._previous = previous if previous and previous.kid != current.kid else None
            self._signature = signature

    def load(self) -> None:
        """Load the keys now, raising KeyFileError when the current key is unusable."""
        self._refresh()

    def current(self) -> SigningKey:
        self._refresh()
        assert self._current is not None
        return self._current

    def find(self, kid: str) -> SigningKey | None:
        """The key with this id, if it is the current or the previous one."""
        self._refresh()
        for key in (self._current, self._previous):
            if key is not None and key.kid == kid:
                return key
        return None

    def jwks(self) -> dict[str, Any]:
        self._refresh()
        keys = [key.public_jwk() for key in (self._current, self._previous) if key is not None]
        return {"keys": keys}
