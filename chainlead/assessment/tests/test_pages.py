"""The pages and API as a user uses them: run a scoring (a job with progress) and read the
ranking, export it to .xlsx, read an indicator's 口径 page, enter and adjust scores."""

import datetime
import io
from decimal import Decimal as D

from django.test import TestCase, override_settings
from django.urls import reverse
from python_calamine import CalamineWorkbook

from chainlead.assessment.models import Adjustment, IndicatorScore, Ranking, Scheme
from chainlead.assessment.tests import factories as f
from chainlead.organization.choices import Role
from chainlead.utilities.testing.base import make_user

END_OF_YEAR = override_settings(CHAINLEAD_TODAY=datetime.date(2021, 12, 31))


@END_OF_YEAR
class TestRankingPages(TestCase):
    def setUp(self):
        self.office = f.office()
        self.jia, self.yi, self.bing = f.zones("甲区", "乙区", "丙区")
        self.scheme = f.small_scheme(by=self.office)
        for zone, n, wan in ((self.jia, 4, 20000), (self.yi, 2, 15000), (self.bing, 3, 30000)):
            for _ in range(n):
                f.signed(zone, datetime.date(2021, 8, 1), wan, wan)
        self.viewer = make_user("viewer", unit=self.jia, roles=[(Role.VIEWER, self.jia)])
        self.client.force_login(self.office)

    def run_scoring(self, quarter=3):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("assessment:run"),
                {
                    "scheme": self.scheme.pk,
                    "subject_kind": "zone",
                    "period_kind": "quarter",
                    "year": "2021",
                    "number": str(quarter),
                },
            )
        self.assertEqual(response.status_code, 302, getattr(response.context, "get", lambda k: None)("form"))
        return Ranking.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))

    def test_run_shows_the_job_then_the_ranking(self):
        ranking = self.run_scoring()
        ranking.refresh_from_db()
        self.assertEqual(ranking.status, "computed")
        self.assertEqual(ranking.job.status, "succeeded")
        self.assertEqual(ranking.job.percent, 100)
        page = self.client.get(ranking.get_absolute_url())
        self.assertEqual(page.status_code, 200)
        rows = [(s.rank, s.name, s.total) for s in page.context["scores"]]
        self.assertEqual(rows, [(1, "甲区", D("30.67")), (2, "丙区", D("30.00")), (3, "乙区", D("18.67"))])
        self.assertContains(page, "2021年第三季度功能区考核排名")
        self.assertContains(page, 'data-chart="ranking-chart"')
        # The progress endpoint tells the page to reload once the job is done.
        self.assertEqual(
            self.client.get(reverse("assessment:ranking_progress", args=[ranking.pk]))["HX-Refresh"], "true"
        )

    def test_progress_bar_while_computing(self):
        ranking = Ranking.objects.create(
            scheme=self.scheme,
            subject_kind="zone",
            period_kind="quarter",
            period_start=datetime.date(2021, 7, 1),
            period_end=datetime.date(2021, 9, 30),
            label="2021年第三季度",
        )
        from chainlead.core.models import Job

        ranking.job = Job.objects.create(
            name="assessment.score",
            label="考核计分",
            status="running",
            progress_done=1,
            progress_total=4,
            user=self.office,
        )
        ranking.save()
        page = self.client.get(ranking.get_absolute_url())
        self.assertContains(page, 'id="ranking-progress"')
        self.assertContains(page, "25%")
        partial = self.client.get(reverse("assessment:ranking_progress", args=[ranking.pk]))
        self.assertContains(partial, "progress-bar")
        self.assertNotIn("HX-Refresh", partial)

    def test_export_xlsx_reads_back(self):
        ranking = self.run_scoring()
        response = self.client.get(ranking.get_absolute_url() + "?export=xlsx")
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response["Content-Type"])
        book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        self.assertEqual(book.sheet_names, ["考核排名", "指标得分明细"])
        rows = book.get_sheet_by_name("考核排名").to_python()
        self.assertEqual(rows[0][:5], ["名次", "考核对象", "总分", "项目招引（分）", "项目建设（分）"])
        self.assertEqual(
            [(int(r[0]), r[1], r[2]) for r in rows[1:]],
            [(1, "甲区", 30.67), (2, "丙区", 30.0), (3, "乙区", 18.67)],
        )
        detail = book.get_sheet_by_name("指标得分明细").to_python()
        jia_signed = next(r for r in detail[1:] if r[0] == "甲区" and r[2] == "新签约亿元以上项目")
        self.assertEqual((jia_signed[3], jia_signed[4], jia_signed[6]), ("4个", "3个", 12.0))

    def test_rank_change_shown_and_exported(self):
        self.run_scoring(3)
        for _ in range(4):
            f.signed(self.yi, datetime.date(2021, 11, 1), 20000, 20000)
        q4 = self.run_scoring(4)
        page = self.client.get(q4.get_absolute_url())
        self.assertContains(page, '<span class="text-success">↑2</span>', html=True)
        self.assertContains(page, '<span class="text-danger">↓1</span>', html=True)
        rows = (
            CalamineWorkbook.from_filelike(
                io.BytesIO(self.client.get(q4.get_absolute_url() + "?export=xlsx").content)
            )
            .get_sheet_by_name("考核排名")
            .to_python()
        )
        self.assertEqual(
            [(r[1], r[-4], r[-3]) for r in rows[1:]],
            [("乙区", 3.0, 2.0), ("丙区", 2.0, 0.0), ("甲区", 1.0, -1.0)],
        )

    def test_indicator_definition_page(self):
        ind = self.scheme.indicators.get(code="signed")
        page = self.client.get(ind.get_absolute_url())
        self.assertContains(page, "得分 = min(实际值 ÷ 目标值12个, 1.2) × 10分")
        self.assertContains(page, "计划总投资不低于1亿元")  # what is counted (from the registry)
        self.assertContains(page, "平台数据自动计算")
        self.assertContains(page, "全年 12个")
        self.client.force_login(self.viewer)  # published: every role can read it
        self.assertEqual(self.client.get(ind.get_absolute_url()).status_code, 200)

    def test_adjust_form_without_reason_is_refused(self):
        ranking = self.run_scoring()
        item = IndicatorScore.objects.get(
            score__ranking=ranking, score__name="乙区", indicator__code="signed"
        )
        url = reverse("assessment:indicatorscore_adjust", args=[item.pk])
        response = self.client.post(url, {"score": "10", "reason": ""})
        self.assertEqual(response.status_code, 200)
        self.assertIn("必须填写调整原因", str(response.context["form"].errors))
        item.refresh_from_db()
        self.assertEqual((item.final_score, Adjustment.objects.count()), (D("6.67"), 0))
        response = self.client.post(url, {"score": "10", "reason": "补录签约项目"})
        self.assertEqual(response.status_code, 302)
        item.refresh_from_db()
        self.assertEqual(item.final_score, D("10.00"))
        page = self.client.get(item.score.get_absolute_url())
        self.assertContains(page, "补录签约项目")
        self.client.force_login(self.viewer)
        self.assertEqual(self.client.post(url, {"score": "0", "reason": "x"}).status_code, 403)

    def test_api_adjust_without_reason_is_400_and_run_action(self):
        ranking = self.run_scoring()
        item = IndicatorScore.objects.get(
            score__ranking=ranking, score__name="乙区", indicator__code="signed"
        )
        url = reverse("assessment-api:indicatorscore-adjust", args=[item.pk])
        response = self.client.post(url, {"score": "10"}, content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("必须填写调整原因", response.json()["reason"][0])
        response = self.client.post(url, {"score": "10", "reason": "补录"}, content_type="application/json")
        self.assertEqual(response.status_code, 201, response.content)
        scores = self.client.get(reverse("assessment-api:score-list") + f"?ranking={ranking.pk}").json()[
            "results"
        ]
        self.assertEqual({s["name"]: s["total"] for s in scores}["乙区"], "22.00")

    def test_weights_page_refuses_a_wrong_sum(self):
        scheme = Scheme.objects.create(name="草稿", code="draft")
        from chainlead.assessment.models import IndicatorGroup

        g = IndicatorGroup.objects.create(scheme=scheme, name="项目招引", code="attraction", weight=100)
        response = self.client.post(
            reverse("assessment:scheme_weights", args=[scheme.pk]), {f"g{g.pk}": "90", "versions": f"g{g.pk}:{g.version}"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "合计为90分")
        g.refresh_from_db()
        self.assertEqual(g.weight, 100)

    def test_scheme_page_and_dashboard_panel(self):
        page = self.client.get(self.scheme.get_absolute_url())
        self.assertContains(page, "权重校验通过")
        self.run_scoring()
        from chainlead.assessment.panels import ranking_context

        ctx = ranking_context(None, type("Dash", (), {"period_end": datetime.date(2021, 12, 31)})())
        self.assertEqual([s.name for s in ctx["scores"]], ["甲区", "丙区", "乙区"])
        home = self.client.get(reverse("dashboard:index")) if _has_url("dashboard:index") else None
        if home is not None:
            self.assertContains(home, "功能区考核排名")


def _has_url(name):
    from django.urls import NoReverseMatch

    try:
        reverse(name)
        return True
    except NoReverseMatch:
        return False
