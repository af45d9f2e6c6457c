"""The scoring engine: pure functions from indicator definitions and measured values to scores,
group subtotals, totals and ranks. No database access here, so the hand-computed examples of the
tests (and of the 口径 pages) exercise exactly the code the scoring job runs.

Formulas (DOMAIN.md §7):

- ``RATIO_CAPPED``: min(actual / target, cap) × weight (cap default 1.2);
- ``RATIO``: min(rate, cap) × weight, where rate is the actual share (0–1), or actual / target when
  a target is set (cap default 1);
- ``EFFICACY_COEFFICIENT``: 60 + 40 × (x − min) / (max − min) across the subjects ranked
  together (all equal → 100), then × weight / 100;
- ``DEDUCTION``: max(weight − points × count, 0), e.g. "5 − 1 per late report (≥ 0)";
- ``BONUS`` / ``PENALTY``: ± min(points × count, item cap); the group's weight caps the group;
- ``FORMULA``: an arithmetic expression over ``value``, ``target``, ``weight``, ``cap`` and the
  actual values of the scheme's other indicators by code, clamped to [0, weight].
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from chainlead.assessment.choices import GroupKind, ScoringMode, WhenNoBase

ZERO = Decimal(0)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
FORMULA_NAMES = frozenset({"value", "target", "weight", "cap"})
FORMULA_FUNCTIONS = {"min": min, "max": max, "abs": abs}


def q2(value) -> Decimal:
    """Round a score to two decimals, half up (as people round by hand)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Measure:
    """What a computation measured for one subject: the actual value (a count, 亿元, or a rate
    0–1), and for rates the numerator and denominator shown on the breakdown. ``value`` None means
    there was nothing to measure (a rate whose denominator is 0)."""

    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    note: str = ""

    @classmethod
    def rate(cls, numerator, denominator, note: str = "") -> Measure:
        numerator, denominator = Decimal(numerator or 0), Decimal(denominator or 0)
        value = (numerator / denominator).quantize(Decimal("0.0001")) if denominator else None
        return cls(value, numerator, denominator, note)


# --- formulas ------------------------------------------------------------------------------------
class FormulaError(ValueError):
    """An expression that cannot be parsed or names something unknown; the message says which."""


def formula_names(expression: str) -> set[str]:
    """The variable names an expression uses; raises ``FormulaError`` for anything but arithmetic."""
    try:
        tree = ast.parse(expression or "", mode="eval")
    except SyntaxError as exc:
        raise FormulaError(
            _("公式“{}”写法有误（第{}个字符附近）。").format(expression, exc.offset or 0)
        ) from exc
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FORMULA_FUNCTIONS or node.keywords:
                raise FormulaError(_("公式中只能使用 min、max、abs 三个函数。"))
        elif isinstance(node, ast.Name):
            if node.id not in FORMULA_FUNCTIONS:
                names.add(node.id)
        elif isinstance(node, ast.Constant):
            if not isinstance(node.value, (int, float)) or isinstance(node.value, bool):
                raise FormulaError(_("公式中只能出现数字、指标代码和 + − × ÷ 运算。"))
        elif not isinstance(
            node,
            (
                ast.Expression,
                ast.BinOp,
                ast.UnaryOp,
                ast.Add,
                ast.Sub,
                ast.Mult,
                ast.Div,
                ast.USub,
                ast.UAdd,
                ast.Load,
            ),
        ):
            raise FormulaError(_("公式中只能出现数字、指标代码和 + − × ÷ 运算。"))
    return names


def unknown_names(expression: str, known_codes: Iterable[str]) -> list[str]:
    """Names in ``expression`` that are neither formula variables nor indicator codes."""
    return sorted(formula_names(expression) - FORMULA_NAMES - set(known_codes))


def evaluate(expression: str, names: dict[str, Decimal | None]) -> Decimal:
    """Evaluate an arithmetic expression with Decimal arithmetic. A missing value counts as 0;
    a division by zero gives 0 (a rate with nothing to measure)."""
    formula_names(expression)  # refuses anything but arithmetic, with a readable message
    tree = ast.parse(expression, mode="eval")

    def ev(node) -> Decimal:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant):
            return Decimal(str(node.value))
        if isinstance(node, ast.Name):
            if node.id not in names:
                raise FormulaError(_("公式引用了不存在的指标“{}”。").format(node.id))
            value = names[node.id]
            return Decimal(value) if value is not None else ZERO
        if isinstance(node, ast.UnaryOp):
            value = ev(node.operand)
            return -value if isinstance(node.op, ast.USub) else value
        if isinstance(node, ast.BinOp):
            left, right = ev(node.left), ev(node.right)
            if isinstance(node.op, ast.Add):
                return left + right
            if isinstance(node.op, ast.Sub):
                return left - right
            if isinstance(node.op, ast.Mult):
                return left * right
            try:
                return left / right if right else ZERO
            except InvalidOperation:
                return ZERO
        if isinstance(node, ast.Call):
            return Decimal(FORMULA_FUNCTIONS[node.func.id](*[ev(a) for a in node.args]))
        raise FormulaError(_("公式中只能出现数字、指标代码和 + − × ÷ 运算。"))

    return ev(tree)


# --- one indicator -------------------------------------------------------------------------------
def _d(value, default=None) -> Decimal | None:
    return Decimal(value) if value not in (None, "") else default


def score_indicator(indicator, value: Decimal | None, *, column: list | None = None, names=None) -> Decimal:
    """The points ``indicator`` gives for the measured ``value``. ``column`` holds the values of
    every subject ranked together (for the efficacy coefficient); ``names`` the subject's actual
    values by indicator code (for formulas)."""
    mode = indicator.mode
    weight = _d(indicator.weight, ZERO)
    target = _d(indicator.target)
    cap = _d(indicator.cap)
    points = _d(indicator.points, ZERO)
    item_cap = _d(indicator.item_cap)
    no_base = weight if getattr(indicator, "when_no_base", WhenNoBase.FULL) == WhenNoBase.FULL else ZERO

    if mode == ScoringMode.RATIO_CAPPED:
        if value is None or not target:
            return q2(no_base if value is None else ZERO)
        ratio = min(max(Decimal(value) / target, ZERO), cap if cap is not None else Decimal("1.2"))
        return q2(ratio * weight)
    if mode == ScoringMode.RATIO:
        if value is None:
            return q2(no_base)
        ratio = Decimal(value) / target if target else Decimal(value)
        ratio = min(max(ratio, ZERO), cap if cap is not None else Decimal(1))
        return q2(ratio * weight)
    if mode == ScoringMode.EFFICACY_COEFFICIENT:
        if value is None:
            return q2(no_base)
        present = [Decimal(v) for v in (column or [value]) if v is not None]
        low, high = min(present), max(present)
        coefficient = HUNDRED if high == low else 60 + 40 * (Decimal(value) - low) / (high - low)
        return q2(coefficient * weight / HUNDRED)
    count = Decimal(value) if value is not None else ZERO
    if mode == ScoringMode.DEDUCTION:
        return q2(max(weight - points * count, ZERO))
    if mode in (ScoringMode.BONUS, ScoringMode.PENALTY):
        amount = points * count
        if item_cap is not None:
            amount = min(amount, item_cap)
        return q2(amount if mode == ScoringMode.BONUS else -amount)
    if mode == ScoringMode.FORMULA:
        env = dict(names or {})
        env.update(value=value, target=target, weight=weight, cap=cap)
        result = evaluate(indicator.expression, env)
        if weight > 0:
            result = min(max(result, ZERO), weight)
        return q2(result)
    raise ValueError(mode)


# --- a whole table ---------------------------------------------------------------------------------
@dataclass
class SubjectResult:
    """One subject's scores: per indicator code, per group code, and the total."""

    key: object
    name: str
    scores: dict[str, Decimal] = field(default_factory=dict)
    groups: dict[str, Decimal] = field(default_factory=dict)
    total: Decimal = ZERO
    rank: int = 0


def score_table(
    groups,
    indicators,
    values: dict,
    names: dict,
    *,
    overrides: dict | None = None,
    tiebreak: Iterable[str] = (),
) -> list[SubjectResult]:
    """Score every subject and rank them.

    ``groups``: objects with ``code``, ``kind``, ``weight``; ``indicators``: objects with the
    scoring fields and ``group_code``; ``values``: ``{subject: {indicator code: Decimal | None}}``;
    ``names``: ``{subject: display name}``; ``overrides``: ``{(subject, code): score}`` (manual
    adjustments, which replace the computed score); ``tiebreak``: group codes whose subtotals
    break ties, in order (DOMAIN §7.2: construction, then attraction).

    Ranks descend by total; subjects equal on the total and every tie-break share a rank
    (1, 2, 2, 4)."""
    overrides = overrides or {}
    indicators = list(indicators)
    columns = {ind.code: [values.get(s, {}).get(ind.code) for s in values] for ind in indicators}
    results = []
    for subject, measured in values.items():
        result = SubjectResult(key=subject, name=names.get(subject, str(subject)))
        for ind in indicators:
            if (subject, ind.code) in overrides:
                score = q2(overrides[(subject, ind.code)])
            else:
                score = score_indicator(ind, measured.get(ind.code), column=columns[ind.code], names=measured)
            result.scores[ind.code] = score
            result.groups[ind.group_code] = result.groups.get(ind.group_code, ZERO) + score
        for group in groups:
            subtotal = result.groups.get(group.code, ZERO)
            cap = _d(group.weight, ZERO)
            if group.kind == GroupKind.BONUS and cap:
                subtotal = min(subtotal, cap)
            elif group.kind == GroupKind.PENALTY and cap:
                subtotal = max(subtotal, -cap)
            result.groups[group.code] = q2(subtotal)
        result.total = q2(sum(result.groups.values(), ZERO))
        results.append(result)
    rank_results(results, tiebreak)
    return results


def rank_results(results: list[SubjectResult], tiebreak: Iterable[str] = ()) -> list[SubjectResult]:
    """Sort in place by total, then the tie-break subtotals (all descending), then name; assign
    competition ranks."""
    tiebreak = list(tiebreak)

    def key(r: SubjectResult):
        return (r.total, *[r.groups.get(code, ZERO) for code in tiebreak])

    results.sort(key=lambda r: r.name)
    results.sort(key=key, reverse=True)
    previous = None
    for position, result in enumerate(results, start=1):
        if previous is not None and key(previous) == key(result):
            result.rank = previous.rank
        else:
            result.rank = position
        previous = result
    return results


def rank_change(previous_rank: int | None, rank: int) -> int | None:
    """Places moved since the last period: positive = up, negative = down, None = not ranked then."""
    return None if previous_rank is None else previous_rank - rank
