"""REST clients for the peers notify reads from, with this service's own token.

What an e-mail needs and its event does not carry (the user's address and name, which can
change; the order, for events written before they carried it) is fetched from the service that
owns it, at the moment the e-mail is written.
Every answer is sorted into the two kinds of failure the worker understands:

- transient (`TransientError`): the peer is unreachable, times out, or answers 408/429/5xx;
- permanent (`PermanentError`): 404 (the thing does not exist) or another 4xx (our request is
  wrong, and sending it again will not change that).

The service token (`POST /internal/service-token`, client credentials) is cached until shortly
before it expires and fetched again once if a peer answers 401.
"""

import threading
import time
from dataclasses import dataclass
from typing import Any

import requests

from notify.errors import PermanentError, TransientError
from notify.logging import REQUEST_ID_HEADER, current_request_id

RETRYABLE_STATUSES = frozenset({408, 425, 429})
# Renew a little early so a token never expires between our check and the peer's.
TOKEN_EXPIRY_MARGIN = 30.0


class PeerNotFound(PermanentError):
    """The peer says the thing the event refers to does not exist."""


@dataclass(frozen=True)
class User:
    id: int
    email: str
    name: str


def _headers(extra: dict[str, str] | None = None) -> dict[str, str]:
    headers = {"Accept": "application/json", **(extra or {})}
    request_id = current_request_id()
    if request_id:
        headers[REQUEST_ID_HEADER] = request_id
    return headers


def _raise_for_status(response: requests.Response, what: str) -> None:
    status = response.status_code
    if status < 400:
        return
    if status in RETRYABLE_STATUSES or status >= 500:
        raise TransientError(f"{what} answered {status}")
    if status in (404, 410):
        raise PeerNotFound(f"{what} answered {status}: not found")
    raise PermanentError(f"{what} answered {status}: {response.text[:200]}")


def _json(response: requests.Response, what: str) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError as exc:
        # A 200 that is not JSON is a proxy's error page, not the peer's answer.
        raise TransientError(f"{what} answered with a body that is not JSON") from exc
    if not isinstance(body, dict):
        raise PermanentError(f"{what} answered with JSON that is not an object")
    return body


class ThreadLocalSession:
    """A pooled `requests.Session` per thread, which requests does not promise is thread-safe:
    the worker may run its tasks in threads (`--pool threads`), the web process serves in them."""

    def __init__(self) -> None:
        self._local = threading.local()

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        return self._session().get(url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        return self._session().post(url, **kwargs)


class ServiceTokens:
    """This service's access token for internal endpoints, fetched with client credentials."""

    def __init__(
        self,
        *,
        auth_url: str,
        client_id: str,
        client_secret: str,
        timeout: float,
        session: ThreadLocalSession,
    ) -> None:
        self.url = f"{auth_url}/internal/service-token"
        self.client_id = client_id
        self.client_secret = client_secret
        self.timeout = timeout
        self.session = session
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = threading.Lock()

    def get(self) -> str:
        with self._lock:
            if self._token is None or time.monotonic() >= self._expires_at:
                self._token, lifetime = self._fetch()
                self._expires_at = time.monotonic() + max(lifetime - TOKEN_EXPIRY_MARGIN, 0.0)
            return self._token

    def invalidate(self) -> None:
        with self._lock:
            self._token = None

    def _fetch(self) -> tuple[str, float]:
        what = "auth POST /internal/service-token"
        try:
            response = self.session.post(
                self.url,
                json={"client_id": self.client_id, "client_secret": self.client_secret},
                headers=_headers(),
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise TransientError(f"{what} failed: {exc}") from exc
        _raise_for_status(response, what)
        body = _json(response, what)
        token, lifetime = body.get("access_token"), body.get("expires_in", 60)
        if not isinstance(token, str) or not isinstance(lifetime, int | float):
            raise PermanentError(f"{what} answered without access_token/expires_in")
        return token, float(lifetime)


class Peer:
    """One internal REST API (auth or orders), called with the service token."""

    def __init__(
        self,
        *,
        name: str,
        base_url: str,
        tokens: ServiceTokens,
        timeout: float,
        session: ThreadLocalSession,
    ) -> None:
        self.name = name
        self.base_url = base_url
        self.tokens = tokens
        self.timeout = timeout
        self.session = session

    def get_json(self, path: str) -> dict[str, Any]:
        what = f"{self.name} GET {path}"
        for attempt in (1, 2):
            headers = _headers({"Authorization": f"Bearer {self.tokens.get()}"})
            try:
                response = self.session.get(
                    f"{self.base_url}{path}", headers=headers, timeout=self.timeout
                )
            except requests.RequestException as exc:
                raise TransientError(f"{what} failed: {exc}") from exc
            if response.status_code == 401 and attempt == 1:
                # Our cached token may have been issued under a key that was since rotated out.
                self.tokens.invalidate()
                continue
            break
        _raise_for_status(response, what)
        return _json(response, what)


class Peers:
    """The peers one process reads from, sharing one service token and, per thread, one HTTP
    session."""

    def __init__(
        self,
        *,
        auth_url: str,
        orders_url: str,
        client_id: str,
        client_secret: str,
        timeout: float,
    ) -> None:
        self.session = ThreadLocalSession()
        self.tokens = ServiceTokens(
            auth_url=auth_url,
            client_id=client_id,
            client_secret=client_secret,
            timeout=timeout,
            session=self.session,
        )
        self.auth = Peer(
            name="auth",
            base_url=auth_url,
            tokens=self.tokens,
            timeout=timeout,
            session=self.session,
        )
        self.orders = Peer(
            name="orders",
            base_url=orders_url,
            tokens=self.tokens,
            timeout=timeout,
            session=self.session,
        )

    def user(self, user_id: int) -> User:
        """The user's current e-mail address and name, from auth."""
        body = self.auth.get_json(f"/internal/users/{user_id}")
        email, name = body.get("email"), body.get("name")
        if body.get("id") != user_id or not isinstance(email, str) or not isinstance(name, str):
            raise PermanentError(f"auth answered an unexpected user for id {user_id}")
        return User(id=user_id, email=email, name=name)

    def order(self, order_id: str) -> dict[str, Any]:
        """The order as orders-django serves it (`GET /internal/orders/<id>/`)."""
        body = self.orders.get_json(f"/internal/orders/{order_id}/")
        if str(body.get("id")) != order_id or not isinstance(body.get("number"), str):
            raise PermanentError(f"orders answered an unexpected order for id {order_id}")
        return body
