"""The demo catalog: a category tree and 210 products with varied prices, attributes and stock.

Everything is generated from fixed seeds, so every run (and every developer) gets the same
shop. Seeding is idempotent: categories are matched by slug and products by SKU, and what
exists is left as it is (including changes made since).
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from catalog import services
from catalog.models import Category, Product


@dataclass(frozen=True)
class Leaf:
    slug: str
    name: str
    code: str  # SKU prefix
    nouns: tuple[tuple[str, int, int], ...]  # (noun, lowest price, highest price)
    variants: tuple[str, ...]  # what makes two products of the same noun differ
    attribute: str  # the attribute the variant fills in
    blurb: str  # one sentence about the kind of product


TREE: list[tuple[str, str, list[Leaf]]] = [
    (
        "kitchen",
        "Kitchen",
        [
            Leaf(
                "cookware",
                "Cookware",
                "CKW",
                (
                    ("Saucepan", 24, 89),
                    ("Frying Pan", 19, 79),
                    ("Dutch Oven", 59, 189),
                    ("Wok", 29, 69),
                    ("Stockpot", 34, 99),
                ),
                ("Cast Iron", "Copper", "Stainless"),
                "material",
                "Heats evenly and goes from hob to oven.",
            ),
            Leaf(
                "coffee-tea",
                "Coffee & Tea",
                "CFT",
                (
                    ("Pour-Over Kettle", 29, 79),
                    ("French Press", 19, 49),
                    ("Tea Pot", 22, 64),
                    ("Coffee Grinder", 35, 149),
                    ("Espresso Cups", 12, 36),
                ),
                ("Matte Black", "Brushed Steel", "Sage Green"),
                "finish",
                "Made for a slow morning ritual.",
            ),
            Leaf(
                "tableware",
                "Tableware",
                "TBW",
                (
                    ("Dinner Plate Set", 29, 89),
                    ("Salad Bowl", 14, 45),
                    ("Serving Platter", 19, 59),
                    ("Mug Pair", 12, 29),
                    ("Pasta Bowls", 24, 54),
                ),
                ("Stoneware", "Porcelain", "Speckled Clay"),
                "material",
                "Dishwasher safe and stacks neatly.",
            ),
        ],
    ),
    (
        "home",
        "Home",
        [
            Leaf(
                "lighting",
                "Lighting",
                "LGT",
                (
                    ("Table Lamp", 39, 149),
                    ("Floor Lamp", 79, 249),
                    ("Pendant Light", 49, 179),
                    ("Reading Light", 29, 89),
                    ("String Lights", 14, 39),
                ),
                ("Brass", "Walnut", "Opal Glass"),
                "material",
                "Gives a warm, glare-free light.",
            ),
            Leaf(
                "textiles",
                "Textiles",
                "TXT",
                (
                    ("Throw Blanket", 39, 119),
                    ("Cushion Cover", 15, 39),
                    ("Linen Duvet Set", 89, 229),
                    ("Bath Towel", 12, 34),
                    ("Table Runner", 18, 42),
                ),
                ("Oatmeal", "Terracotta", "Indigo"),
                "colour",
                "Soft from the first wash and gets softer.",
            ),
            Leaf(
                "decor",
                "Decor",
                "DCR",
                (
                    ("Vase", 19, 79),
                    ("Wall Mirror", 49, 189),
                    ("Picture Frame", 12, 45),
                    ("Candle Holder", 14, 39),
                    ("Plant Pot", 16, 59),
                ),
                ("Ceramic", "Rattan", "Smoked Glass"),
                "material",
                "A small thing that changes a room.",
            ),
        ],
    ),
    (
        "outdoor",
        "Outdoor",
        [
            Leaf(
                "camping",
                "Camping",
                "CMP",
                (
                    ("Two-Person Tent", 119, 329),
                    ("Sleeping Bag", 59, 199),
                    ("Camp Stove", 39, 119),
                    ("Headlamp", 19, 59),
                    ("Insulated Bottle", 18, 42),
                ),
                ("Ultralight", "Expedition", "Family"),
                "range",
                "Tested on wet weekends and cold nights.",
            ),
            Leaf(
                "garden",
                "Garden",
                "GRD",
                (
                    ("Pruning Shears", 19, 59),
                    ("Watering Can", 16, 49),
                    ("Raised Bed", 69, 199),
                    ("Garden Gloves", 9, 24),
                    ("Hand Trowel", 12, 32),
                ),
                ("Ash Wood", "Galvanised", "Recycled"),
                "material",
                "Built to last many seasons outside.",
            ),
        ],
    ),
    (
        "office",
        "Office",
        [
            Leaf(
                "stationery",
                "Stationery",
                "STN",
                (
                    ("Dot Grid Notebook", 9, 29),
                    ("Fountain Pen", 24, 129),
                    ("Desk Planner", 14, 34),
                    ("Sketchbook", 11, 29),
                    ("Ink Set", 12, 36),
                ),
                ("A5", "Pocket", "Large"),
                "size",
                "Paper that takes ink without bleeding.",
            ),
            Leaf(
                "desk",
                "Desk Accessories",
                "DSK",
                (
                    ("Monitor Stand", 39, 119),
                    ("Desk Organiser", 19, 49),
                    ("Laptop Sleeve", 24, 59),
                    ("Cable Tray", 14, 34),
                    ("Desk Mat", 19, 45),
                ),
                ("Oak", "Felt", "Aluminium"),
                "material",
                "Keeps a desk calm and tidy.",
            ),
        ],
    ),
    (
        "sports",
        "Sports",
        [
            Leaf(
                "running",
                "Running",
                "RUN",
                (
                    ("Running Vest", 39, 99),
                    ("Trail Socks", 9, 22),
                    ("Rain Jacket", 79, 199),
                    ("Hydration Belt", 19, 45),
                    ("Running Cap", 14, 32),
                ),
                ("Night Reflective", "Storm", "Summer"),
                "edition",
                "Light, breathable and quick to dry.",
            ),
            Leaf(
                "yoga",
                "Yoga & Fitness",
                "YGA",
                (
                    ("Yoga Mat", 29, 99),
                    ("Foam Roller", 19, 45),
                    ("Resistance Bands", 14, 39),
                    ("Yoga Block", 9, 24),
                    ("Kettlebell", 29, 89),
                ),
                ("Cork", "Natural Rubber", "Recycled Foam"),
                "material",
                "Grips well and cleans with a damp cloth.",
            ),
        ],
    ),
    (
        "toys-games",
        "Toys & Games",
        [
            Leaf(
                "board-games",
                "Board Games",
                "BRD",
                (
                    ("Strategy Game", 29, 69),
                    ("Family Quiz", 19, 39),
                    ("Card Game", 9, 24),
                    ("Cooperative Adventure", 34, 79),
                    ("Word Game", 14, 34),
                ),
                ("Classic", "Travel", "Deluxe"),
                "edition",
                "Quick to learn, hard to put down.",
            ),
            Leaf(
                "puzzles",
                "Puzzles",
                "PZL",
                (
                    ("Jigsaw Puzzle", 14, 39),
                    ("Wooden Brain Teaser", 9, 29),
                    ("3D Puzzle", 19, 59),
                    ("Puzzle Box", 24, 69),
                    ("Panorama Puzzle", 19, 44),
                ),
                ("Mountains", "Botanical", "Night Sky"),
                "theme",
                "Hours of quiet concentration.",
            ),
        ],
    ),
]


@dataclass(frozen=True)
class SeedResult:
    categories_created: int
    products_created: int


def demo_catalog_seed() -> SeedResult:
    """Create the demo categories and products that do not exist yet."""
    # Demo data must be the same on every run; it is not a secret.
    rng = random.Random(20240601)  # noqa: S311
    now = timezone.now()
    categories_created = products_created = 0
    with transaction.atomic():
        for position, (slug, name, leaves) in enumerate(TREE):
            department, created = Category.objects.get_or_create(
                slug=slug, defaults={"name": name, "position": position}
            )
            categories_created += created
            for leaf_position, leaf in enumerate(leaves):
                category, created = Category.objects.get_or_create(
                    slug=leaf.slug,
                    defaults={"name": leaf.name, "parent": department, "position": leaf_position},
                )
                categories_created += created
                products_created += _seed_leaf(leaf, category, rng, now)
    return SeedResult(categories_created, products_created)


def _seed_leaf(leaf: Leaf, category: Category, rng: random.Random, now: datetime) -> int:
    existing = set(
        Product.objects.filter(sku__startswith=f"{leaf.code}-").values_list("sku", flat=True)
    )
    created = 0
    number = 0
    for noun, low, high in leaf.nouns:
        for variant in leaf.variants:
            number += 1
            sku = f"{leaf.code}-{number:04d}"
            # Draw every number even for existing products, so the rest stay the same.
            price = _price(rng, low, high)
            on_hand = 0 if rng.random() < 0.06 else rng.randint(1, 120)
            age = timedelta(days=rng.uniform(0, 180), minutes=rng.uniform(0, 600))
            images = rng.randint(2, 4)
            weight = round(rng.uniform(0.1, 6.0), 1)
            if sku in existing:
                continue
            name = f"{variant} {noun}"
            product = services.product_create(
                sku=sku,
                name=name,
                price=price,
                category_id=category.pk,
                description=(
                    f"{name} from our {category.name.lower()} range. {leaf.blurb} "
                    f"{leaf.attribute.capitalize()}: {variant.lower()}."
                ),
                attributes={leaf.attribute: variant.lower(), "weight_kg": weight},
                image_count=images,
                created_at=now - age,
            )
            services.stock_set(product_id=product.pk, on_hand=on_hand)
            created += 1
    return created


def _price(rng: random.Random, low: int, high: int) -> Decimal:
    euros = rng.randint(low, high)
    cents = rng.choice(("0.99", "0.49", "0.00", "0.95"))
    return Decimal(euros) + Decimal(cents) - (Decimal("1") if cents == "0.00" else 0)
