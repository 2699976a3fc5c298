"""Money helpers shared by the ordering core (private to the package)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0")


def round_money(value: Decimal) -> Decimal:
    """Round to whole cents, half up (commercial rounding used on invoices)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def require_money(name: str, value: object, *, allow_negative: bool = False) -> None:
    """Reject floats, ints, NaN and infinities at the boundary.

    mypy already rejects floats for typed callers; this guards adapters that build values from
    loosely typed sources (JSON, ORM annotations) where a float would silently lose cents.
    """
    if not isinstance(value, Decimal) or isinstance(value, bool):
        raise TypeError(f"{name} must be a decimal.Decimal, got {type(value).__name__}")
    if not value.is_finite():
        raise ValueError(f"{name} must be finite, got {value}")
    if not allow_negative and value < 0:
        raise ValueError(f"{name} must not be negative, got {value}")


def format_money(value: Decimal) -> str:
    """Plain, locale-free cents string for message params ("1234.50"); adapters localise it."""
    return str(round_money(value))
