"""The shop's load test: the traffic of a small web shop, as three kinds of visitor.

    locust -f loadtests/locustfile.py --host http://localhost:8080        # web UI on :8089
    make loadtest                                                          # headless, with SLOs

    Browser  (weight 80)  anonymous: the shop page, categories, search, products, next pages
    Shopper  (weight 18)  registers in on_start, browses signed in, adds to the cart, looks
                          at it, checks out, reads orders and notifications
    Admin    (weight 2)   the demo admin: product and order lists, ships paid orders

Most visits to a shop never reach the cart and few carts reach checkout, so anonymous
browsing is the bulk and each shopper's tasks are weighted browse > cart > checkout; the
weights and their reasons are in loadtests/README.md, and LOADTEST_*_WEIGHT change the mix.
Requests are sent as the SPA sends them (the same query strings, the token on every call
once signed in), so the gateway's cache sees what it would see from browsers. URLs with ids are
grouped under one name per route (`name=`), which is what the SLOs in loadtests/slo.toml name.

When the run ends the SLOs are checked against Locust's statistics and a broken one makes
Locust exit with 1; LOADTEST_SLO_FILE=off turns that off.
"""

import logging
import random
import sys
import time
import uuid
from pathlib import Path

from locust import FastHttpUser, between, events, task
from locust.env import Environment
from locust.exception import StopUser
from locust.runners import WorkerRunner

# Locust imports this file by path; the shared modules live next to it.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from shopload import catalog as shop
from shopload.settings import LOADTESTS, LoadSettings
from shopload.slo import GroupStats, Slo, verdict_table

logger = logging.getLogger("shop.loadtest")
SETTINGS = LoadSettings.from_environ()
STOCK_BASELINES = LOADTESTS.parent / "reports" / "loadtest"
# What a run against a shop with its everyday limits on registration and login sees.
RATE_LIMITED = (
    "HTTP 429: the shop limits registrations and logins per client address; start it with the "
    "load-test limits (loadtests/README.md: scripts/loadtest.py --serve, or the variables)"
)
# A token is renewed this many seconds before it expires.
TOKEN_MARGIN_SECONDS = 60

ADDRESS = {
    "name": "Load Tester",
    "line1": "1 Benchmark Road",
    "line2": "",
    "city": "Bristol",
    "postal_code": "BS1 4DJ",
    "country": "GB",
}

_catalogue: shop.Catalogue | None = None


def catalogue() -> shop.Catalogue:
    if _catalogue is None:
        raise shop.ShopError("the catalogue was not loaded at the start of the run")
    return _catalogue


# --- the run's start and end -----------------------------------------------------------------


@events.test_start.add_listener
def load_catalogue_and_stock(environment: Environment, **_: object) -> None:
    """Read the catalogue; raise the stock so a long run cannot sell out (once, not per worker)."""
    global _catalogue
    host = (environment.host or "").rstrip("/")
    try:
        _catalogue = shop.catalogue_load(host)
        logger.info(
            "catalogue: %d products, %d categories",
            len(_catalogue.products),
            len(_catalogue.categories),
        )
        if SETTINGS.prepare_stock and not isinstance(environment.runner, WorkerRunner):
            admin = shop.Admin(host, SETTINGS.admin_email, SETTINGS.admin_password)
            baseline = shop.baseline_path(STOCK_BASELINES, host)
            change = shop.stock_prepare(admin, SETTINGS.stock_level, baseline)
            logger.info(
                "stock: %d products raised to %d free units, %d had enough%s",
                change.raised,
                SETTINGS.stock_level,
                change.already,
                f"; levels before: {baseline}" if change.baseline_written else "",
            )
    except (shop.ShopError, OSError) as error:
        logger.error("cannot start the load test against %s: %s", host, error)
        environment.process_exit_code = 2
        if environment.runner is not None:
            environment.runner.quit()


@events.quitting.add_listener
def check_slos(environment: Environment, **_: object) -> None:
    """Hold the run to loadtests/slo.toml; a broken objective makes Locust exit with 1."""
    if SETTINGS.slo_file is None or isinstance(environment.runner, WorkerRunner):
        return
    if environment.process_exit_code:  # the run never started properly
        return
    stats = environment.stats
    rows = [
        GroupStats(
            method=entry.method or "",
            name=entry.name,
            requests=entry.num_requests,
            failures=entry.num_failures,
            p95_ms=entry.get_response_time_percentile(0.95) or 0.0,
            p99_ms=entry.get_response_time_percentile(0.99) or 0.0,
        )
        for entry in [*stats.entries.values(), stats.total]
    ]
    checks = Slo.load(SETTINGS.slo_file).evaluate(rows)
    broken = [check for check in checks if not check.ok]
    table = verdict_table(checks)
    summary = f"SLOs ({SETTINGS.slo_file}): " + (
        f"{len(broken)} of {len(checks)} BROKEN" if broken else f"all {len(checks)} met"
    )
    print(f"\n{table}\n\n{summary}\n", flush=True)
    if SETTINGS.report_dir is not None:
        SETTINGS.report_dir.mkdir(parents=True, exist_ok=True)
        (SETTINGS.report_dir / "slo.txt").write_text(f"{table}\n\n{summary}\n")
    if broken:
        environment.process_exit_code = 1


# --- what every signed-in visitor shares -----------------------------------------------------


class SignedIn:
    """An access token that renews itself shortly before it expires, as the SPA's does."""

    token: str = ""
    expires_at: float = 0.0

    def _keep(self, body: dict) -> None:
        self.token = body["access_token"]
        self.expires_at = time.monotonic() + body["expires_in"]

    @property
    def auth(self) -> dict[str, str]:
        if time.monotonic() > self.expires_at - TOKEN_MARGIN_SECONDS:
            self._renew()
        return {"Authorization": f"Bearer {self.token}"}

    def _renew(self) -> None:
        # The refresh token is the HttpOnly cookie from the login, kept in the client's jar.
        with self.client.post(  # type: ignore[attr-defined]
            "/api/auth/refresh", name="/api/auth/refresh", catch_response=True
        ) as response:
            if response.status_code == 200:
                self._keep(response.json())
                return
            response.failure(f"refresh: HTTP {response.status_code}")
        self.log_in()

    def log_in(self) -> None:
        raise NotImplementedError


# --- the visitors ----------------------------------------------------------------------------


def _products_url(**params: object) -> str:
    """The product list as the SPA asks for it: page first, then the filters, in its order."""
    order = ("page", "q", "category", "min_price", "max_price", "in_stock", "ordering")
    query = "&".join(f"{key}={params[key]}" for key in order if params.get(key) is not None)
    return f"/api/catalog/products/?{query}"


class Browser(FastHttpUser):
    """An anonymous visitor: looks around and leaves. Served mostly by the gateway's cache."""

    weight = SETTINGS.browser_weight
    wait_time = between(SETTINGS.think_min, SETTINGS.think_max)

    @task(3)
    def shop_page(self) -> None:
        self.client.get("/", name="/ (shop page)")
        self.client.get(_products_url(page=1), name="/api/catalog/products/")
        self.client.get("/api/catalog/categories/", name="/api/catalog/categories/")

    @task(4)
    def category_page(self) -> None:
        slug = random.choice(catalogue().categories)
        self.client.get(
            _products_url(page=1, category=slug), name="/api/catalog/products/?category=[slug]"
        )

    @task(2)
    def search(self) -> None:
        term = random.choice(catalogue().search_terms)
        self.client.get(_products_url(page=1, q=term), name="/api/catalog/products/?q=[words]")

    @task(5)
    def product_page(self) -> None:
        product = random.choice(catalogue().products)
        self.client.get(
            f"/api/catalog/products/{product.slug}/", name="/api/catalog/products/[slug]/"
        )
        self.client.get(product.image, name="/api/catalog/images/[slug]/[n].svg")

    @task(1)
    def next_page(self) -> None:
        pages = max(1, len(catalogue().products) // 24)
        page = random.randint(2, pages + 1) if pages > 1 else 1
        self.client.get(_products_url(page=page), name="/api/catalog/products/?page=[n]")


class Shopper(SignedIn, FastHttpUser):
    """A new customer: registers, browses signed in, fills a cart and checks out."""

    weight = SETTINGS.shopper_weight
    wait_time = between(SETTINGS.think_min, SETTINGS.think_max)

    def on_start(self) -> None:
        self.email = f"load-{uuid.uuid4().hex[:16]}@{SETTINGS.email_domain}"
        self.password = f"Lantern-{uuid.uuid4().hex[:12]}"
        self.cart_items = 0
        with self.client.post(
            "/api/auth/register",
            json={"email": self.email, "password": self.password, "name": "Load Tester"},
            name="/api/auth/register",
            catch_response=True,
        ) as response:
            if response.status_code == 429:
                response.failure(RATE_LIMITED)
                raise StopUser
            if response.status_code != 201:
                response.failure(f"register: HTTP {response.status_code} {response.text[:200]}")
                raise StopUser  # a visitor who cannot sign up leaves the shop
            self._keep(response.json())

    def log_in(self) -> None:
        with self.client.post(
            "/api/auth/login",
            json={"email": self.email, "password": self.password},
            name="/api/auth/login",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"login: HTTP {response.status_code}")
                raise StopUser
            self._keep(response.json())

    @task(4)
    def browse(self) -> None:
        slug = random.choice(catalogue().categories)
        self.client.get(
            _products_url(page=1, category=slug),
            headers=self.auth,
            name="/api/catalog/products/?category=[slug]",
        )

    @task(6)
    def product_page(self) -> None:
        product = random.choice(catalogue().products)
        self.client.get(
            f"/api/catalog/products/{product.slug}/",
            headers=self.auth,
            name="/api/catalog/products/[slug]/",
        )

    @task(3)
    def add_to_cart(self) -> None:
        product = random.choice(catalogue().products)
        with self.client.post(
            "/api/cart/items/",
            json={"product_id": product.id, "quantity": random.randint(1, 2)},
            headers=self.auth,
            name="/api/cart/items/",
            catch_response=True,
        ) as response:
            if response.status_code == 200:
                self.cart_items = response.json()["item_count"]

    @task(2)
    def view_cart(self) -> None:
        response = self.client.get("/api/cart/", headers=self.auth, name="/api/cart/")
        if response.status_code == 200:
            self.cart_items = response.json()["item_count"]

    @task(1)
    def checkout(self) -> None:
        if not self.cart_items:
            self.add_to_cart()
            if not self.cart_items:
                return
        with self.client.post(
            "/api/orders/",
            json={
                "shipping_address": ADDRESS,
                "payment": {"card_number": SETTINGS.card_number, "expiry": "12/39", "cvc": "123"},
            },
            headers={**self.auth, "Idempotency-Key": str(uuid.uuid4())},
            name="/api/orders/ (checkout)",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"checkout: HTTP {response.status_code} {response.text[:200]}")
                return
            order = response.json()
            if order["status"] != "paid":
                response.failure(f"checkout: order {order['id']} is {order['status']}")
                return
            self.cart_items = 0
        # The confirmation page shows the order it just placed.
        self.client.get(f"/api/orders/{order['id']}/", headers=self.auth, name="/api/orders/[id]/")

    @task(1)
    def orders(self) -> None:
        self.client.get("/api/orders/?page=1", headers=self.auth, name="/api/orders/")

    @task(2)
    def unread_notifications(self) -> None:
        # The SPA's bell asks every 15 seconds while the shop is open.
        self.client.get(
            "/api/notifications/unread-count/",
            headers=self.auth,
            name="/api/notifications/unread-count/",
        )

    @task(1)
    def notifications(self) -> None:
        self.client.get("/api/notifications/?page=1", headers=self.auth, name="/api/notifications/")


class Admin(SignedIn, FastHttpUser):
    """The back office: checks products and orders, ships what has been paid."""

    weight = SETTINGS.admin_weight
    wait_time = between(SETTINGS.think_min, SETTINGS.think_max)

    def on_start(self) -> None:
        self.log_in()

    def log_in(self) -> None:
        with self.client.post(
            "/api/auth/login",
            json={"email": SETTINGS.admin_email, "password": SETTINGS.admin_password},
            name="/api/auth/login",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"admin login: HTTP {response.status_code}")
                raise StopUser
            self._keep(response.json())

    @task(3)
    def products(self) -> None:
        pages = max(1, len(catalogue().products) // 24)
        self.client.get(
            f"/api/catalog/admin/products/?page={random.randint(1, pages)}",
            headers=self.auth,
            name="/api/catalog/admin/products/",
        )

    @task(1)
    def product(self) -> None:
        product = random.choice(catalogue().products)
        self.client.get(
            f"/api/catalog/admin/products/{product.id}/",
            headers=self.auth,
            name="/api/catalog/admin/products/[id]/",
        )

    @task(3)
    def paid_orders(self) -> None:
        self.client.get(
            "/api/orders/admin/orders/?status=paid",
            headers=self.auth,
            name="/api/orders/admin/orders/?status=[status]",
        )

    @task(1)
    def ship_an_order(self) -> None:
        response = self.client.get(
            "/api/orders/admin/orders/?status=paid",
            headers=self.auth,
            name="/api/orders/admin/orders/?status=[status]",
        )
        if response.status_code != 200 or not response.json()["results"]:
            return
        order = random.choice(response.json()["results"])
        with self.client.post(
            f"/api/orders/{order['id']}/ship/",
            headers=self.auth,
            name="/api/orders/[id]/ship/",
            catch_response=True,
        ) as shipped:
            # Two admins may pick the same order; the second one is told it already moved on,
            # which is the shop working as it should.
            if shipped.status_code == 409:
                shipped.success()
