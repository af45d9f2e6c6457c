"""Browser journey: a reporter creates a project, moves it from 洽谈 to 开工 with evidence, and
finds it in the filtered list and in the exported .xlsx."""

import io

import openpyxl
import pytest

from chainlead.core.demo import DEMO_PASSWORD, load_demo
from chainlead.projects.models import KeyProject
from chainlead.projects.tests.factories import PDF, PNG, credit_code
from chainlead.utilities.testing.browser import console_errors, login, shot, watch_external_requests

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def stage(page, to, on, fields=None, evidence=()):
    page.click("#stage-button")
    page.select_option("select[name=to]", to)
    page.fill("input[name=on]", on)
    for name, value in (fields or {}).items():
        selector = f"[name={name}]"
        if page.locator(f"select{selector}").count():
            page.select_option(f"select{selector}", value)
        else:
            page.fill(selector, value)
    for i, (kind, filename, content, mime) in enumerate(evidence):
        page.select_option(f"select[name=evidence_kind_{i}]", kind)
        page.set_input_files(
            f"input[name=evidence_file_{i}]", files=[{"name": filename, "mimeType": mime, "buffer": content}]
        )
        if kind == "site_photo":
            page.fill(f"input[name=evidence_time_{i}]", "2021-06-01T09:30")
    page.click("#stage-submit")
    page.wait_for_load_state("networkidle")
    if evidence and page.locator("#stage-form").count():
        shot(page, f"projects-stage-failed-{to}")
        raise AssertionError(page.inner_text("#stage-form")[:600])


def test_create_move_to_started_find_and_export(page, live_server):
    from chainlead.enterprises.models import Enterprise

    ctx = load_demo(verbosity=0)
    company = Enterprise.objects.create(
        name="青岛蓝海芯材科技有限公司",
        credit_code=credit_code(4242),
        registered_capital=20000,
        responsible_unit=ctx.units["tzcj"],
    )
    external = watch_external_requests(page, live_server)
    errors = console_errors(page)
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, live_server, "tzcj_reporter", DEMO_PASSWORD)

    page.goto(f"{live_server.url}/projects/projects/add/")
    page.fill("#id_name", "蓝海芯材12英寸硅片项目")
    page.fill("#id_investor_name", "蓝海芯材")
    page.select_option("#id_responsible_unit", label="区投资促进局")
    page.fill("#id_total_investment", "350000")
    page.fill("#id_annual_plan", "80000")
    page.fill("#id_lead_on", "2021-02-20")
    shot(page, "projects-create")
    page.click("#save-button")
    page.wait_for_load_state("networkidle")
    shot(page, "projects-created")
    assert "已新建项目" in page.inner_text("#messages")
    project = KeyProject.objects.get(name="蓝海芯材12英寸硅片项目")

    # A contact record first: 洽谈 needs one.
    page.click("#contacts-tab")
    page.click("#add-contact")
    page.fill("#id_date", "2021-03-02")
    page.fill("#id_summary", "与投资方会谈，确定一期投资规模和用地需求。")
    page.click("#save-button")
    page.wait_for_load_state("networkidle")

    # 洽谈 without its evidence is refused with a message, and nothing changes.
    stage(
        page,
        "negotiating",
        "2021-03-05",
        {
            "intended_investment": "350000",
            "responsible_leader": "张建国",
            "responsible_person": "陈静",
            "responsible_phone": "13800000005",
        },
    )
    assert "会谈纪要" in page.inner_text("#stage-form")
    shot(page, "projects-stage-error")
    page.goto(live_server.url + project.get_absolute_url())
    stage(
        page,
        "negotiating",
        "2021-03-05",
        {
            "intended_investment": "350000",
            "responsible_leader": "张建国",
            "responsible_person": "陈静",
            "responsible_phone": "13800000005",
        },
        [("meeting_note", "会谈纪要.pdf", PDF, "application/pdf")],
    )
    stage(
        page,
        "signed",
        "2021-04-20",
        {
            "agreement_type": "investment",
            "contracted_investment": "350000",
            "expected_output": "600000",
            "expected_tax": "25000",
        },
        [("agreement", "投资协议.pdf", PDF, "application/pdf")],
    )
    stage(
        page,
        "registered",
        "2021-05-10",
        {"enterprise": str(company.pk)},
        [("licence", "营业执照.png", PNG, "image/png")],
    )
    stage(
        page,
        "started",
        "2021-06-01",
        {"project_code": "2021-370211-04-01-424242"},
        [
            ("start_report", "开工报告.pdf", PDF, "application/pdf"),
            ("site_photo", "现场.png", PNG, "image/png"),
        ],
    )
    project.refresh_from_db()
    assert project.stage == "started"
    assert page.locator("#stage-badge").inner_text() == "开工"
    page.click("#timeline-tab")
    shot(page, "projects-timeline")
    assert project.evidence.count() == 5

    # Find it in the filtered list.
    page.goto(f"{live_server.url}/projects/projects/?stage=started&q=蓝海芯材")
    rows = page.locator("#object-list tbody tr")
    assert rows.count() == 1 and "蓝海芯材12英寸硅片项目" in rows.first.inner_text()
    shot(page, "projects-list-filtered")
    # And in the exported workbook: exactly the filtered rows.
    with page.expect_download() as download_info:
        page.click("#export-button")
    path = download_info.value.path()
    ws = openpyxl.load_workbook(io.BytesIO(open(path, "rb").read())).active
    headers = [c.value for c in ws[1]]
    assert ws.max_row == 2
    assert ws.cell(2, headers.index("项目名称") + 1).value == "蓝海芯材12英寸硅片项目"
    assert ws.cell(2, headers.index("总投资（万元）") + 1).value == 350000
    assert external == [], external
    assert errors == [], errors


def test_project_pages_on_a_phone(page, live_server):
    load_demo(verbosity=0)
    page.set_viewport_size({"width": 375, "height": 760})
    login(page, live_server, "office", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/projects/projects/")
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 1
    shot(page, "projects-list-phone")
    page.locator("#object-list tbody tr a").first.click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 1
    shot(page, "projects-detail-phone")
