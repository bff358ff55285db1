"""The catalog: categories, products, prices, stock and the reservations that hold stock."""
