"""Generated page and API tests of the rule data the office edits (four ways each: anonymous, no
role, out of scope, with permission; change log; query budgets; optimistic locking), and the
light and bulletin pages' scope."""

from django.test import TestCase, override_settings

from chainlead.organization.choices import Role
from chainlead.supervision.models import BulletinTemplate, ConsequenceStep, Light, WarningRule
from chainlead.supervision.tests.helpers import D, period, project
from chainlead.utilities.testing.base import Org, max_queries
from chainlead.utilities.testing.models import ModelAPITests, ModelViewTests


class RuleSample:
    model = WarningRule
    role = Role.UNIT_HEAD
    public_view = True
    insider_can_add = insider_can_edit = insider_can_delete = False

    def setUp(self):
        super().setUp()
        WarningRule.objects.filter(code="W8").delete()  # the code the add form and the API create

    def make(self, org, unit, n=0):
        # The shipped W1–W8 rows exist; samples reuse a code after deleting its row.
        code = ["W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8"][n % 8]
        WarningRule.objects.filter(code=code).delete()
        return WarningRule.objects.create(code=code, name=f"规则{n}", measure="天", yellow_at=1, red_at=15)

    def form_data(self, org, unit):
        return {
            "code": "W8",
            "name": "月度任务",
            "measure": "个月",
            "direction": "higher",
            "yellow_at": "1",
            "red_at": "2",
            "min_annual_plan": "0",
            "is_active": "on",
        }

    def edit_data(self, org, obj):
        return {
            "code": obj.code,
            "name": obj.name + "（改）",
            "measure": "天",
            "direction": "higher",
            "yellow_at": "2",
            "red_at": "20",
            "min_annual_plan": "0",
            "is_active": "on",
            "_version": obj.version,
        }

    def api_data(self, org, unit):
        return {"code": "W8", "name": "月度任务", "measure": "个月", "yellow_at": "1", "red_at": "2"}


class TestWarningRuleViews(RuleSample, ModelViewTests):
    pass


class TestWarningRuleAPI(RuleSample, ModelAPITests):
    pass


class StepSample:
    model = ConsequenceStep
    role = Role.UNIT_HEAD
    public_view = True
    insider_can_add = insider_can_edit = insider_can_delete = False

    def make(self, org, unit, n=0):
        return ConsequenceStep.objects.create(color="yellow", min_streak=1 + n % 3, measure=f"约谈{n}")

    def form_data(self, org, unit):
        return {
            "color": "red",
            "min_streak": "2",
            "measure": "通报批评",
            "by_whom": "区主要领导",
            "sort_order": "50",
            "is_active": "on",
        }

    def edit_data(self, org, obj):
        data = self.form_data(org, unit=None)
        data["_version"] = obj.version
        return data


class TestConsequenceStepViews(StepSample, ModelViewTests):
    pass


class TestConsequenceStepAPI(StepSample, ModelAPITests):
    pass


class TemplateSample:
    model = BulletinTemplate
    role = Role.UNIT_HEAD
    public_view = True
    insider_can_add = insider_can_edit = insider_can_delete = False

    def make(self, org, unit, n=0):
        return BulletinTemplate.objects.create(
            name=f"模板{n}",
            issuer="某办公室",
            issuer_code="某办发",
            addressee="各单位",
            basis_text="依据",
            requirements_text="要求",
        )

    def form_data(self, org, unit):
        return {
            "name": "周通报",
            "issuer": "交通商务区指挥部",
            "issuer_code": "交指发",
            "addressee": "各战区",
            "title_pattern": "关于{scope}{period}攻坚目标推进情况的通报",
            "basis_text": "依据",
            "requirements_text": "要求",
        }

    def edit_data(self, org, obj):
        data = self.form_data(org, unit=None)
        data["_version"] = obj.version
        return data


class TestBulletinTemplateViews(TemplateSample, ModelViewTests):
    pass


class TestBulletinTemplateAPI(TemplateSample, ModelAPITests):
    pass


@override_settings(CHAINLEAD_TODAY=D(2021, 12, 20))
class LightPageTests(TestCase):
    """Lights are computed, so their pages are list, detail and history (no add/edit/delete)."""

    def setUp(self):
        from chainlead.supervision import services

        self.org = Org()
        self.mine = project(self.org.unit_a, "甲项目")
        self.theirs = project(self.org.unit_b, "乙项目")
        self.nov = period(2021, 11)
        services.recompute_period(self.nov)
        self.light = Light.objects.get(subject_key=f"project:{self.mine.pk}", component="overall")
        self.other = Light.objects.get(subject_key=f"project:{self.theirs.pk}", component="overall")

    def test_anonymous_and_no_role(self):
        self.assertEqual(self.client.get("/supervision/lights/").status_code, 302)
        self.client.force_login(self.org.nobody)
        self.assertEqual(self.client.get("/supervision/lights/?component=overall").status_code, 403)
        self.assertEqual(self.client.get(self.light.get_absolute_url()).status_code, 403)

    def test_list_is_scoped_and_budgeted(self):
        self.client.force_login(self.org.insider)
        url = f"/supervision/lights/?period={self.nov.pk}&component=overall"
        self.client.get(url)
        with max_queries(22):
            response = self.client.get(url)
        names = [row.record.subject_name for row in response.context["table"].rows]
        self.assertEqual(names, ["甲项目"])
        self.assertEqual(self.client.get(self.other.get_absolute_url()).status_code, 404)
        self.assertEqual(self.client.get(f"/supervision/history/project/{self.theirs.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/supervision/history/project/{self.mine.pk}/").status_code, 200)

    def test_default_list_opens_the_latest_period_overall(self):
        self.client.force_login(self.org.office)
        response = self.client.get("/supervision/lights/")
        self.assertEqual(response.status_code, 302)
        self.assertIn(f"period={self.nov.pk}", response["Location"])
        self.assertIn("component=overall", response["Location"])

    def test_api_is_read_only_and_scoped(self):
        self.client.force_login(self.org.insider)
        rows = self.client.get("/api/supervision/lights/?component=overall").json()["results"]
        self.assertEqual({r["subject_name"] for r in rows}, {"甲项目"})
        response = self.client.post("/api/supervision/lights/", {}, content_type="application/json")
        self.assertIn(response.status_code, (403, 405))
        refused = self.client.post(
            f"/api/supervision/lights/{self.light.pk}/excuse/",
            {"reason": "理由"},
            content_type="application/json",
        )
        self.assertEqual(refused.status_code, 403)

    def test_dashboard_panel(self):
        from chainlead.dispatch import services as dispatch_services
        from chainlead.supervision import services

        dispatch_services.close_period(self.nov, by=self.org.office)
        services.freeze_period(self.nov)
        from chainlead.dashboard.panels import DashboardContext
        from chainlead.supervision.panels import lights_context

        ctx = lights_context(
            None,
            DashboardContext(user=self.org.office, period_start=D(2021, 1, 1), period_end=D(2021, 11, 30)),
        )
        self.assertEqual(ctx["period"], self.nov)
        self.assertEqual(sum(n for _c, n, _u in ctx["counts"]), 2)
