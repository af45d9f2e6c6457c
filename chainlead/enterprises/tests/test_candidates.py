"""四上 thresholds as dated data, and the monthly 纳统 candidates (service and page)."""

import datetime
import io
from decimal import Decimal

import openpyxl
from django.test import TestCase
from django.urls import reverse

from chainlead.enterprises.choices import StatsCategory, StatsStatus
from chainlead.enterprises.services import parse_month, previous_month, stats_candidates, threshold_for
from chainlead.enterprises.tests.factories import make_enterprise, revenue, threshold
from chainlead.utilities.testing.base import Org, max_queries

D = datetime.date


class ThresholdForTests(TestCase):
    def setUp(self):
        self.old = threshold(StatsCategory.SERVICE_B, 500, D(2015, 1, 1), D(2020, 12, 31))
        self.new = threshold(StatsCategory.SERVICE_B, 1000, D(2021, 1, 1))

    def test_the_rule_valid_on_the_day(self):
        self.assertEqual(threshold_for(StatsCategory.SERVICE_B, D(2020, 12, 31)), self.old)
        self.assertEqual(threshold_for(StatsCategory.SERVICE_B, D(2021, 1, 1)), self.new)
        self.assertEqual(threshold_for(StatsCategory.SERVICE_B, D(2030, 6, 1)), self.new)

    def test_none_before_the_first_rule_or_for_another_category(self):
        self.assertIsNone(threshold_for(StatsCategory.SERVICE_B, D(2014, 12, 31)))
        self.assertIsNone(threshold_for(StatsCategory.RETAIL, D(2021, 6, 1)))
        self.assertIsNone(threshold_for("", D(2021, 6, 1)))

    def test_overlapping_periods_are_refused(self):
        from django.core.exceptions import ValidationError

        with self.assertRaisesMessage(ValidationError, "有效期重叠"):
            threshold(StatsCategory.SERVICE_B, 800, D(2020, 6, 1), D(2021, 6, 30))


class StatsCandidatesTests(TestCase):
    """Hand-made data on each side of the threshold and across a threshold change."""

    def setUp(self):
        self.org = Org()
        threshold(StatsCategory.INDUSTRY, 2000, D(2011, 1, 1))
        threshold(StatsCategory.RETAIL, 500, D(2011, 1, 1))
        # The services rule rises from 500 to 1,000万元 on 2021-07-01.
        threshold(StatsCategory.SERVICE_B, 500, D(2011, 1, 1), D(2021, 6, 30))
        threshold(StatsCategory.SERVICE_B, 1000, D(2021, 7, 1))
        threshold(StatsCategory.CONSTRUCTION, None, D(2011, 1, 1), basis="有资质")
        unit = self.org.unit_a

        def e(name, category, status=StatsStatus.NOT_IN, **kw):
            return make_enterprise(name, unit, stats_category=category, stats_status=status, **kw)

        self.exactly = e("正好达标工业", StatsCategory.INDUSTRY)
        revenue(self.exactly, 2021, 11, "2000.00")
        self.just_below = e("差一分工业", StatsCategory.INDUSTRY)
        revenue(self.just_below, 2021, 11, "1999.99")
        self.crossed_in_oct = e("十月达标零售", StatsCategory.RETAIL)
        revenue(self.crossed_in_oct, 2021, 9, "480")
        revenue(self.crossed_in_oct, 2021, 10, "560")
        self.already_in = e(
            "已纳统工业", StatsCategory.INDUSTRY, StatsStatus.IN_STATS, stats_entered_on=D(2020, 1, 1)
        )
        revenue(self.already_in, 2021, 11, "9000")
        self.exited = e("已退库零售", StatsCategory.RETAIL, StatsStatus.EXITED)
        revenue(self.exited, 2021, 11, "800")
        self.later_report = e("只报了十二月", StatsCategory.INDUSTRY)
        revenue(self.later_report, 2021, 12, "5000")
        self.service = e("服务业七百万", StatsCategory.SERVICE_B)
        revenue(self.service, 2021, 6, "700")
        revenue(self.service, 2021, 7, "760")
        self.builder = e("有资质建筑", StatsCategory.CONSTRUCTION)
        revenue(self.builder, 2021, 11, "300")
        self.builder_exited = e("退库建筑", StatsCategory.CONSTRUCTION, StatsStatus.EXITED)
        revenue(self.builder_exited, 2021, 11, "300")
        self.no_revenue = e("没有营收工业", StatsCategory.INDUSTRY)
        self.no_category = e("未分类企业", "")
        revenue(self.no_category, 2021, 11, "99999")

    def names(self, month):
        return set(stats_candidates(month).values_list("name", flat=True))

    def test_november_candidates(self):
        self.assertEqual(
            self.names(D(2021, 11, 1)),
            {"正好达标工业", "十月达标零售", "已退库零售", "有资质建筑"},
        )

    def test_each_side_of_the_threshold(self):
        names = self.names(D(2021, 11, 1))
        self.assertIn("正好达标工业", names)  # 2,000.00 ≥ 2,000
        self.assertNotIn("差一分工业", names)  # 1,999.99 < 2,000
        self.assertNotIn("已纳统工业", names)  # already counted
        self.assertNotIn("只报了十二月", names)  # reported after the month only
        self.assertNotIn("没有营收工业", names)
        self.assertNotIn("未分类企业", names)  # no category: nothing to judge by
        self.assertNotIn("退库建筑", names)  # no revenue rule: only enterprises without a status

    def test_latest_report_in_or_before_the_month(self):
        self.assertNotIn("十月达标零售", self.names(D(2021, 9, 1)))  # 480 < 500
        row = stats_candidates(D(2021, 12, 1)).get(name="十月达标零售")
        self.assertEqual(row.reported_month, D(2021, 10, 1))  # no December report: October's
        self.assertEqual(row.ytd_revenue, Decimal("560"))
        self.assertEqual(row.threshold, Decimal("500"))
        self.assertEqual(Decimal(row.excess).quantize(Decimal("0.01")), Decimal("60.00"))

    def test_across_a_threshold_change(self):
        # June: 700 ≥ 500 (old rule); July: 760 < 1,000 (new rule from 2021-07-01).
        june = stats_candidates(D(2021, 6, 1)).get(name="服务业七百万")
        self.assertEqual(june.threshold, Decimal("500"))
        self.assertNotIn("服务业七百万", self.names(D(2021, 7, 1)))
        self.assertNotIn("服务业七百万", self.names(D(2021, 11, 1)))

    def test_no_rule_for_the_month_leaves_the_category_out(self):
        self.assertNotIn("正好达标工业", {e.name for e in stats_candidates(D(2010, 12, 1))})
        late = make_enterprise("早年达标工业", self.org.unit_a)
        revenue(late, 2010, 12, "5000")
        self.assertNotIn("早年达标工业", self.names(D(2010, 12, 1)))  # no industry rule before 2011
        self.assertIn("早年达标工业", self.names(D(2011, 1, 1)))

    def test_without_revenue_rule_row_still_judged_for_construction_and_real_estate(self):
        estate = make_enterprise("地产开发", self.org.unit_a, stats_category=StatsCategory.REAL_ESTATE)
        revenue(estate, 2021, 11, "1")
        self.assertIn("地产开发", self.names(D(2021, 11, 1)))
        row = stats_candidates(D(2021, 11, 1)).get(name="地产开发")
        self.assertIsNone(row.threshold)
        self.assertIsNone(row.excess)

    def test_queryset_narrows_the_enterprises(self):
        from chainlead.enterprises.models import Enterprise

        only = Enterprise.objects.filter(pk=self.exactly.pk)
        self.assertEqual([e.name for e in stats_candidates(D(2021, 11, 1), only)], ["正好达标工业"])


class MonthParsingTests(TestCase):
    def test_months(self):
        self.assertEqual(parse_month("2021-11"), D(2021, 11, 1))
        self.assertEqual(parse_month(" 2021-3 "), D(2021, 3, 1))
        self.assertEqual(previous_month(D(2021, 1, 15)), D(2020, 12, 1))
        from chainlead.core.exceptions import ServiceError

        for bad in ("2021-13", "21-11", "2021/11", "十一月", "2021-11-05"):
            with self.subTest(bad=bad), self.assertRaises(ServiceError) as caught:
                parse_month(bad)
            self.assertIn("如 2021-11", caught.exception.message)


class CandidatePageTests(TestCase):
    def setUp(self):
        self.org = Org()
        threshold(StatsCategory.INDUSTRY, 2000, D(2011, 1, 1))
        self.mine = make_enterprise("甲局服务的达标企业", self.org.unit_a)
        revenue(self.mine, 2021, 11, "2500")
        self.theirs = make_enterprise("乙局服务的达标企业", self.org.unit_b)
        revenue(self.theirs, 2021, 10, "3100")
        self.url = reverse("enterprises:candidates")

    def test_lists_the_month_with_columns(self):
        self.client.force_login(self.org.insider)
        self.client.get(self.url + "?month=2021-11")
        with max_queries(12):
            response = self.client.get(self.url + "?month=2021-11")
        self.assertEqual(response.status_code, 200)
        rows = {r.record.name: r.record for r in response.context["table"].rows}
        self.assertEqual(set(rows), {"甲局服务的达标企业", "乙局服务的达标企业"})  # like the enterprise list
        body = response.content.decode()
        for header in (
            "企业",
            "四上类别",
            "门槛（万元）",
            "本年累计营业收入（万元）",
            "填报月份",
            "超出门槛（万元）",
            "服务单位",
        ):
            self.assertIn(header, body)
        self.assertIn("2,500.00", body)
        self.assertIn("2021年10月", body)  # the reported month of 乙局's enterprise
        self.assertIn("2021年11月", body)
        self.assertIn("建筑业", body)  # the note about categories without a revenue threshold

    def test_sortable(self):
        self.client.force_login(self.org.office)
        ascending = self.client.get(self.url + "?month=2021-11&sort=excess").context["table"]
        self.assertEqual(
            [r.record.name for r in ascending.rows], ["甲局服务的达标企业", "乙局服务的达标企业"]
        )
        descending = self.client.get(self.url + "?month=2021-11&sort=-ytd_revenue").context["table"]
        self.assertEqual([r.record.name for r in descending.rows][0], "乙局服务的达标企业")

    def test_export_xlsx(self):
        self.client.force_login(self.org.office)
        response = self.client.get(self.url + "?month=2021-11&export=xlsx")
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response["Content-Type"])
        ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
        headers = [c.value for c in ws[1]]
        self.assertEqual(headers[0], "企业")
        self.assertIn("超出门槛（万元）", headers)
        values = {ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)}
        self.assertEqual(values, {"甲局服务的达标企业", "乙局服务的达标企业"})
        category_col = headers.index("四上类别") + 1
        self.assertEqual(ws.cell(row=2, column=category_col).value, "规模以上工业")  # the full name
        revenue_col = headers.index("本年累计营业收入（万元）") + 1
        self.assertIn(2500, [ws.cell(row=r, column=revenue_col).value for r in range(2, ws.max_row + 1)])

    def test_default_is_last_month(self):
        self.client.force_login(self.org.office)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["month"], previous_month())
        self.assertContains(response, f'value="{previous_month():%Y-%m}"')

    def test_bad_month_gets_a_plain_message(self):
        self.client.force_login(self.org.office)
        response = self.client.get(self.url + "?month=2021-13")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "月份“2021-13”无法识别")
        self.assertIsNone(response.context["table"])

    def test_without_role_is_forbidden_and_anonymous_goes_to_login(self):
        self.assertEqual(self.client.get(self.url).status_code, 302)
        self.client.force_login(self.org.nobody)
        self.assertEqual(self.client.get(self.url).status_code, 403)
