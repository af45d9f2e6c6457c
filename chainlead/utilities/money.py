"""Money: stored in 万元 as Decimal; shown in 万元 or 亿元 (1亿元 = 10,000万元) by these helpers only."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

WAN_PER_YI = Decimal(10000)
CENT = Decimal("0.01")


def to_decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def wan_to_yi(value) -> Decimal | None:
    """万元 → 亿元, 2 decimals, rounded half up (the way statistical tables round)."""
    d = to_decimal(value)
    if d is None:
        return None
    return (d / WAN_PER_YI).quantize(CENT, rounding=ROUND_HALF_UP)


def _group(d: Decimal, places: int) -> str:
    q = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP) if places else d.quantize(Decimal(1))
    return f"{q:,.{places}f}"


def format_wan(value, places: int = 2, unit: bool = False) -> str:
    """12345.6 → '12,345.60' (or '12,345.60万元')."""
    d = to_decimal(value)
    if d is None:
        return "—"
    text = _group(d, places)
    return f"{text}万元" if unit else text


def format_yi(value, places: int = 2, unit: bool = False) -> str:
    """万元 value → 亿元 text: 30680000 → '3,068.00' (or '3,068.00亿元')."""
    d = wan_to_yi(value)
    if d is None:
        return "—"
    text = _group(d, places)
    return f"{text}亿元" if unit else text


def format_money(value, unit: bool = True) -> str:
    """The natural unit: 亿元 from 1亿 up, 万元 below. 26000 → '2.60亿元', 800 → '800.00万元'."""
    d = to_decimal(value)
    if d is None:
        return "—"
    if abs(d) >= WAN_PER_YI:
        return format_yi(d, unit=unit)
    return format_wan(d, unit=unit)
