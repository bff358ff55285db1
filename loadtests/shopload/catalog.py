"""The shop's catalogue as the load test sees it, and the stock that keeps a run from selling out.

Before a run the visitors need to know what exists (product slugs and ids, category slugs,
words to search for): `catalogue_load` reads it once through the public API, as a browser
would. The shoppers buy, so `stock_prepare` raises the free stock of every active product to
LOADTEST_STOCK_LEVEL through the admin API, as the demo admin; the levels it found are kept in
a baseline file the first time, and `stock_restore` puts them back (scripts/loadtest.py
--reset-stock). Plain `requests`: it runs inside Locust and in scripts alike.
"""

import json
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import requests

TIMEOUT_SECONDS = 30
ADMIN_PAGE_SIZE = 100
WORD = re.compile(r"[a-z]{4,}")
# Stock changes sent at once: a few hundred products take a second or two, not ten.
STOCK_CONCURRENCY = 8


class ShopError(RuntimeError):
    """The shop answered something the load test cannot work with; the message says what."""


@dataclass(frozen=True)
class Product:
    id: int
    slug: str
    name: str
    category: str  # the slug of its category
    image: str  # a URL path


@dataclass(frozen=True)
class Catalogue:
    products: tuple[Product, ...]
    categories: tuple[str, ...]  # every category slug, top level and below
    search_terms: tuple[str, ...]  # words that occur in product names


def _json(response: requests.Response, what: str) -> dict | list:
    if response.status_code != 200:
        raise ShopError(f"{what}: HTTP {response.status_code} {response.text[:300]}")
    return response.json()


def _category_slugs(nodes: list[dict]) -> list[str]:
    slugs = []
    for node in nodes:
        slugs.append(node["slug"])
        slugs += _category_slugs(node.get("children", []))
    return slugs


def catalogue_load(base_url: str, session: requests.Session | None = None) -> Catalogue:
    """Every product on sale and every category, read once through the public API."""
    http = session or requests.Session()
    products: list[Product] = []
    page = 1
    while True:
        body = _json(
            http.get(
                f"{base_url}/api/catalog/products/",
                params={"page": page, "page_size": 100},
                timeout=TIMEOUT_SECONDS,
            ),
            "listing the catalogue",
        )
        products += [
            Product(
                id=item["id"],
                slug=item["slug"],
                name=item["name"],
                category=item["category"]["slug"],
                image=item["image"],
            )
            for item in body["results"]
        ]
        if page >= body["total_pages"]:
            break
        page += 1
    if not products:
        raise ShopError(f"the catalogue at {base_url} has no products: seed it first")
    tree = _json(
        http.get(f"{base_url}/api/catalog/categories/", timeout=TIMEOUT_SECONDS),
        "reading the categories",
    )
    terms = sorted({word for item in products for word in WORD.findall(item.name.lower())})
    return Catalogue(
        products=tuple(products),
        categories=tuple(_category_slugs(tree)),
        search_terms=tuple(terms) or ("shop",),
    )


# --- the back office ---------------------------------------------------------------------------


class Admin:
    """The shop's admin API as one admin user (LOADTEST_ADMIN_EMAIL)."""

    def __init__(self, base_url: str, email: str, password: str) -> None:
        self.base_url = base_url
        self.http = requests.Session()
        response = self.http.post(
            f"{base_url}/api/auth/login",
            json={"email": email, "password": password},
            timeout=TIMEOUT_SECONDS,
        )
        if response.status_code != 200:
            raise ShopError(
                f"logging in as {email} failed (HTTP {response.status_code} "
                f"{response.text[:200]}); set LOADTEST_ADMIN_EMAIL and LOADTEST_ADMIN_PASSWORD"
            )
        self.http.headers["Authorization"] = f"Bearer {response.json()['access_token']}"

    def products(self) -> list[dict]:
        """Every product, inactive ones included, with its stock counters."""
        found: list[dict] = []
        page = 1
        while True:
            body = _json(
                self.http.get(
                    f"{self.base_url}/api/catalog/admin/products/",
                    params={"page": page, "page_size": ADMIN_PAGE_SIZE},
                    timeout=TIMEOUT_SECONDS,
                ),
                "listing products as admin",
            )
            found += body["results"]
            if page >= body["total_pages"]:
                return found
            page += 1

    def set_stock(self, product_id: int, on_hand: int) -> None:
        response = self.http.put(
            f"{self.base_url}/api/catalog/admin/products/{product_id}/stock/",
            json={"on_hand": on_hand},
            timeout=TIMEOUT_SECONDS,
        )
        _json(response, f"setting the stock of product {product_id}")


def baseline_path(directory: Path, base_url: str) -> Path:
    """One baseline file per shop address, so two stacks never share one."""
    where = urlsplit(base_url)
    name = re.sub(r"[^A-Za-z0-9.-]+", "-", f"{where.hostname}-{where.port or 80}")
    return directory / f"stock-baseline-{name}.json"


@dataclass(frozen=True)
class StockChange:
    raised: int  # products whose free stock was raised
    already: int  # products that had enough
    baseline_written: bool


def stock_prepare(admin: Admin, level: int, baseline: Path) -> StockChange:
    """Raise every active product's free stock to `level`; keep the first levels seen."""
    products = [product for product in admin.products() if product["is_active"]]
    written = False
    if not baseline.exists():
        levels = {str(product["id"]): product["stock"]["on_hand"] for product in products}
        baseline.parent.mkdir(parents=True, exist_ok=True)
        baseline.write_text(json.dumps({"base_url": admin.base_url, "on_hand": levels}, indent=1))
        written = True
    short = [product["id"] for product in products if product["stock"]["on_hand"] < level]
    _set_stock_levels(admin, dict.fromkeys(short, level))
    return StockChange(
        raised=len(short), already=len(products) - len(short), baseline_written=written
    )


def _set_stock_levels(admin: Admin, levels: dict[int, int]) -> None:
    with ThreadPoolExecutor(max_workers=STOCK_CONCURRENCY) as pool:
        # list() so that the first error is raised here, not lost in the pool.
        list(pool.map(lambda item: admin.set_stock(*item), levels.items()))


def stock_restore(admin: Admin, baseline: Path) -> int:
    """Put the free stock back to the baseline levels and forget them; returns how many."""
    if not baseline.exists():
        raise ShopError(f"no stock baseline at {baseline}: nothing was raised for this shop")
    levels = json.loads(baseline.read_text())["on_hand"]
    _set_stock_levels(admin, {int(product_id): on_hand for product_id, on_hand in levels.items()})
    baseline.unlink()
    return len(levels)


def stock_totals(admin: Admin) -> dict[int, dict[str, int]]:
    """Each product's counters (on_hand, reserved, sold), for checking nothing is lost."""
    return {product["id"]: dict(product["stock"]) for product in admin.products()}
