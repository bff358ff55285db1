"""REST clients for the services orders-django calls: auth (service tokens) and catalog.

Every call has a timeout, carries the current X-Request-ID, and fails with one of a few clear
exceptions: `UpstreamUnavailableError` (connection refused, timeout, 5xx, an answer that makes
no sense) becomes a 503 `service_unavailable`; `OutOfStockError` is the catalog's 409.
"""

import logging
import threading
import time
from decimal import Decimal, InvalidOperation
from typing import Any

import requests
from django.conf import settings

from shopcore import request_id
from shopcore.exceptions import ServiceUnavailableError

logger = logging.getLogger(__name__)

# A service token is renewed this long before it expires, so it never expires in flight.
TOKEN_RENEW_MARGIN_SECONDS = 30


class UpstreamUnavailableError(ServiceUnavailableError):
    def __init__(self, service: str, reason: str) -> None:
        super().__init__(
            f"The {service} service is unavailable. Please try again shortly.",
            details={"service": service},
        )
        self.service = service
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.service} unavailable: {self.reason}"


class OutOfStockError(Exception):
    """The catalog could not reserve every line; nothing was reserved."""

    def __init__(self, lines: list[dict[str, Any]]) -> None:
        super().__init__("out of stock")
        self.lines = lines


class ReservationRejectedError(Exception):
    """The catalog refused the lines themselves (400), e.g. a product id it does not know."""

    def __init__(self, details: dict[str, Any]) -> None:
        super().__init__("reservation rejected")
        self.details = details


class ReservationConflictError(Exception):
    """The catalog refused a state change of a reservation (e.g. commit after release)."""


_local = threading.local()


def _session() -> requests.Session:
    # One pooled session per thread: requests does not promise Session is thread-safe.
    session = getattr(_local, "session", None)
    if session is None:
        session = requests.Session()
        _local.session = session
    return session


def _headers(token: str | None = None) -> dict[str, str]:
    headers = {"Accept": "application/json", **request_id.outgoing_headers()}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


def _timeout() -> tuple[float, float]:
    timeout = settings.UPSTREAM_TIMEOUT_SECONDS
    return (min(timeout, 2.0), timeout)


def _call(service: str, method: str, url: str, **kwargs: Any) -> requests.Response:
    try:
        response = _session().request(method, url, timeout=_timeout(), **kwargs)
    except requests.RequestException as exc:
        logger.warning(
            "upstream call failed", extra={"service": service, "url": url, "error": str(exc)}
        )
        raise UpstreamUnavailableError(service, exc.__class__.__name__) from exc
    if response.status_code >= 500:
        logger.warning(
            "upstream answered an error",
            extra={"service": service, "url": url, "status": response.status_code},
        )
        raise UpstreamUnavailableError(service, f"HTTP {response.status_code}")
    return response


def _json(service: str, response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise UpstreamUnavailableError(service, "answer is not JSON") from exc


class ServiceTokenCache:
    """This service's own token from auth-flask, fetched on first use and renewed before expiry."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._token: str | None = None
        self._renew_at = 0.0

    def get(self) -> str:
        with self._lock:
            if self._token is None or time.monotonic() >= self._renew_at:
                self._token, lifetime = self._fetch()
                self._renew_at = time.monotonic() + max(
                    lifetime - TOKEN_RENEW_MARGIN_SECONDS, lifetime / 2
                )
            return self._token

    def invalidate(self) -> None:
        with self._lock:
            self._token = None

    def _fetch(self) -> tuple[str, float]:
        response = _call(
            "auth",
            "POST",
            f"{settings.AUTH_INTERNAL_URL}/internal/service-token",
            json={
                "client_id": settings.SERVICE_CLIENT_ID,
                "client_secret": settings.SERVICE_CLIENT_SECRET,
            },
            headers=_headers(),
        )
        if response.status_code != 200:
            # A refused client id or secret is a deployment mistake; callers still only see 503.
            logger.error(
                "service token refused",
                extra={"status": response.status_code, "client_id": settings.SERVICE_CLIENT_ID},
            )
            raise UpstreamUnavailableError("auth", f"service token refused: {response.status_code}")
        body = _json("auth", response)
        try:
            return str(body["access_token"]), float(body.get("expires_in", 300))
        except (KeyError, TypeError, ValueError) as exc:
            raise UpstreamUnavailableError("auth", "unexpected service token answer") from exc


service_token = ServiceTokenCache()


class CatalogClient:
    service = "catalog"

    def products(self, product_ids: list[int]) -> dict[int, dict[str, Any]]:
        """Current public data of these products, by id; missing or inactive ones are absent."""
        if not product_ids:
            return {}
        ids = ",".join(str(product_id) for product_id in sorted(set(product_ids)))
        response = _call(
            self.service,
            "GET",
            f"{settings.CATALOG_URL}/api/catalog/products/",
            params={"ids": ids, "page_size": 100},
            headers=_headers(),
        )
        if response.status_code != 200:
            raise UpstreamUnavailableError(
                self.service, f"product list HTTP {response.status_code}"
            )
        body = _json(self.service, response)
        try:
            products = {int(item["id"]): item for item in body["results"]}
            for item in products.values():
                item["price"] = Decimal(str(item["price"]))
        except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
            raise UpstreamUnavailableError(self.service, "unexpected product list") from exc
        return products

    def reservation_create(
        self, *, order_id: str, lines: list[dict[str, int]], ttl_seconds: int
    ) -> dict[str, Any]:
        """Reserve every line or nothing; the same order id again returns the same reservation."""
        response = self._internal(
            "POST",
            "/internal/reservations/",
            json={"order_id": order_id, "lines": lines, "ttl_seconds": ttl_seconds},
        )
        if response.status_code in (400, 409):
            error = _json(self.service, response).get("error") or {}
            if response.status_code == 409 and error.get("code") == "out_of_stock":
                raise OutOfStockError((error.get("details") or {}).get("lines") or [])
            if response.status_code == 400:
                raise ReservationRejectedError(error.get("details") or {})
        if response.status_code not in (200, 201):
            raise UpstreamUnavailableError(self.service, f"reservation HTTP {response.status_code}")
        return _json(self.service, response)

    def reservation_release(self, *, order_id: str) -> dict[str, Any]:
        return self._reservation_action(order_id, "release")

    def reservation_commit(self, *, order_id: str) -> dict[str, Any]:
        return self._reservation_action(order_id, "commit")

    def _reservation_action(self, order_id: str, action: str) -> dict[str, Any]:
        response = self._internal("POST", f"/internal/reservations/{order_id}/{action}/")
        if response.status_code == 409:
            raise ReservationConflictError(f"{action} refused for reservation {order_id}")
        if response.status_code != 200:
            raise UpstreamUnavailableError(self.service, f"{action} HTTP {response.status_code}")
        return _json(self.service, response)

    def _internal(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        url = f"{settings.CATALOG_URL}{path}"
        response = _call(self.service, method, url, headers=_headers(service_token.get()), **kwargs)
        if response.status_code == 401:
            # The cached token may have been issued under a key that has since been rotated out.
            service_token.invalidate()
            response = _call(
                self.service, method, url, headers=_headers(service_token.get()), **kwargs
            )
        if response.status_code in (401, 403):
            logger.error(
                "catalog refused our service token", extra={"status": response.status_code}
            )
            raise UpstreamUnavailableError(self.service, f"HTTP {response.status_code}")
        return response


catalog = CatalogClient()
