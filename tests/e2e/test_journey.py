"""A customer's journey through the gateway: account first, then the catalog."""

from decimal import Decimal
from urllib.parse import urljoin

from support import DEMO_CUSTOMER, Client, Customer


def refresh_cookie(client: Client) -> str | None:
    return client.cookies.get("refresh_token", path="/api/auth")


def put_back_refresh_cookie(client: Client, value: str) -> None:
    """As an attacker replaying a stolen cookie would."""
    current = next(cookie for cookie in client.cookies if cookie.name == "refresh_token")
    client.cookies.set("refresh_token", value, domain=current.domain, path=current.path)


def assert_login_result(body: dict, email: str) -> None:
    assert body["token_type"] == "Bearer"
    assert 0 < body["expires_in"] <= 900
    assert body["access_token"].count(".") == 2  # a JWT
    assert body["user"]["email"] == email
    assert body["user"]["roles"] == ["customer"]


def test_register_log_in_see_myself_refresh_and_log_out(client: Client) -> None:
    email, password = "ada.e2e@example.com", "Copper-Kettle-2031"

    registered = client.post(
        "/api/auth/register", json={"email": email, "password": password, "name": "Ada"}
    )
    assert registered.status_code == 201, registered.text
    assert_login_result(registered.json(), email)
    cookie_header = registered.headers["Set-Cookie"]
    assert "HttpOnly" in cookie_header
    assert "Path=/api/auth" in cookie_header
    assert "SameSite=Strict" in cookie_header

    logged_in = client.post("/api/auth/login", json={"email": email, "password": password})
    assert logged_in.status_code == 200, logged_in.text
    assert_login_result(logged_in.json(), email)
    token = logged_in.json()["access_token"]

    me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["email"] == email
    assert me.json()["name"] == "Ada"

    first_cookie = refresh_cookie(client)
    refreshed = client.post("/api/auth/refresh")
    assert refreshed.status_code == 200, refreshed.text
    assert_login_result(refreshed.json(), email)
    second_cookie = refresh_cookie(client)
    assert second_cookie
    assert second_cookie != first_cookie  # rotated

    # The cookie the refresh used up must not work again, and its reuse ends the family.
    put_back_refresh_cookie(client, first_cookie)
    reused = client.post("/api/auth/refresh")
    assert reused.status_code == 401
    assert reused.json()["error"]["code"] in {"not_authenticated", "token_invalid"}
    put_back_refresh_cookie(client, second_cookie)
    assert client.post("/api/auth/refresh").status_code == 401


def test_logout_revokes_the_refresh_token(register) -> None:
    customer: Customer = register()
    client = customer.client

    assert client.post("/api/auth/logout").status_code == 204
    assert client.post("/api/auth/refresh").status_code == 401


def test_the_demo_customer_can_log_in(client: Client) -> None:
    email, password = DEMO_CUSTOMER

    response = client.post("/api/auth/login", json={"email": email, "password": password})

    assert response.status_code == 200, response.text
    assert response.json()["user"]["email"] == email


def test_wrong_password_is_one_generic_401(client: Client) -> None:
    email, _ = DEMO_CUSTOMER

    wrong = client.post("/api/auth/login", json={"email": email, "password": "Not-The-One-1"})
    unknown = client.post(
        "/api/auth/login", json={"email": "nobody@example.com", "password": "Not-The-One-1"}
    )

    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["error"] == unknown.json()["error"]
    assert wrong.json()["error"]["code"] == "invalid_credentials"


def subtree_slugs(node: dict) -> set[str]:
    slugs = {node["slug"]}
    for child in node["children"]:
        slugs |= subtree_slugs(child)
    return slugs


def test_browse_filter_search_and_open_a_product(client: Client) -> None:
    # Browse: the first page of the demo catalog, with links that go through the gateway.
    page = client.get("/api/catalog/products/")
    assert page.status_code == 200
    body = page.json()
    assert body["count"] >= 200
    assert body["page"] == 1
    assert len(body["results"]) == body["page_size"] == 24
    assert body["previous"] is None
    # A relative link, or an absolute one that stays on the gateway.
    next_page = urljoin(client.base_url + "/api/catalog/products/", body["next"])
    assert next_page.startswith(client.base_url + "/api/catalog/products/?")
    assert "page=2" in next_page
    second = client.get(next_page.removeprefix(client.base_url)).json()
    assert {p["id"] for p in second["results"]}.isdisjoint({p["id"] for p in body["results"]})

    # The category tree, and a filter by a top-level category that includes its children.
    tree = client.get("/api/catalog/categories/").json()
    assert len(tree) >= 1
    assert sum(len(subtree_slugs(root)) for root in tree) >= 8
    department = max(tree, key=lambda node: node["product_count"])
    in_department = client.get(
        "/api/catalog/products/", params={"category": department["slug"], "page_size": 100}
    ).json()
    assert in_department["count"] == department["product_count"] > 0
    assert {p["category"]["slug"] for p in in_department["results"]} <= subtree_slugs(department)

    # A price range, cheapest first.
    priced = client.get(
        "/api/catalog/products/",
        params={"min_price": "10.00", "max_price": "50.00", "ordering": "price", "page_size": 100},
    ).json()
    prices = [Decimal(p["price"]) for p in priced["results"]]
    assert prices, "the demo catalog has products between 10 and 50 EUR"
    assert all(Decimal("10.00") <= price <= Decimal("50.00") for price in prices)
    assert prices == sorted(prices)

    # Search for a word of a product's name.
    wanted = body["results"][0]
    word = max(wanted["name"].split(), key=len)
    found = client.get("/api/catalog/products/", params={"q": word, "page_size": 100}).json()
    assert found["count"] >= 1
    assert wanted["id"] in {p["id"] for p in found["results"]}

    # The product page, by slug and by id.
    detail = client.get(f"/api/catalog/products/{wanted['slug']}/")
    assert detail.status_code == 200
    product = detail.json()
    assert product["id"] == wanted["id"]
    assert product["description"]
    assert product["images"]
    assert all(url.startswith("/api/catalog/images/") for url in product["images"])
    assert product["category"]["path"][-1]["slug"] == product["category"]["slug"]
    assert client.get(f"/api/catalog/products/{wanted['id']}/").json()["slug"] == wanted["slug"]
    assert Decimal(product["price"]) == Decimal(wanted["price"])
    assert product["currency"] == "EUR"


def test_an_unknown_product_is_a_json_404(client: Client) -> None:
    response = client.get("/api/catalog/products/no-such-product-anywhere/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
