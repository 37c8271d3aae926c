"""Errors of the catalogue: searches and filters the shop refuses."""

from __future__ import annotations

from kstui.services.errors import DomainError


class QueryTooLong(DomainError):
    """A search text longer than the shop accepts."""

    key = "catalog.error.query_too_long"


class InvalidPriceRange(DomainError):
    """A price range whose lower bound is above its upper bound."""

    key = "catalog.error.invalid_price_range"


class UnknownCategory(DomainError):
    """A category that does not exist."""

    key = "catalog.error.unknown_category"


class UnknownBrand(DomainError):
    """A brand that does not exist."""

    key = "catalog.error.unknown_brand"


class ProductNotFound(DomainError):
    """A product id that does not exist."""

    key = "catalog.error.product_not_found"


class InvalidLimit(DomainError):
    """A page size outside what the shop serves."""

    key = "catalog.error.invalid_limit"
