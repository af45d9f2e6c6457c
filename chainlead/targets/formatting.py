"""How a target's quantities read: "12", "1,250", "3.5", never "12.00" or "1E+1"."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation


def format_quantity(value) -> str:
    """A goal or actual value with separators and without trailing zeros; "—" for nothing."""
    if value is None or value == "":
        return "—"
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if d == d.to_integral_value():
        return f"{d.to_integral_value():,f}"
    return f"{d.normalize():,f}"


def format_rate(value) -> str:
    """A completion rate in per cent: "85.0%"; "—" when there is no goal."""
    if value is None:
        return "—"
    return f"{Decimal(value):.1f}%"
