"""The order line shared by pricing and validation."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class OrderLine:
    """A requested product and quantity in units (pieces), as entered."""

    product_code: str
    quantity: int
