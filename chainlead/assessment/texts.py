"""Indicator formulas in words, for the 口径 pages, the scheme page and the export."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from chainlead.assessment.choices import ScoringMode


def num(value) -> str:
    """A number without trailing zeros: 10.00 → 10, 1.20 → 1.2."""
    if value is None:
        return "—"
    d = Decimal(value).normalize()
    text = format(d, "f")
    return text


def formula_text(ind) -> str:
    w, unit = num(ind.weight), ind.value_unit or ""
    mode = ind.mode
    if mode == ScoringMode.RATIO_CAPPED:
        return _("得分 = min(实际值 ÷ 目标值{target}{unit}, {cap}) × {w}分").format(
            target=num(ind.target),
            unit=unit,
            cap=num(ind.cap if ind.cap is not None else Decimal("1.2")),
            w=w,
        )
    if mode == ScoringMode.RATIO:
        cap = num(ind.cap if ind.cap is not None else 1)
        if ind.target:
            return _("得分 = min(实际值 ÷ 目标值{target}{unit}, {cap}) × {w}分").format(
                target=num(ind.target), unit=unit, cap=cap, w=w
            )
        return _("得分 = 比率 × {w}分（比率按不超过 {cap} 计）").format(w=w, cap=cap)
    if mode == ScoringMode.EFFICACY_COEFFICIENT:
        return _(
            "功效系数 = 60 + 40 × (本单位值 − 最低值) ÷ (最高值 − 最低值)；得分 = 功效系数 ÷ 100 × {w}分（各单位相同时均得满分）"
        ).format(w=w)
    if mode == ScoringMode.DEDUCTION:
        return _("得分 = {w}分 − 每次{p}分 × 次数，最低0分").format(w=w, p=num(ind.points))
    if mode == ScoringMode.BONUS:
        cap = _("，本项最多加{}分").format(num(ind.item_cap)) if ind.item_cap is not None else ""
        return _("每项加{p}分{cap}").format(p=num(ind.points), cap=cap)
    if mode == ScoringMode.PENALTY:
        cap = _("，本项最多扣{}分").format(num(ind.item_cap)) if ind.item_cap is not None else ""
        return _("每项扣{p}分{cap}").format(p=num(ind.points), cap=cap)
    if mode == ScoringMode.FORMULA:
        return _("得分 = {expr}（结果限定在0至{w}分之间）").format(expr=ind.expression, w=w)
    return ""


def show_value(value, unit: str = "") -> str:
    """A measured value for people: rates as percentages, others with their unit."""
    if value is None:
        return "—"
    if unit == "%":
        return f"{(Decimal(value) * 100).quantize(Decimal('0.1'))}%"
    d = Decimal(value)
    d = d.quantize(Decimal("0.01")) if d != d.to_integral_value() else d.quantize(Decimal(1))
    return f"{num(d)}{unit}"
