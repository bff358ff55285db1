"""The gateway in front of the real services: caching, routing, errors, limits and headers."""

import re
import time
import uuid

import pytest
import requests
from conftest import Stack
from support import Client, Customer, assert_json_error

HEX_ID = re.compile(r"^[0-9a-f]{32}$")


def request_ids(response: requests.Response) -> list[str]:
    return response.raw.headers.getlist("X-Request-ID")


# --- the microcache -----------------------------------------------------------------------------


def test_a_repeated_anonymous_catalog_read_is_a_cache_hit(client: Client) -> None:
    params = {"page_size": 17, "page": 2, "ordering": "-price"}

    first = client.get("/api/catalog/products/", params=params)
    second = client.get("/api/catalog/products/", params=params)

    assert first.headers["X-Cache-Status"] in {"MISS", "EXPIRED"}
    assert second.headers["X-Cache-Status"] == "HIT"
    assert second.json() == first.json()
    assert "public" in first.headers["Cache-Control"]
    assert request_ids(second) != request_ids(first)  # each request keeps its own id


def test_a_signed_in_read_bypasses_the_cache(register) -> None:
    customer: Customer = register()
    params = {"page_size": 13, "ordering": "name"}
    customer.client.get("/api/catalog/products/", params=params)

    response = customer.client.get("/api/catalog/products/", params=params, headers=customer.auth)

    assert response.status_code == 200
    assert response.headers["X-Cache-Status"] == "BYPASS"
    assert "private" in response.headers["Cache-Control"]


def test_revalidation_through_the_gateway_answers_304(client: Client) -> None:
    params = {"page_size": 11, "ordering": "newest"}
    first = client.get("/api/catalog/products/", params=params)
    etag = first.headers["ETag"]

    revalidated = client.get(
        "/api/catalog/products/", params=params, headers={"If-None-Match": etag}
    )

    assert revalidated.status_code == 304
    assert revalidated.content == b""


def test_product_images_are_cached_for_a_day(client: Client) -> None:
    product = client.get("/api/catalog/products/", params={"page_size": 1}).json()["results"][0]
    image = product["image"]

    first = client.get(image)
    second = client.get(image)

    assert first.status_code == 200
    assert first.headers["Content-Type"].startswith("image/svg+xml")
    assert first.content.lstrip().startswith(b"<svg") or b"<svg" in first.content[:200]
    max_age = int(re.search(r"max-age=(\d+)", first.headers["Cache-Control"]).group(1))
    assert max_age >= 86400
    assert second.headers["X-Cache-Status"] == "HIT"


def test_json_answers_are_compressed(client: Client) -> None:
    response = client.get("/api/catalog/products/", headers={"Accept-Encoding": "gzip"})

    assert response.headers["Content-Encoding"] == "gzip"
    assert response.json()["count"] >= 200


# --- routing ------------------------------------------------------------------------------------


def test_health_and_readiness_of_each_service(client: Client) -> None:
    for prefix in ("/api/auth", "/api/catalog", "/api/orders", "/api/notifications"):
        assert client.get(f"{prefix}/healthz").json() == {"status": "ok"}
        ready = client.get(f"{prefix}/readyz")
        assert ready.status_code == 200
        assert ready.json()["status"] == "ready"


def test_the_signing_keys_are_published_at_the_root(client: Client) -> None:
    keys = client.get("/.well-known/jwks.json").json()["keys"]

    assert keys
    assert all(key["kty"] == "RSA" and key["kid"] for key in keys)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/internal/service-token"),
        ("GET", "/internal/users/1"),
        ("POST", "/internal/reservations/"),
        ("GET", "/api/catalog/..%2F..%2Finternal/reservations/x/"),
        ("GET", "//internal/users/1"),
    ],
)
def test_internal_endpoints_are_not_reachable(client: Client, method: str, path: str) -> None:
    response = client.request(method, path, json={"client_id": "catalog", "client_secret": "x"})

    assert_json_error(response, 404, "not_found")


def test_an_unknown_api_path_is_a_json_404(client: Client) -> None:
    for path in ("/api/payments/", "/api/", "/api/catalogue/products/"):
        assert_json_error(client.get(path), 404, "not_found")


def test_a_service_that_is_not_running_is_a_json_502(stack: Stack, client: Client) -> None:
    with stack.stopped("catalog"):
        for path in ("/api/catalog/categories/", "/api/catalog/readyz", "/api/catalog/nothing/"):
            error = assert_json_error(client.get(path), 502, "bad_gateway")
            assert error["details"]["request_id"]

    assert client.get("/api/catalog/categories/").status_code == 200


# --- request ids --------------------------------------------------------------------------------


def test_a_request_id_is_assigned_when_absent(client: Client) -> None:
    response = client.get("/api/catalog/categories/")

    assert len(request_ids(response)) == 1
    assert HEX_ID.match(request_ids(response)[0])


def test_a_sane_request_id_is_kept_and_reaches_the_service_logs(
    stack: Stack, client: Client
) -> None:
    request_id = f"e2e-{uuid.uuid4().hex}"

    response = client.get(
        "/api/catalog/products/", params={"q": "lamp"}, headers={"X-Request-ID": request_id}
    )

    assert request_ids(response) == [request_id]
    deadline = time.monotonic() + 10
    while True:
        service_lines = [
            line
            for line in stack.output().splitlines()
            if request_id in line and "gateway.access" not in line
        ]
        if service_lines or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert service_lines, "catalog-django logged no line with the gateway's request id"


def test_a_malicious_request_id_is_replaced(client: Client) -> None:
    for hostile in ('a"}, {"admin": true', "x" * 200, "line\tbreak", "<script>"):
        response = client.get("/api/catalog/categories/", headers={"X-Request-ID": hostile})

        assert request_ids(response) != [hostile]
        assert HEX_ID.match(request_ids(response)[0])


def test_gateway_errors_carry_the_request_id(client: Client) -> None:
    response = client.get("/api/nothing-here/", headers={"X-Request-ID": "trace-404-e2e"})

    error = assert_json_error(response, 404, "not_found")
    assert error["details"]["request_id"] == "trace-404-e2e"
    assert request_ids(response) == ["trace-404-e2e"]


# --- limits -------------------------------------------------------------------------------------


def test_an_oversized_body_is_a_json_413(client: Client) -> None:
    response = client.post(
        "/api/auth/register",
        data=b'{"name": "' + b"x" * (2 * 1024 * 1024) + b'"}',
        headers={"Content-Type": "application/json"},
    )

    assert_json_error(response, 413, "payload_too_large")


def test_login_bursts_are_rate_limited_by_the_gateway(register) -> None:
    customer: Customer = register()
    credentials = {"email": customer.email, "password": customer.password}

    responses = [customer.client.post("/api/auth/login", json=credentials) for _ in range(25)]

    assert responses[0].status_code == 200
    assert {response.status_code for response in responses} <= {200, 429}
    limited = [response for response in responses if response.status_code == 429]
    assert limited, "25 logins within seconds from one address must be throttled"
    # The gateway's own answers (it names the request id) come without reaching auth-flask.
    from_gateway = [r for r in limited if "request_id" in r.json()["error"]["details"]]
    assert from_gateway
    for response in limited:
        assert_json_error(response, 429, "rate_limited")
        assert int(response.headers["Retry-After"]) >= 1


def test_another_address_is_not_affected_by_a_throttled_one(register) -> None:
    noisy: Customer = register()
    for _ in range(25):
        noisy.client.post(
            "/api/auth/login", json={"email": noisy.email, "password": noisy.password}
        )

    quiet: Customer = register()
    response = quiet.client.post(
        "/api/auth/login", json={"email": quiet.email, "password": quiet.password}
    )

    assert response.status_code == 200


# --- the SPA and headers ------------------------------------------------------------------------


def test_client_side_routes_get_the_spa(client: Client) -> None:
    for path in ("/", "/products/some-slug", "/account/orders"):
        response = client.get(path)

        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("text/html")
        assert response.headers["Cache-Control"] == "no-cache"
        assert "<html" in response.text.lower()


def test_security_headers_on_every_kind_of_answer(stack: Stack, client: Client) -> None:
    answers = [client.get(path) for path in ("/", "/api/catalog/categories/", "/api/nope/")]
    with stack.stopped("catalog"):
        answers.append(client.get("/api/catalog/readyz"))  # the gateway's own 502
    assert [response.status_code for response in answers] == [200, 200, 404, 502]

    for response in answers:
        headers = response.headers

        for name in ("X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"):
            assert len(response.raw.headers.getlist(name)) == 1, name
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert headers["Permissions-Policy"]
        assert "Strict-Transport-Security" not in headers  # plain HTTP
