"""Generated page and API tests for projects and contact records, and bad input."""

import datetime
import io

import openpyxl
import pytest
from django.test import TestCase
from django.urls import reverse

from chainlead.organization.choices import Role
from chainlead.projects.models import ContactRecord, KeyProject
from chainlead.projects.tests.factories import chain_with_nodes, project
from chainlead.utilities.testing.base import Org
from chainlead.utilities.testing.models import ModelAPITests, ModelViewTests


class ProjectSample:
    model = KeyProject
    role = Role.REPORTER
    insider_can_delete = False  # reporters add and change; unit heads and the office delete
    list_query_budget = 16

    def make(self, org, unit, n=0):
        return project(unit, name=f"{unit.name}项目{n}")

    def form_data(self, org, unit):
        return {
            "name": "新能源电池项目",
            "investor_name": "某新能源公司",
            "responsible_unit": unit.pk,
            "project_type": "industrial",
            "investment_nature": "social",
            "total_investment": "120000",
            "annual_plan": "30000",
            "lead_on": "2021-03-01",
        }

    def api_data(self, org, unit):
        return {
            "name": "接口新建项目",
            "investor_name": "某公司",
            "responsible_unit": unit.pk,
            "total_investment": "8000",
            "annual_plan": "2000",
        }

    def edit_data(self, org, obj):
        data = self.form_data(org, obj.responsible_unit)
        data.pop("lead_on")
        data.update(name=obj.name + "（修改）", _version=obj.version)
        return data


class TestKeyProjectViews(ProjectSample, ModelViewTests):
    pass


class TestKeyProjectAPI(ProjectSample, ModelAPITests):
    pass


class ContactSample:
    model = ContactRecord
    role = Role.REPORTER
    insider_can_delete = False

    def make(self, org, unit, n=0):
        p = project(unit, name=f"{unit.name}对接项目{n}")
        return p.contact_records.first()

    def form_data(self, org, unit):
        p = project(unit, name=f"{unit.name}表单项目", with_contact=False)
        return {"project": p.pk, "date": "2021-05-06", "kind": "visit", "summary": "上门拜访，了解用地需求"}

    def edit_data(self, org, obj):
        return {
            "project": obj.project_id,
            "date": "2021-05-07",
            "kind": "call",
            "summary": "电话回访",
            "_version": obj.version,
        }


class TestContactRecordViews(ContactSample, ModelViewTests):
    pass


class TestContactRecordAPI(ContactSample, ModelAPITests):
    pass


class TestBadInput(TestCase):
    """Each is rejected with a Chinese message naming the field, and nothing is saved."""

    def setUp(self):
        self.org = Org(role=Role.REPORTER)
        self.client.force_login(self.org.insider)
        self.chain, self.node, _ = chain_with_nodes(self.org.unit_a)
        self.other_chain, self.other_node, _ = chain_with_nodes(self.org.unit_a, code="ship")

    def post(self, **changes):
        data = ProjectSample().form_data(self.org, self.org.unit_a)
        data.update(changes)
        before = KeyProject.objects.count()
        response = self.client.post(reverse("projects:keyproject_add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(KeyProject.objects.count(), before)
        return response.context["form"].errors

    def test_negative_amount(self):
        self.assertIn("金额不能为负数。", self.post(total_investment="-5")["total_investment"])

    def test_absurd_amount(self):
        self.assertIn("请确认单位是万元", self.post(total_investment="3068000000000")["total_investment"][0])

    def test_annual_plan_above_total(self):
        errors = self.post(total_investment="1000", annual_plan="5000")
        self.assertIn("不能大于总投资", errors["annual_plan"][0])

    def test_node_from_another_chain(self):
        errors = self.post(chain=self.chain.pk, chain_node=self.other_node.pk)
        self.assertIn("不属于", errors["chain_node"][0])

    def test_planned_completion_before_start(self):
        errors = self.post(planned_start_on="2022-05-01", planned_completion_on="2021-05-01")
        self.assertIn("不能早于计划开工日期", errors["planned_completion_on"][0])

    def test_bad_project_code(self):
        errors = self.post(project_code="2021-3702-04-01-1")
        self.assertIn("项目代码应为24位", errors["project_code"][0])

    def test_no_investor(self):
        errors = self.post(investor_name="")
        self.assertIn("投资方名称", errors["investor_name"][0])

    def test_future_completion_date_via_api(self):
        p = project(self.org.unit_a)
        future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
        response = self.client.patch(
            reverse("projects-api:keyproject-detail", args=[p.pk]),
            {"planned_start_on": "2021-01-01"},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 200)
        # Stage dates are not writable through the API: the stage machine owns them.
        response = self.client.patch(
            reverse("projects-api:keyproject-detail", args=[p.pk]),
            {"completed_on": future},
            content_type="application/json",
        )
        p.refresh_from_db()
        self.assertIsNone(p.completed_on)

    def test_annual_plan_above_total_via_api(self):
        response = self.client.post(
            reverse("projects-api:keyproject-list"),
            {
                "name": "x",
                "investor_name": "y",
                "responsible_unit": self.org.unit_a.pk,
                "total_investment": "100",
                "annual_plan": "900",
            },
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("不能大于总投资", response.json()["annual_plan"][0])


@pytest.mark.django_db
def test_stage_page_moves_a_project_with_evidence(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from chainlead.projects.tests.factories import PDF

    org = Org(role=Role.REPORTER)
    p = project(org.unit_a, stage="negotiating")
    client.force_login(org.insider)
    url = reverse("projects:keyproject_stage", args=[p.pk])
    page = client.get(url)
    assert page.status_code == 200
    choices = dict(page.context["form"].fields["to"].choices)
    assert "signed" in choices and "lead" not in choices  # corrections are the office's
    bad = client.post(url, {"to": "signed", "on": "2021-05-01"})
    assert "协议扫描件" in bad.content.decode()
    p.refresh_from_db()
    assert p.stage == "negotiating"
    ok = client.post(
        url,
        {
            "to": "signed",
            "on": "2021-05-01",
            "agreement_type": "investment",
            "contracted_investment": "50000",
            "expected_output": "90000",
            "expected_tax": "4000",
            "evidence_kind_0": "agreement",
            "evidence_file_0": SimpleUploadedFile("投资协议.pdf", PDF),
        },
    )
    assert ok.status_code == 302
    p.refresh_from_db()
    assert p.stage == "signed" and p.expected_output == 90000
    evidence = p.evidence.get()
    download = client.get(reverse("projects:evidence_file", args=[evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    client.force_login(org.outsider)
    assert client.get(reverse("projects:evidence_file", args=[evidence.pk])).status_code == 404


@pytest.mark.django_db
def test_export_has_units_in_headers_and_only_filtered_rows(client):
    org = Org(role=Role.REPORTER)
    project(org.unit_a, name="甲项目", stage="started")
    project(org.unit_a, name="乙项目", stage="negotiating")
    client.force_login(org.office)
    response = client.get(reverse("projects:keyproject_list") + "?stage=started&export=xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    headers = [c.value for c in ws[1]]
    assert "总投资（万元）" in headers
    names = [ws.cell(r, headers.index("项目名称") + 1).value for r in range(2, ws.max_row + 1)]
    assert names == ["甲项目"]
    amount = ws.cell(2, headers.index("总投资（万元）") + 1)
    assert amount.value == 50000 and amount.number_format == "#,##0.00"
