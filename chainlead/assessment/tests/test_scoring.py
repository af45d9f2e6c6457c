"""The scoring engine against rankings computed by hand (no database)."""

from dataclasses import dataclass
from decimal import Decimal as D

import pytest

from chainlead.assessment.choices import GroupKind, ScoringMode
from chainlead.assessment.scoring import (
    FormulaError,
    evaluate,
    rank_change,
    score_indicator,
    score_table,
    unknown_names,
)


@dataclass
class G:
    code: str
    kind: str = GroupKind.REGULAR
    weight: D = D(0)


@dataclass
class I:  # noqa: E742  (an indicator, as the engine sees it)
    code: str
    group_code: str
    mode: str
    weight: D = D(0)
    target: D | None = None
    cap: D | None = None
    points: D | None = None
    item_cap: D | None = None
    expression: str = ""
    when_no_base: str = "full"


def table(indicators, values, groups=None, **kw):
    groups = groups or [G("attraction", weight=D(10)), G("construction", weight=D(20))]
    results = score_table(groups, indicators, values, {k: k for k in values}, **kw)
    return {r.key: r for r in results}, [r.key for r in results]


def test_ratio_capped_by_hand_with_the_cap_and_the_tie_break():
    """signed ≥1亿 projects, target 10, cap 1.2, weight 10: min(actual/10, 1.2) × 10.
    甲 15 → 1.5 capped to 1.2 → 12.00; 乙 8 → 8.00; 丙 12 → 1.2 → 12.00 (the cap makes 甲 and 丙
    equal). Construction (start rate × 20): 甲 0.5 → 10, 乙 1.0 → 20, 丙 0.6 → 12.
    Totals: 甲 22, 乙 28, 丙 24 → 乙 1st, 丙 2nd, 甲 3rd."""
    inds = [
        I("signed", "attraction", ScoringMode.RATIO_CAPPED, D(10), target=D(10), cap=D("1.2")),
        I("start", "construction", ScoringMode.RATIO, D(20)),
    ]
    values = {
        "甲": {"signed": D(15), "start": D("0.5")},
        "乙": {"signed": D(8), "start": D("1.0")},
        "丙": {"signed": D(12), "start": D("0.6")},
    }
    by, order = table(inds, values, tiebreak=["construction", "attraction"])
    assert by["甲"].scores["signed"] == D("12.00")  # capped at 1.2 × 10, not 15
    assert by["丙"].scores["signed"] == D("12.00")
    assert by["乙"].scores["signed"] == D("8.00")
    assert [by[k].total for k in order] == [D("28.00"), D("24.00"), D("22.00")]
    assert order == ["乙", "丙", "甲"]
    assert [by[k].rank for k in order] == [1, 2, 3]


def test_tie_on_total_is_broken_by_construction_then_attraction():
    """Both total 25: 甲 construction 15 beats 乙 construction 10. 丙 and 丁 equal on total and
    construction and attraction share the rank."""
    inds = [
        I("a", "attraction", ScoringMode.RATIO, D(20)),
        I("c", "construction", ScoringMode.RATIO, D(20)),
    ]
    values = {
        "乙": {"a": D("0.75"), "c": D("0.5")},  # 15 + 10 = 25
        "甲": {"a": D("0.5"), "c": D("0.75")},  # 10 + 15 = 25
        "丙": {"a": D("0.40"), "c": D("0.6")},  # 8 + 12 = 20
        "丁": {"a": D("0.40"), "c": D("0.6")},  # identical to 丙
    }
    by, order = table(
        inds,
        values,
        groups=[G("attraction", weight=D(20)), G("construction", weight=D(20))],
        tiebreak=["construction", "attraction"],
    )
    assert by["甲"].total == by["乙"].total == D("25.00")
    assert order[:2] == ["甲", "乙"]  # construction 15 > 10
    assert (by["甲"].rank, by["乙"].rank) == (1, 2)
    assert by["丙"].rank == by["丁"].rank == 3  # equal on everything: shared rank
    # Without the tie-break rule both would share first place.
    by2, _order = table(inds, values, groups=[G("attraction", weight=D(20)), G("construction", weight=D(20))])
    assert by2["甲"].rank == by2["乙"].rank == 1


def test_efficacy_coefficient_by_hand():
    """Contracted investment 200, 120, 80 亿元, weight 20: coefficient 60 + 40 × (x − 80)/(200 − 80):
    甲 100 → 20.00; 乙 60 + 40 × 40/120 = 73.33… → 14.67; 丙 60 → 12.00."""
    inds = [I("inv", "attraction", ScoringMode.EFFICACY_COEFFICIENT, D(20))]
    values = {"甲": {"inv": D(200)}, "乙": {"inv": D(120)}, "丙": {"inv": D(80)}}
    by, order = table(inds, values, groups=[G("attraction", weight=D(20))])
    assert [by[k].scores["inv"] for k in ("甲", "乙", "丙")] == [D("20.00"), D("14.67"), D("12.00")]
    assert order == ["甲", "乙", "丙"]


def test_efficacy_coefficient_all_equal_gives_full_marks():
    ind = I("inv", "attraction", ScoringMode.EFFICACY_COEFFICIENT, D(20))
    assert score_indicator(ind, D(5), column=[D(5), D(5)]) == D("20.00")


def test_combined_ranking_of_both_formula_types():
    """甲: signed 12/10 → 12, investment 200 → 20 (coef 100) = 32; 乙: 6/10 → 6, 140 → 60+40×60/120=80 →
    16 = 22; 丙: 10/10 → 10, 80 → 12 = 22. 乙 and 丙 tie at 22; construction is empty, attraction equal,
    so they share 2nd place."""
    inds = [
        I("signed", "attraction", ScoringMode.RATIO_CAPPED, D(10), target=D(10), cap=D("1.2")),
        I("inv", "construction", ScoringMode.EFFICACY_COEFFICIENT, D(20)),
    ]
    values = {
        "甲": {"signed": D(12), "inv": D(200)},
        "乙": {"signed": D(6), "inv": D(140)},
        "丙": {"signed": D(10), "inv": D(80)},
    }
    by, _order = table(inds, values, tiebreak=["construction", "attraction"])
    assert (by["甲"].total, by["乙"].total, by["丙"].total) == (D("32.00"), D("22.00"), D("22.00"))
    # 乙 has construction 16 > 丙 12: construction breaks the tie.
    assert (by["甲"].rank, by["乙"].rank, by["丙"].rank) == (1, 2, 3)


def test_deduction_bonus_penalty_and_group_caps():
    late = I("late", "mechanism", ScoringMode.DEDUCTION, D(5), points=D(1))
    assert score_indicator(late, D(2)) == D("3.00")  # 5 − 2
    assert score_indicator(late, D(9)) == D("0.00")  # never below 0
    assert score_indicator(late, None) == D("5.00")
    inds = [
        I("p10", "bonus", ScoringMode.BONUS, points=D(2), item_cap=D(6)),
        I("p50", "bonus", ScoringMode.BONUS, points=D(4), item_cap=D(8)),
        I("red", "penalty", ScoringMode.PENALTY, points=D("0.5"), item_cap=D(5)),
    ]
    groups = [G("bonus", GroupKind.BONUS, D(10)), G("penalty", GroupKind.PENALTY, D(10))]
    by, _ = table(inds, {"甲": {"p10": D(5), "p50": D(3), "red": D(30)}}, groups=groups)
    r = by["甲"]
    assert r.scores["p10"] == D("6.00")  # 5 × 2 = 10, capped at 6
    assert r.scores["p50"] == D("8.00")  # 3 × 4 = 12, capped at 8
    assert r.groups["bonus"] == D("10.00")  # 14, the group caps at 10
    assert r.scores["red"] == D("-5.00")  # 30 × 0.5 = 15, capped at 5
    assert r.total == D("5.00")


def test_override_replaces_the_computed_score():
    inds = [I("a", "attraction", ScoringMode.RATIO, D(10))]
    by, _ = table(
        inds, {"甲": {"a": D("0.5")}}, groups=[G("attraction", weight=D(10))], overrides={("甲", "a"): D(0)}
    )
    assert by["甲"].scores["a"] == D("0.00")


def test_no_base_scores_full_or_zero():
    full = I("r", "x", ScoringMode.RATIO, D(5))
    zero = I("r", "x", ScoringMode.RATIO, D(5), when_no_base="zero")
    assert score_indicator(full, None) == D("5.00")
    assert score_indicator(zero, None) == D("0.00")


def test_formula_and_unknown_names():
    ind = I("f", "x", ScoringMode.FORMULA, D(10), expression="min(signed / 4, 1) * weight + 0 * value")
    assert score_indicator(ind, D(1), names={"signed": D(2)}) == D("5.00")
    assert unknown_names("signed + nonexistent * 2", ["signed"]) == ["nonexistent"]
    with pytest.raises(FormulaError):
        unknown_names("__import__('os')", [])
    with pytest.raises(FormulaError):
        evaluate("a +", {})


def test_rank_change_sign():
    assert rank_change(3, 1) == 2  # moved up two places
    assert rank_change(1, 3) == -2
    assert rank_change(None, 1) is None
