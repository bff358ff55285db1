"""`manage.py seed_demo`: the demo catalog. Idempotent, so `make dev` runs it on every start."""

from typing import Any

from django.core.management.base import BaseCommand

from catalog.demo import demo_catalog_seed
from catalog.models import Category, Product


class Command(BaseCommand):
    help = "Create the demo categories and products that do not exist yet."

    def handle(self, *args: Any, **options: Any) -> None:
        result = demo_catalog_seed()
        self.stdout.write(
            f"Demo catalog: {result.categories_created} categories and "
            f"{result.products_created} products created; now "
            f"{Category.objects.count()} categories and {Product.objects.count()} products."
        )
