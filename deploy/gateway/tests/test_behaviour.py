"""What a client sees at the gateway, with a recording upstream behind it."""

import re
import uuid

import requests
from conftest import Gateway, Upstream

HEX_ID = re.compile(r"^[0-9a-f]{32}$")


def unique(path: str) -> str:
    """A path no other test (or nginx binary) has used, so cache state starts empty."""
    return f"{path}?t={uuid.uuid4().hex}"


def assert_error(response: requests.Response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    assert body["error"]["details"]["request_id"] == response.headers["X-Request-ID"]
    return body


def request_ids(response: requests.Response) -> list[str]:
    return response.raw.headers.getlist("X-Request-ID")


# --- routing ------------------------------------------------------------------------------------


def test_api_paths_reach_the_service_unchanged(gw: Gateway, upstream: Upstream, http) -> None:
    path = unique("/api/catalog/products/")

    response = http.get(gw.url + path, headers={"Authorization": "Bearer x"})

    assert response.status_code == 200
    assert response.json()["path"] == path


def test_health_endpoints_map_to_the_service_root(gw: Gateway, http) -> None:
    for prefix in ("/api/auth", "/api/catalog"):
        for probe in ("healthz", "readyz"):
            response = http.get(f"{gw.url}{prefix}/{probe}")

            assert response.json()["path"] == f"/{probe}"


def test_jwks_is_served_by_auth(gw: Gateway, http) -> None:
    response = http.get(gw.url + "/.well-known/jwks.json")

    assert response.json()["path"] == "/.well-known/jwks.json"


def test_internal_endpoints_are_never_routed(gw: Gateway, upstream: Upstream, http) -> None:
    before = len(upstream.seen)
    for path in (
        "/internal/reservations/",
        "/internal",
        "/api/catalog/..%2F..%2Finternal/reservations/",
        "/api/catalog/../../internal/users/1",
        "//internal/service-token",
    ):
        response = http.post(gw.url + path, json={})

        assert_error(response, 404, "not_found")
    assert len(upstream.seen) == before


def test_unknown_api_paths_are_json_404(gw: Gateway, http) -> None:
    for path in ("/api/", "/api", "/api/payments/", "/api/catalogue/products/"):
        assert_error(http.get(gw.url + path), 404, "not_found")


def test_a_stopped_service_is_a_json_502(gw: Gateway, http) -> None:
    response = http.get(gw.url + "/api/orders/")

    assert_error(response, 502, "bad_gateway")


def test_method_not_allowed_at_the_gateway_is_json(gw: Gateway, http) -> None:
    assert_error(http.post(gw.url + "/", data="x"), 405, "method_not_allowed")


def test_the_client_host_and_address_are_passed_on(gw: Gateway, http) -> None:
    response = http.get(gw.url + "/api/auth/me")

    headers = response.json()["headers"]
    assert headers["Host"] == gw.url.removeprefix("http://")
    assert headers["X-Forwarded-For"] == "127.0.0.1"
    assert headers["X-Forwarded-Proto"] == "http"


# --- request ids --------------------------------------------------------------------------------


def test_a_request_id_is_made_when_the_client_sends_none(gw: Gateway, http) -> None:
    response = http.get(gw.url + "/api/auth/me")

    assert request_ids(response) == [response.json()["headers"]["X-Request-ID"]]
    assert HEX_ID.match(request_ids(response)[0])


def test_a_sane_client_request_id_is_kept_and_passed_on(gw: Gateway, http) -> None:
    response = http.get(gw.url + "/api/auth/me", headers={"X-Request-ID": "client-42.abc:x_y"})

    assert request_ids(response) == ["client-42.abc:x_y"]
    assert response.json()["headers"]["X-Request-ID"] == "client-42.abc:x_y"


def test_a_malicious_request_id_is_replaced(gw: Gateway, http) -> None:
    for hostile in ('x" onload="alert(1)', "a b", "../etc/passwd;rm", "x" * 129, "é"):
        response = http.get(
            gw.url + "/api/auth/me", headers={"X-Request-ID": hostile.encode().decode("latin-1")}
        )

        assert HEX_ID.match(request_ids(response)[0]), hostile
        assert response.json()["headers"]["X-Request-ID"] == request_ids(response)[0]


def test_gateway_errors_carry_the_request_id(gw: Gateway, http) -> None:
    response = http.get(gw.url + "/internal/x", headers={"X-Request-ID": "trace-me-123"})

    assert request_ids(response) == ["trace-me-123"]
    assert response.json()["error"]["details"]["request_id"] == "trace-me-123"


# --- microcache ---------------------------------------------------------------------------------


def test_anonymous_catalog_reads_are_cached(gw: Gateway, upstream: Upstream, http) -> None:
    path = unique("/api/catalog/products/")

    first = http.get(gw.url + path)
    second = http.get(gw.url + path)

    assert first.headers["X-Cache-Status"] == "MISS"
    assert second.headers["X-Cache-Status"] == "HIT"
    assert upstream.hits[path] == 1
    assert request_ids(second) != request_ids(first)


def test_credentials_bypass_the_cache(gw: Gateway, upstream: Upstream, http) -> None:
    path = unique("/api/catalog/products/")
    http.get(gw.url + path)

    with_token = http.get(gw.url + path, headers={"Authorization": "Bearer token"})
    with_cookie = http.get(gw.url + path, headers={"Cookie": "catalog_session=abc"})

    assert with_token.headers["X-Cache-Status"] == "BYPASS"
    assert with_cookie.headers["X-Cache-Status"] == "BYPASS"
    assert upstream.hits[path] == 3


def test_the_catalog_can_forbid_caching(gw: Gateway, upstream: Upstream, http) -> None:
    path = unique("/api/catalog/private/")

    http.get(gw.url + path)
    http.get(gw.url + path)

    assert upstream.hits[path] == 2


def test_admin_reads_are_never_cached(gw: Gateway, upstream: Upstream, http) -> None:
    path = unique("/api/catalog/admin/products/")

    first = http.get(gw.url + path)
    http.get(gw.url + path)

    assert "X-Cache-Status" not in first.headers
    assert upstream.hits[path] == 2


def test_revalidation_answers_304_from_the_cache(gw: Gateway, http) -> None:
    path = unique("/api/catalog/products/")
    etag = http.get(gw.url + path).headers["ETag"]

    response = http.get(gw.url + path, headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response.headers["X-Cache-Status"] == "HIT"


# --- limits -------------------------------------------------------------------------------------


def test_oversized_bodies_are_refused_with_json_413(gw: Gateway, upstream: Upstream, http) -> None:
    before = len(upstream.seen)

    response = http.post(
        gw.url + "/api/auth/register",
        data=b"x" * (2 * 1024 * 1024),
        headers={"Content-Type": "application/json"},
    )

    assert_error(response, 413, "payload_too_large")
    assert len(upstream.seen) == before


def test_login_is_rate_limited_per_address_with_json_429(gw: Gateway, http) -> None:
    statuses = []
    for _ in range(15):
        response = http.post(gw.url + "/api/auth/login", json={})
        statuses.append(response.status_code)

    assert statuses[:11] == [200] * 11  # the burst passes untouched
    assert_error(response, 429, "rate_limited")
    assert int(response.headers["Retry-After"]) > 0


def test_a_service_429_keeps_its_own_retry_after(gw: Gateway, http) -> None:
    response = http.get(gw.url + "/api/auth/throttled")

    assert response.status_code == 429
    assert response.raw.headers.getlist("Retry-After") == ["60"]


def test_other_auth_endpoints_are_not_login_limited(gw: Gateway, http) -> None:
    statuses = {http.get(gw.url + "/api/auth/me").status_code for _ in range(20)}

    assert statuses == {200}


# --- the SPA ------------------------------------------------------------------------------------


def test_client_side_routes_get_index_html_without_caching(gw: Gateway, http) -> None:
    for path in ("/", "/products/some-slug", "/account/orders/42"):
        response = http.get(gw.url + path)

        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("text/html")
        assert "<title>shop</title>" in response.text
        assert response.headers["Cache-Control"] == "no-cache"


def test_hashed_assets_are_cached_for_long(gw: Gateway, http) -> None:
    response = http.get(gw.url + "/assets/index-3f9a1c.js")

    assert response.status_code == 200
    assert "immutable" in response.headers["Cache-Control"]
    assert "max-age=31536000" in response.headers["Cache-Control"]


def test_a_missing_asset_is_404_not_index_html(gw: Gateway, http) -> None:
    assert_error(http.get(gw.url + "/assets/gone-123.js"), 404, "not_found")


# --- headers ------------------------------------------------------------------------------------


def test_security_headers_on_pages_apis_and_errors(gw: Gateway, http) -> None:
    for path in ("/", "/api/auth/me", "/api/nothing", "/api/orders/"):
        response = http.get(gw.url + path)
        headers = response.headers

        for name in ("X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"):
            assert len(response.raw.headers.getlist(name)) == 1, name

        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "camera=()" in headers["Permissions-Policy"]
        # Plain HTTP: HSTS would be ignored by browsers and is not sent.
        assert "Strict-Transport-Security" not in headers
        assert "nginx/" not in headers.get("Server", "")


def test_json_is_compressed(gw: Gateway, http) -> None:
    response = http.get(gw.url + "/api/auth/me", headers={"Accept-Encoding": "gzip"})

    assert response.headers["Content-Encoding"] == "gzip"


def test_the_cache_keeps_host_names_apart(gw: Gateway, upstream: Upstream, http) -> None:
    path = unique("/api/catalog/products/")

    http.get(gw.url + path)
    other_host = http.get(gw.url + path, headers={"Host": "shop.example"})

    assert other_host.headers["X-Cache-Status"] == "MISS"
    assert upstream.hits[path] == 2
