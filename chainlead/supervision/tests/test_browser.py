"""Browser journey (Playwright + Debian Chromium): the office generates the October bulletin with one
click, edits its requirements, issues it, and downloads the Word file. Screenshots go to
artifacts/screenshots/supervision-*.png."""

import datetime
from decimal import Decimal

import pytest

from chainlead.dispatch import services as dispatch_services
from chainlead.dispatch.choices import ReportStatus
from chainlead.dispatch.models import ProgressReport
from chainlead.dispatch.tests import factories as f
from chainlead.organization.choices import Role, UnitKind
from chainlead.organization.models import Unit
from chainlead.supervision.models import Bulletin
from chainlead.utilities.testing.base import make_user
from chainlead.utilities.testing.browser import console_errors, login, shot, watch_external_requests

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_generate_edit_and_issue_a_bulletin(page, live_server, settings):
    settings.CHAINLEAD_TODAY = datetime.date(2021, 11, 30)
    settings.SUPERVISION_BULLETIN_PDF = False
    office_unit = Unit.objects.create(name="领导小组办公室", kind=UnitKind.OFFICE)
    area = Unit.objects.create(name="古镇口核心区", kind=UnitKind.AREA)
    office = make_user("office", unit=office_unit, roles=[(Role.OFFICE_ADMIN, office_unit)], name="王晓梅")
    october = f.period(2021, 10)
    for i, ytd in enumerate((Decimal(2500), Decimal(6000), Decimal(8200))):
        p = f.project(area, name=f"示范项目{i + 1}", annual_plan=Decimal(10000))
        ProgressReport.objects.create(
            period=october,
            project=p,
            responsible_unit=area,
            status=ReportStatus.APPROVED,
            ytd_completed=ytd,
            annual_plan=p.annual_plan,
            progress_text="施工中",
        )
    dispatch_services.close_period(october, by=office)  # the receiver freezes October's lights
    external = watch_external_requests(page, live_server)
    errors = console_errors(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "office")

    page.goto(f"{live_server.url}/supervision/lights/")
    page.wait_for_load_state("networkidle")
    assert "2021年10月" in page.inner_text("h2.page-title")
    assert page.locator("#light-counts").count() == 1
    shot(page, "supervision-browser-lights")

    page.goto(f"{live_server.url}/supervision/bulletins/add/")
    page.select_option("#id_period", str(october.pk))
    page.select_option("#id_scope_kind", "all")
    page.click("#save-button")
    page.wait_for_load_state("networkidle")
    page.wait_for_selector("#download-docx", timeout=20000)
    assert "关于全区2021年1—10月重点项目推进情况的通报" in page.inner_text("#bulletin-title")
    assert "示范项目1" in page.inner_text("#bulletin-preview")
    shot(page, "supervision-browser-draft")

    page.click("#edit-button")
    page.wait_for_load_state("networkidle")
    page.fill(
        "#id_requirements_text", "（一）12月15日前各红灯项目报送整改方案。\n（二）年底前完成年度投资计划。"
    )
    page.click("#save-button")
    page.wait_for_load_state("networkidle")
    assert "12月15日前各红灯项目报送整改方案" in page.inner_text("#bulletin-preview")

    page.on("dialog", lambda dialog: dialog.accept())
    page.click("#issue-button")
    page.wait_for_load_state("networkidle")
    assert "西链办发〔2021〕1号" in page.inner_text("#doc-number")
    assert "第1期" in page.inner_text("#issue-label")
    assert page.locator("#issue-button").count() == 0
    assert page.locator("#edit-button").count() == 0
    shot(page, "supervision-browser-issued")
    with page.expect_download() as download:
        page.click("#download-docx")
    assert download.value.suggested_filename.endswith(".docx")

    bulletin = Bulletin.objects.get()
    assert (bulletin.status, bulletin.number, bulletin.issue_no) == ("issued", 1, 1)
    # editing the issued bulletin is refused with a message and changes nothing
    page.goto(f"{live_server.url}/supervision/bulletins/{bulletin.pk}/edit/")
    page.wait_for_load_state("networkidle")
    assert "已印发，已归档，不能再修改" in page.inner_text("body")
    assert external == [], external
    assert not [e for e in errors if "favicon" not in e], errors
