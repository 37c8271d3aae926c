"""Reusable widgets: product list, prices, pictures, choice rows."""
