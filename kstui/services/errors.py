"""Typed domain errors. Each names a message key; the edge (screen or CLI) translates it."""

from __future__ import annotations

from typing import ClassVar


class DomainError(Exception):
    """A request the shop refuses, with a message key and its parameters.

    Args:
        **params: Values for the message's named fields.
    """

    key: ClassVar[str] = "error.unexpected"

    def __init__(self, **params: object) -> None:
        super().__init__(f"{self.key} {params}" if params else self.key)
        self.params = params


class QueryTooLong(DomainError):
    """A search text longer than the shop accepts."""

    key = "error.query_too_long"


class InvalidPriceRange(DomainError):
    """A price range whose lower bound is above its upper bound."""

    key = "error.invalid_price_range"


class UnknownCategory(DomainError):
    """A category that does not exist."""

    key = "error.unknown_category"


class UnknownBrand(DomainError):
    """A brand that does not exist."""

    key = "error.unknown_brand"


class ProductNotFound(DomainError):
    """A product id that does not exist."""

    key = "error.product_not_found"


class InvalidLimit(DomainError):
    """A page size outside what the shop serves."""

    key = "error.invalid_limit"
