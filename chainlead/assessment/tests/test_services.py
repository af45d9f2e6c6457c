"""Scoring from platform data, rank changes, and the bad inputs of issue 6 (weights, formulas,
manual scores without a reason): each refused with a clear message, nothing changed."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase, override_settings

from chainlead.assessment import services
from chainlead.assessment.choices import RankingStatus, SchemeStatus, ScoringMode, Source
from chainlead.assessment.default_scheme import CODE
from chainlead.assessment.models import Adjustment, Indicator, IndicatorScore, Ranking, Scheme
from chainlead.assessment.queries import ranking_rows
from chainlead.assessment.tests import factories as f
from chainlead.core.exceptions import ServiceError
from chainlead.core.models import AuditEvent
from chainlead.utilities.testing.base import assert_logged

END_OF_YEAR = override_settings(CHAINLEAD_TODAY=datetime.date(2021, 12, 31))


def scores_of(ranking):
    return {s.name: s for s in ranking.scores.all()}


@END_OF_YEAR
class TestScoringFromPlatformData(TestCase):
    def setUp(self):
        self.office = f.office()
        self.jia, self.yi, self.bing = f.zones("甲区", "乙区", "丙区")
        self.scheme = f.small_scheme(by=self.office)
        q3 = datetime.date(2021, 8, 1)
        for _ in range(4):
            f.signed(self.jia, q3, 20000, 20000)  # 4 projects, 2亿 each
        for _ in range(2):
            f.signed(self.yi, q3, 15000, 15000)  # 2 projects, 1.5亿 each
        for _ in range(3):
            f.signed(self.bing, q3, 30000, 30000)  # 3 projects, 3亿 each
        f.signed(self.yi, datetime.date(2021, 6, 30), 500000, 500000)  # signed in Q2: not counted
        f.signed(self.yi, q3, 5000, 0, registered_on=q3)  # under 1亿: not counted as "signed ≥1亿"

    def test_q3_ranking_is_the_hand_computed_one(self):
        """Quarter target = 12 × 3/12 = 3 projects. Signed: 甲 4 → min(4/3, 1.2) × 10 = 12 (cap);
        乙 2 → 6.67; 丙 3 → 10. Contracted investment 8, 3, 9 亿元 (乙's 0.5亿 project signed with
        0 contracted counts its total investment 0.5亿 → 3.5): efficacy 60 + 40 × (x − 3.5)/(9 − 3.5):
        甲 92.73 → 18.55, 乙 60 → 12, 丙 100 → 20. Totals 甲 30.55, 丙 30.00, 乙 18.67."""
        ranking = f.score(self.scheme, 3, self.office)
        s = scores_of(ranking)
        items = {
            (i.score.name, i.indicator.code): i
            for i in IndicatorScore.objects.filter(score__ranking=ranking).select_related(
                "score", "indicator"
            )
        }
        self.assertEqual(items[("甲区", "signed")].value, D(4))
        self.assertEqual(items[("甲区", "signed")].final_score, D("12.00"))  # capped at 1.2
        self.assertEqual(items[("乙区", "signed")].final_score, D("6.67"))
        self.assertEqual(items[("丙区", "signed")].final_score, D("10.00"))
        self.assertEqual(items[("乙区", "investment")].value, D("3.5"))
        self.assertEqual(items[("甲区", "investment")].final_score, D("18.55"))
        self.assertEqual(items[("乙区", "investment")].final_score, D("12.00"))
        self.assertEqual(items[("丙区", "investment")].final_score, D("20.00"))
        self.assertEqual(
            (s["甲区"].total, s["丙区"].total, s["乙区"].total), (D("30.55"), D("30.00"), D("18.67"))
        )
        self.assertEqual((s["甲区"].rank, s["丙区"].rank, s["乙区"].rank), (1, 2, 3))
        self.assertEqual(ranking.status, RankingStatus.COMPUTED)
        self.assertTrue(AuditEvent.objects.filter(verb="scored", object_id=ranking.pk).exists())

    def test_rank_change_against_the_previous_quarter(self):
        """Q4: only 乙 signs (4 × 2亿) → 乙 12 + 20 = 32; 甲 and 丙 0 + 12 each, equal on everything →
        both 2nd. Changes vs Q3 (甲 1, 丙 2, 乙 3): 乙 +2, 甲 −1, 丙 0."""
        q3 = f.score(self.scheme, 3, self.office)
        for _ in range(4):
            f.signed(self.yi, datetime.date(2021, 11, 1), 20000, 20000)
        q4 = f.score(self.scheme, 4, self.office)
        self.assertEqual(q4.previous, q3)
        s = scores_of(q4)
        self.assertEqual((s["乙区"].rank, s["甲区"].rank, s["丙区"].rank), (1, 2, 2))
        self.assertEqual((s["乙区"].change, s["甲区"].change, s["丙区"].change), (2, -1, 0))
        rows = ranking_rows(datetime.date(2021, 12, 31))
        self.assertEqual(
            [(r["name"], r["rank"], r["change"]) for r in rows],
            [("乙区", 1, 2), ("丙区", 2, 0), ("甲区", 2, -1)],
        )
        self.assertEqual(rows[0]["total"], D("32.00"))
        self.assertEqual((rows[0]["lights_red"], rows[0]["lights_yellow"]), (0, 0))
        # On 30 September only the Q3 ranking had ended.
        self.assertEqual(
            [r["name"] for r in ranking_rows(datetime.date(2021, 9, 30))], ["甲区", "丙区", "乙区"]
        )
        self.assertEqual(ranking_rows(datetime.date(2021, 6, 30)), [])

    def test_manual_score_without_reason_is_refused_and_nothing_changes(self):
        ranking = f.score(self.scheme, 3, self.office)
        item = IndicatorScore.objects.get(
            score__ranking=ranking, score__name="乙区", indicator__code="signed"
        )
        before = (
            item.final_score,
            item.adjusted_score,
            Adjustment.objects.count(),
            AuditEvent.objects.count(),
        )
        with self.assertRaises(ServiceError) as raised:
            services.adjust_score(item, score=D(10), reason="   ", by=self.office)
        self.assertIn("必须填写调整原因", raised.exception.message)
        item.refresh_from_db()
        self.assertEqual(
            (item.final_score, item.adjusted_score, Adjustment.objects.count(), AuditEvent.objects.count()),
            before,
        )
        self.assertEqual(scores_of(ranking)["乙区"].total, D("18.67"))

    def test_adjustment_is_audited_and_reranks(self):
        ranking = f.score(self.scheme, 3, self.office)
        item = IndicatorScore.objects.get(
            score__ranking=ranking, score__name="乙区", indicator__code="signed"
        )
        adjustment = services.adjust_score(
            item, score=D(12), reason="补录9月28日签约的两个项目（签约文本已核）", by=self.office
        )
        self.assertEqual((adjustment.old_score, adjustment.new_score), (D("6.67"), D("12.00")))
        self.assertEqual(adjustment.by, self.office)
        event = AuditEvent.objects.get(verb="score_adjusted", object_id=item.pk)
        self.assertEqual(event.user, self.office)
        self.assertIn("补录9月28日签约", event.message)
        self.assertIn("6.67", event.message)
        assert_logged(Adjustment, adjustment.pk, action="create", user=self.office)
        assert_logged(item, action="update", user=self.office)
        item.refresh_from_db()
        self.assertEqual((item.computed_score, item.final_score), (D("6.67"), D("12.00")))
        self.assertEqual(scores_of(ranking)["乙区"].total, D("24.00"))
        # Recomputing the ranking keeps the adjustment.
        services.compute_ranking(ranking, by=self.office)
        item = IndicatorScore.objects.get(
            score__ranking=ranking, score__name="乙区", indicator__code="signed"
        )
        self.assertEqual(item.final_score, D("12.00"))
        self.assertEqual(item.adjustments.count(), 1)

    def test_manual_value_needs_evidence(self):
        f.add_manual(self.scheme.__class__.objects.create(name="x", code="x"))  # unrelated draft scheme
        scheme = services.new_version(self.scheme, by=self.office)
        f.add_manual(scheme)
        scheme = services.publish_scheme(scheme, by=self.office)
        ranking = f.score(scheme, 3, self.office)
        item = IndicatorScore.objects.get(
            score__ranking=ranking, score__name="甲区", indicator__code="criticism"
        )
        with self.assertRaises(ServiceError) as raised:
            services.enter_value(item, value=2, evidence_note="", by=self.office)
        self.assertIn("须附佐证", raised.exception.message)
        with self.assertRaises(ServiceError):
            services.publish_ranking(ranking, by=self.office)  # manual value still missing
        for entry in IndicatorScore.objects.filter(score__ranking=ranking, indicator__code="criticism"):
            services.enter_value(
                entry,
                value=2 if entry.score.name == "甲区" else 0,
                evidence_note="青重点办〔2021〕21号",
                by=self.office,
            )
        s = scores_of(ranking)
        self.assertEqual(s["甲区"].total, D("26.55"))  # 30.55 − 2 × 2
        self.assertEqual((s["丙区"].rank, s["甲区"].rank), (1, 2))
        self.assertTrue(AuditEvent.objects.filter(verb="value_entered").exists())
        services.publish_ranking(ranking, by=self.office)
        with self.assertRaises(ServiceError):
            services.adjust_score(item, score=0, reason="更正", by=self.office)


class TestSchemeRules(TestCase):
    def setUp(self):
        self.office = f.office()

    def test_default_scheme_is_installed_and_valid(self):
        scheme = Scheme.objects.get(code=CODE, revision=1)
        self.assertEqual(scheme.status, SchemeStatus.PUBLISHED)
        self.assertEqual(services.scheme_problems(scheme), [])
        groups = {g.code: g.weight for g in scheme.groups.all()}
        self.assertEqual(
            groups,
            {
                "attraction": 30,
                "construction": 35,
                "statistics": 15,
                "mechanism": 20,
                "bonus": 10,
                "penalty": 10,
            },
        )
        self.assertEqual(scheme.indicators.get(code="ytd_investment_rate").weight, 15)
        self.assertEqual(scheme.indicators.get(code="late_reports").mode, ScoringMode.DEDUCTION)
        self.assertEqual(scheme.indicators.get(code="upper_criticism").source, Source.MANUAL)

    def test_weights_not_adding_up_are_refused_and_nothing_changes(self):
        scheme = f.small_scheme(publish=False)
        signed = scheme.indicators.get(code="signed")
        with self.assertRaises(ServiceError) as raised:
            services.set_weights(scheme, weights={signed.pk: D(15)}, by=self.office)
        self.assertIn("“项目招引”组各指标权重合计为15分", raised.exception.message)
        signed.refresh_from_db()
        self.assertEqual(signed.weight, 10)
        group = scheme.groups.get(code="attraction")
        with self.assertRaises(ServiceError) as raised:
            services.set_weights(scheme, weights={}, group_weights={group.pk: D(15)}, by=self.office)
        self.assertIn("合计为35分", raised.exception.message)
        self.assertIn("不等于方案满分30分", raised.exception.message)
        # A consistent change (5 + 25 = 30) is saved, audited, and the scheme can be published.
        investment = scheme.indicators.get(code="investment")
        construction = scheme.groups.get(code="construction")
        services.set_weights(
            scheme,
            weights={signed.pk: D(5), investment.pk: D(25)},
            group_weights={group.pk: D(5), construction.pk: D(25)},
            by=self.office,
        )
        signed.refresh_from_db()
        self.assertEqual(signed.weight, 5)
        self.assertTrue(AuditEvent.objects.filter(verb="weights_changed", object_id=scheme.pk).exists())
        services.publish_scheme(scheme, by=self.office)
        scheme.refresh_from_db()
        self.assertEqual(scheme.status, SchemeStatus.PUBLISHED)

    def test_formula_with_unknown_indicator_is_refused(self):
        scheme = f.small_scheme(publish=False)
        ind = Indicator(
            scheme=scheme,
            group=scheme.groups.get(code="attraction"),
            code="combo",
            name="组合",
            weight=0,
            mode=ScoringMode.FORMULA,
            expression="signed * 2 + investmnet",
            source=Source.MANUAL,
        )
        with self.assertRaises(ValidationError) as raised:
            ind.full_clean()
        message = " ".join(raised.exception.message_dict["expression"])
        self.assertIn("公式引用了不存在的指标“investmnet”", message)
        self.assertIn("investment", message)  # the known codes are listed
        self.assertFalse(Indicator.objects.filter(code="combo").exists())
        ind.expression = "signed * 2 + investment"
        ind.full_clean()

    def test_unknown_computation_is_refused(self):
        scheme = f.small_scheme(publish=False)
        ind = scheme.indicators.get(code="signed")
        ind.computation = "no_such_thing"
        with self.assertRaises(ValidationError) as raised:
            ind.full_clean()
        self.assertIn("未知的计算口径", str(raised.exception))

    def test_published_version_is_immutable_and_new_version_is_a_copy(self):
        scheme = f.small_scheme(by=self.office)
        ind = scheme.indicators.get(code="signed")
        ind.weight = D(5)
        with self.assertRaises(ValidationError) as raised:
            ind.full_clean()
        self.assertIn("已发布，不能再修改", str(raised.exception))
        with self.assertRaises(ServiceError):
            services.set_weights(scheme, weights={ind.pk: D(5)}, by=self.office)
        copy = services.new_version(scheme, by=self.office)
        self.assertEqual(
            (copy.code, copy.revision, copy.status, copy.previous), ("test", 2, SchemeStatus.DRAFT, scheme)
        )
        self.assertEqual(sorted(copy.indicators.values_list("code", flat=True)), ["investment", "signed"])
        self.assertEqual(copy.indicators.get(code="signed").target, 12)
        services.publish_scheme(copy, by=self.office)
        scheme.refresh_from_db()
        self.assertEqual(scheme.status, SchemeStatus.RETIRED)


@pytest.mark.django_db
def test_quarter_to_date_label_and_target(settings):
    settings.CHAINLEAD_TODAY = datetime.date(2021, 11, 30)
    period = services.period_for("quarter", 2021, 4)
    assert (period.start, period.end) == (datetime.date(2021, 10, 1), datetime.date(2021, 11, 30))
    assert period.label == "2021年第四季度（截至11月30日）"
    with pytest.raises(ServiceError):
        services.period_for("quarter", 2022, 1)
    ranking = Ranking(period_start=period.start, period_end=period.end)
    assert services.effective_target(Indicator(target=D(12)), ranking) == D(2)  # 2 months of 12
