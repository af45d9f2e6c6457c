"""What a user sees and does on the enterprise pages: filters, badges, the source-tag checkboxes,
bulk edit, the detail tabs, and the same filters over the API."""

import datetime
import json

from django.test import TestCase
from django.urls import reverse

from chainlead.enterprises.choices import SourceTag, StatsCategory, StatsStatus
from chainlead.enterprises.models import Contact, Enterprise, EnterpriseRevenue
from chainlead.enterprises.tests.factories import make_enterprise, revenue, threshold, valid_code
from chainlead.utilities.testing.base import Org, assert_logged, max_queries

D = datetime.date


class EnterpriseListFilterTests(TestCase):
    def setUp(self):
        self.org = Org()
        a, b = self.org.unit_a, self.org.unit_b
        self.listed = make_enterprise(
            "青岛海岳新材料科技有限公司",
            a,
            serial=1,
            source_tags=["listed"],
            registered_capital="8000",
            industry_code="C2651",
            address="黄岛区长江中路1号",
        )
        self.foreign = make_enterprise(
            "艾森（青岛）船舶配套有限公司",
            b,
            serial=2,
            source_tags=["fortune500", "foreign"],
            registered_capital="50000",
            industry_code="C3734",
            stats_category=StatsCategory.INDUSTRY,
            stats_status=StatsStatus.IN_STATS,
            stats_entered_on=D(2020, 5, 1),
        )
        self.plain = make_enterprise(
            "青岛瑞泰商贸有限公司",
            b,
            serial=3,
            registered_capital="300",
            industry_code="F5212",
            stats_category=StatsCategory.RETAIL,
            address="黄岛区江山南路8号",
        )
        self.client.force_login(self.org.viewer_a)
        self.url = reverse("enterprises:enterprise_list")

    def names(self, query):
        response = self.client.get(self.url + query)
        self.assertEqual(response.status_code, 200)
        return {row.record.name for row in response.context["table"].rows}

    def test_source_tags_match_any(self):
        self.assertEqual(self.names("?source_tags=listed"), {self.listed.name})
        self.assertEqual(self.names("?source_tags=fortune500"), {self.foreign.name})
        self.assertEqual(
            self.names("?source_tags=listed&source_tags=foreign"), {self.listed.name, self.foreign.name}
        )
        self.assertEqual(self.names("?source_tags=unicorn"), set())

    def test_free_text_over_name_code_and_address(self):
        self.assertEqual(self.names("?q=海岳"), {self.listed.name})
        self.assertEqual(self.names(f"?q={self.plain.credit_code[-6:]}"), {self.plain.name})
        self.assertEqual(self.names("?q=江山南路"), {self.plain.name})

    def test_category_status_unit_capital_and_industry_prefix(self):
        self.assertEqual(self.names("?stats_category=retail"), {self.plain.name})
        self.assertEqual(self.names("?stats_status=in_stats"), {self.foreign.name})
        self.assertEqual(
            self.names(f"?responsible_unit={self.org.unit_b.pk}"), {self.foreign.name, self.plain.name}
        )
        self.assertEqual(self.names("?capital_min=1000&capital_max=10000"), {self.listed.name})
        self.assertEqual(self.names("?capital_min=10000"), {self.foreign.name})
        self.assertEqual(self.names("?industry_code=c3"), {self.foreign.name})
        self.assertEqual(self.names("?industry_code=C"), {self.listed.name, self.foreign.name})

    def test_tags_are_coloured_badges_and_exported_as_words(self):
        response = self.client.get(self.url + "?source_tags=foreign")
        self.assertContains(
            response, '<span class="badge bg-teal-lt" data-tag="foreign">外资</span>', html=True
        )
        self.assertContains(
            response, '<span class="badge bg-red-lt" data-tag="fortune500">世界500强</span>', html=True
        )
        export = self.client.get(self.url + "?source_tags=foreign&export=xlsx")
        import io

        import openpyxl

        ws = openpyxl.load_workbook(io.BytesIO(export.content)).active
        headers = [c.value for c in ws[1]]
        self.assertEqual(ws.max_row, 2)
        self.assertEqual(ws.cell(row=2, column=headers.index("来源标签") + 1).value, "世界500强、外资")

    def test_sortable_by_capital(self):
        response = self.client.get(self.url + "?sort=-registered_capital")
        self.assertEqual([r.record.name for r in response.context["table"].rows][0], self.foreign.name)


class EnterpriseFormTests(TestCase):
    def setUp(self):
        self.org = Org()

    def test_source_tag_checkboxes_store_a_list_of_codes(self):
        self.client.force_login(self.org.insider)
        page = self.client.get(reverse("enterprises:enterprise_add"))
        self.assertContains(
            page, 'type="checkbox" class="form-check-input" name="source_tags" value="listed"'
        )
        response = self.client.post(
            reverse("enterprises:enterprise_add"),
            {
                "name": "青岛标签测试有限公司",
                "responsible_unit": self.org.unit_a.pk,
                "stats_status": "not_in",
                "source_tags": ["foreign", "listed"],
            },
        )
        self.assertEqual(response.status_code, 302)
        e = Enterprise.objects.get()
        self.assertEqual(e.source_tags, ["listed", "foreign"])  # in the order of the tag list
        page = self.client.get(reverse("enterprises:enterprise_edit", args=[e.pk]))
        self.assertContains(page, 'value="listed" id="id_source_tags_5" checked')

    def test_unknown_tag_is_refused(self):
        self.client.force_login(self.org.office)
        response = self.client.post(
            reverse("enterprises:enterprise_add"),
            {"name": "青岛未知标签有限公司", "stats_status": "not_in", "source_tags": ["nonsense"]},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("source_tags", response.context["form"].errors)
        self.assertFalse(Enterprise.objects.exists())

    def test_in_stats_needs_category_and_month(self):
        self.client.force_login(self.org.office)
        data = {"name": "青岛纳统测试有限公司", "stats_status": "in_stats"}
        response = self.client.post(reverse("enterprises:enterprise_add"), data)
        errors = response.context["form"].errors
        self.assertIn("已纳统的企业须填写四上类别。", errors["stats_category"])
        self.assertIn("已纳统的企业须填写纳统月份。", errors["stats_entered_on"])
        data.update(stats_category="industry", stats_entered_on="2021-09")
        self.assertEqual(self.client.post(reverse("enterprises:enterprise_add"), data).status_code, 302)
        self.assertEqual(Enterprise.objects.get().stats_entered_on, D(2021, 9, 1))

    def test_unit_head_cannot_edit_another_units_enterprise(self):
        theirs = make_enterprise("乙局的企业", self.org.unit_b)
        self.client.force_login(self.org.insider)
        self.assertEqual(self.client.get(theirs.get_absolute_url()).status_code, 200)  # may look it up
        response = self.client.post(
            reverse("enterprises:enterprise_edit", args=[theirs.pk]),
            {"name": "改名", "stats_status": "not_in", "_version": theirs.version},
        )
        self.assertEqual(response.status_code, 403)
        theirs.refresh_from_db()
        self.assertEqual(theirs.name, "乙局的企业")

    def test_unit_head_cannot_move_an_enterprise_out_of_their_units(self):
        mine = make_enterprise("甲局的企业", self.org.unit_a)
        self.client.force_login(self.org.insider)
        response = self.client.post(
            reverse("enterprises:enterprise_edit", args=[mine.pk]),
            {
                "name": mine.name,
                "stats_status": "not_in",
                "responsible_unit": self.org.unit_b.pk,
                "_version": mine.version,
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("请联系领导小组办公室", " ".join(response.context["form"].errors["responsible_unit"]))
        mine.refresh_from_db()
        self.assertEqual(mine.responsible_unit, self.org.unit_a)
        self.client.force_login(self.org.office)  # the office hands it over
        mine_version = mine.version
        response = self.client.post(
            reverse("enterprises:enterprise_edit", args=[mine.pk]),
            {
                "name": mine.name,
                "stats_status": "not_in",
                "responsible_unit": self.org.unit_b.pk,
                "_version": mine_version,
            },
        )
        self.assertEqual(response.status_code, 302)


class BulkEditTests(TestCase):
    def setUp(self):
        self.org = Org()
        self.a1 = make_enterprise("甲一", self.org.unit_a)
        self.a2 = make_enterprise("甲二", self.org.unit_a)
        self.b1 = make_enterprise("乙一", self.org.unit_b)

    def post(self, user, pks, **values):
        self.client.force_login(user)
        data = {"pk": pks, "_apply": "1", "return_url": reverse("enterprises:enterprise_list"), **values}
        return self.client.post(reverse("enterprises:enterprise_bulk_edit"), data)

    def test_bulk_edit_service_unit_category_and_status(self):
        response = self.post(
            self.org.insider,
            [self.a1.pk, self.a2.pk],
            stats_category="wholesale",
            stats_status="in_stats",
            stats_entered_on="2021-10",
        )
        self.assertEqual(response.status_code, 302)
        for e in (self.a1, self.a2):
            e.refresh_from_db()
            self.assertEqual(
                (e.stats_category, e.stats_status, e.stats_entered_on),
                ("wholesale", "in_stats", D(2021, 10, 1)),
            )
            assert_logged(e, action="update", user=self.org.insider, source="web")
        response = self.post(self.org.office, [self.a1.pk, self.b1.pk], responsible_unit=self.org.unit_b.pk)
        self.assertEqual(response.status_code, 302)
        self.a1.refresh_from_db()
        self.assertEqual(self.a1.responsible_unit, self.org.unit_b)

    def test_bulk_edit_is_all_or_nothing_with_a_plain_message(self):
        response = self.post(self.org.office, [self.a1.pk, self.a2.pk], stats_status="in_stats")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "“甲一”：已纳统的企业须填写纳统月份。")
        self.a1.refresh_from_db()
        self.assertEqual(self.a1.stats_status, StatsStatus.NOT_IN)

    def test_bulk_edit_of_another_units_enterprise_is_refused(self):
        response = self.post(self.org.insider, [self.a1.pk, self.b1.pk], stats_category="retail")
        self.assertEqual(response.status_code, 404)
        self.b1.refresh_from_db()
        self.assertNotEqual(self.b1.stats_category, "retail")


class EnterpriseDetailTests(TestCase):
    def setUp(self):
        self.org = Org()
        threshold(StatsCategory.RETAIL, 300, D(2011, 1, 1), D(2021, 6, 30))
        threshold(StatsCategory.RETAIL, 500, D(2021, 7, 1))
        self.e = make_enterprise(
            "青岛丰联汽车贸易有限公司",
            self.org.unit_a,
            serial=7,
            stats_category=StatsCategory.RETAIL,
            source_tags=["listed"],
            registered_capital="1200",
        )
        revenue(self.e, 2021, 6, "320")
        revenue(self.e, 2021, 7, "360")
        revenue(self.e, 2021, 8, "520")
        Contact.objects.create(
            enterprise=self.e, name="张伟", title="总经理", phone="13800138000", is_primary=True
        )

    def test_tabs_show_revenue_against_the_threshold_of_each_month(self):
        self.client.force_login(self.org.insider)
        url = self.e.get_absolute_url()
        self.client.get(url)
        with max_queries(16):
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        body = response.content.decode()
        for tab in ("概况", "营收", "联系人", "关联项目", "产业链", "变更历史"):
            self.assertIn(tab, body)
        rows = {r["revenue"].period.month: r for r in response.context["revenue_rows"]}
        self.assertEqual(rows[6]["threshold"], 300)
        self.assertTrue(rows[6]["reached"])  # 320 ≥ 300 under the old rule
        self.assertEqual(rows[7]["threshold"], 500)
        self.assertFalse(rows[7]["reached"])  # 360 < 500 under the new rule
        self.assertTrue(rows[8]["reached"])
        self.assertEqual(body.count("data-reached"), 2)
        self.assertIn("已达到门槛", body)  # the overview's 四上 card, latest month
        self.assertIn(self.e.credit_code, body)
        self.assertIn('data-tag="listed"', body)
        self.assertIn("张伟", body)
        self.assertIn("填报营收", body)  # the unit head of the service unit may add revenue

    def test_viewer_sees_no_write_buttons(self):
        self.client.force_login(self.org.outsider)  # a unit head of another unit
        body = self.client.get(self.e.get_absolute_url()).content.decode()
        self.assertNotIn("填报营收", body)
        self.assertNotIn("添加联系人", body)
        self.assertNotIn('id="edit-button"', body)

    def test_revenue_add_from_the_tab_returns_to_it(self):
        self.client.force_login(self.org.insider)
        back = self.e.get_absolute_url() + "#tab-revenue"
        page = self.client.get(
            reverse("enterprises:enterpriserevenue_add")
            + f"?enterprise={self.e.pk}&return_url={back.replace('#', '%23')}"
        )
        self.assertContains(page, f'<option value="{self.e.pk}" selected>')
        response = self.client.post(
            reverse("enterprises:enterpriserevenue_add"),
            {"enterprise": self.e.pk, "period": "2021-09", "revenue_ytd": "600", "return_url": back},
        )
        self.assertRedirects(response, back, fetch_redirect_response=False)
        self.assertTrue(EnterpriseRevenue.objects.filter(enterprise=self.e, period=D(2021, 9, 1)).exists())

    def test_duplicate_month_is_refused(self):
        self.client.force_login(self.org.insider)
        response = self.client.post(
            reverse("enterprises:enterpriserevenue_add"),
            {"enterprise": self.e.pk, "period": "2021-08", "revenue_ytd": "1"},
        )
        self.assertContains(response, "该企业这个月份的营收已经填报过。")
        self.assertEqual(self.e.revenues.count(), 3)

    def test_deleting_a_contact_returns_to_the_enterprise(self):
        contact = self.e.contacts.get()
        self.client.force_login(self.org.insider)
        response = self.client.post(reverse("enterprises:contact_delete", args=[contact.pk]))
        self.assertRedirects(
            response, self.e.get_absolute_url() + "#tab-contacts", fetch_redirect_response=False
        )
        self.assertFalse(Contact.objects.exists())


class EnterpriseAPIFilterTests(TestCase):
    def setUp(self):
        self.org = Org()
        make_enterprise(
            "上市甲", self.org.unit_a, serial=11, source_tags=["listed"], registered_capital="900"
        )
        make_enterprise(
            "外资乙", self.org.unit_b, serial=12, source_tags=["foreign"], registered_capital="90000"
        )
        self.client.force_login(self.org.viewer_a)

    def names(self, query):
        response = self.client.get(reverse("enterprises-api:enterprise-list") + query)
        self.assertEqual(response.status_code, 200)
        return {row["name"] for row in response.json()["results"]}

    def test_same_filters_as_the_page(self):
        self.assertEqual(self.names("?source_tags=foreign"), {"外资乙"})
        self.assertEqual(self.names("?capital_max=1000"), {"上市甲"})
        self.assertEqual(self.names("?q=上市"), {"上市甲"})

    def test_source_tags_are_a_list_of_codes(self):
        row = self.client.get(reverse("enterprises-api:enterprise-list") + "?source_tags=listed").json()[
            "results"
        ][0]
        self.assertEqual(row["source_tags"], ["listed"])
        self.assertEqual(row["source_tag_labels"], ["上市公司"])
        self.client.force_login(self.org.office)
        response = self.client.post(
            reverse("enterprises-api:enterprise-list"),
            json.dumps({"name": "接口标签", "source_tags": ["unicorn", "nonsense"]}),
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("source_tags", response.json())

    def test_unit_head_cannot_hand_an_enterprise_to_another_unit(self):
        org = self.org
        mine = make_enterprise("甲局接口企业", org.unit_a)
        self.client.force_login(org.insider)
        url = reverse("enterprises-api:enterprise-detail", args=[mine.pk])
        body = json.dumps({"responsible_unit": org.unit_b.pk})
        response = self.client.patch(url, body, content_type="application/json")
        self.assertEqual(response.status_code, 403)
        self.assertIn("请联系领导小组办公室", response.json()["detail"])
        mine.refresh_from_db()
        self.assertEqual(mine.responsible_unit, org.unit_a)

    def test_schema_documents_the_endpoints(self):
        self.client.force_login(self.org.office)
        schema = self.client.get(reverse("schema") + "?format=json").content.decode()
        for path in (
            "/api/enterprises/enterprises/",
            "/api/enterprises/revenues/",
            "/api/enterprises/thresholds/",
            "/api/enterprises/contacts/",
        ):
            self.assertIn(path, schema)
        self.assertIn("source_tags", schema)


class MenuTests(TestCase):
    def test_menu_entries(self):
        org = Org()
        self.client.force_login(org.viewer_a)
        body = self.client.get(reverse("enterprises:enterprise_list")).content.decode()
        for label, url in (
            ("企业库", reverse("enterprises:enterprise_list")),
            ("纳统候选企业", reverse("enterprises:candidates")),
            ("四上标准", reverse("enterprises:statsthreshold_list")),
        ):
            self.assertIn(f'href="{url}">{label}</a>', body)

    def test_app_root_goes_to_the_list(self):
        org = Org()
        self.client.force_login(org.viewer_a)
        self.assertRedirects(self.client.get("/enterprises/"), reverse("enterprises:enterprise_list"))


def test_codes_helper_is_valid():
    from chainlead.utilities.validators import validate_credit_code

    validate_credit_code(valid_code(1))
    assert SourceTag.LISTED == "listed"
