"""Test support for services built on shopcore: real keys, a real JWKS endpoint, JSON log lines.

A service's tests sign tokens with a key made for the run and publish its public half over
HTTP on a free port, the way auth-flask does; pointing AUTH_JWKS_URL there makes token
verification run exactly as in production (PyJWKClient, RS256, issuer and audiences pinned),
with nothing patched out. Only the standard library and the package's own dependencies are
imported here, never pytest.
"""

import base64
import io
import json
import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from shopcore.logging import JsonFormatter, RequestIdFilter


@dataclass
class SigningKey:
    """An RSA key with the `kid` a JWKS publishes it under."""

    kid: str
    private_key: rsa.RSAPrivateKey

    @classmethod
    def generate(cls) -> "SigningKey":
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return cls(kid=uuid.uuid4().hex[:16], private_key=key)

    def public_jwk(self) -> dict[str, Any]:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.private_key.public_key()))
        return {**jwk, "kid": self.kid, "use": "sig", "alg": "RS256"}

    def sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode(claims, self.private_key, algorithm="RS256", headers={"kid": self.kid})


@dataclass
class JwksServer:
    """A JWKS endpoint like auth-flask's, publishing the keys a test wants.

    `requests` counts the fetches (to see the key cache at work); `available = False` makes it
    answer 503, as an auth service that is down would.
    """

    keys: list[dict[str, Any]] = field(default_factory=list)
    requests: int = 0
    available: bool = True
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the server first"
        return f"http://127.0.0.1:{self._server.server_address[1]}/.well-known/jwks.json"

    def start(self) -> "JwksServer":
        jwks = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                jwks.requests += 1
                if not jwks.available:
                    self.send_response(503)
                    self.end_headers()
                    return
                body = json.dumps({"keys": jwks.keys}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()


def unsigned_token(header: dict[str, Any], payload: dict[str, Any], signature: bytes = b"") -> str:
    """A token put together by hand, for the forgeries PyJWT refuses to make."""

    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    return ".".join(
        [part(json.dumps(header).encode()), part(json.dumps(payload).encode()), part(signature)]
    )


@contextmanager
def captured_json_logs() -> Iterator[Callable[[], list[dict[str, Any]]]]:
    """The JSON lines logged inside the block, as the production handler writes them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
