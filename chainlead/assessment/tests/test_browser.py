"""Browser journey (Playwright + Debian Chromium): the office runs the Q4 battle-zone scoring of
the demo zone, watches it finish, reads the ranking (chart, changes since Q3), opens a subject's
breakdown and an indicator's 口径 page, adjusts a score without and with a reason, and downloads
the .xlsx. Screenshots: artifacts/screenshots/assessment-*.png and docs/screenshots/."""

import datetime
import io
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from python_calamine import CalamineWorkbook

from chainlead.assessment.models import Ranking, Scheme
from chainlead.core.demo import DEMO_PASSWORD, load_demo
from chainlead.utilities.testing.browser import console_errors, login, shot, watch_external_requests

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DOCS = Path(django_settings.BASE_DIR) / "docs" / "screenshots"


def doc_shot(page, name):
    path = shot(page, name)
    DOCS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, DOCS / path.name)
    return path


def test_office_runs_a_scoring_and_reads_the_ranking(page, live_server, settings):
    settings.CHAINLEAD_TODAY = datetime.date(2021, 11, 30)
    load_demo(verbosity=0)
    external = watch_external_requests(page, live_server)
    errors = console_errors(page)
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, live_server, "office", DEMO_PASSWORD)

    scheme = Scheme.objects.get(code="zone-default", revision=1)
    page.goto(f"{live_server.url}{scheme.get_absolute_url()}")
    assert "权重校验通过" in page.inner_text("#weight-check")
    assert page.locator("#indicators tr[data-indicator]").count() == 17
    doc_shot(page, "assessment-scheme")

    page.goto(f"{live_server.url}/assessment/run/")
    page.select_option("#id_scheme", str(scheme.pk))
    page.select_option("#id_subject_kind", "battle_zone")
    page.select_option("#id_period_kind", "quarter")
    page.fill("#id_year", "2021")
    page.fill("#id_number", "4")
    page.click("#run-button")
    page.wait_for_load_state("networkidle")
    page.wait_for_selector("#ranking-table")
    ranking = Ranking.objects.get(subject_kind="battle_zone", period_start=datetime.date(2021, 10, 1))
    assert ranking.status == "computed" and ranking.job.status == "succeeded"
    assert "2021年第四季度（截至11月30日）战区考核排名" in page.inner_text(".page-title")
    rows = page.locator("#ranking-table tbody tr")
    assert rows.count() == 6
    ranks = [int(rows.nth(i).get_attribute("data-rank")) for i in range(6)]
    assert ranks == sorted(ranks)
    changes = [rows.nth(i).get_attribute("data-change") for i in range(6)]
    assert any(c not in ("", "0") for c in changes), "the ranking should show changes since Q3"
    page.wait_for_selector("[data-chart='ranking-chart'] canvas")
    doc_shot(page, "assessment-ranking")

    with page.expect_download() as download:
        page.click("#export-button")
    book = CalamineWorkbook.from_filelike(io.BytesIO(Path(download.value.path()).read_bytes()))
    table = book.get_sheet_by_name("考核排名").to_python()
    assert table[0][:3] == ["名次", "考核对象", "总分"]
    first = page.locator("#ranking-table tbody tr").first
    assert table[1][1] == first.get_attribute("data-subject")
    assert f"{table[1][2]:.2f}" == first.locator("[data-total]").inner_text()

    # A subject's breakdown; adjusting without a reason is refused, with a reason it is kept.
    first.locator("a").first.click()
    page.wait_for_load_state("networkidle")
    doc_shot(page, "assessment-score")
    page.click("[data-adjust='targets_on_time']")
    page.fill("#id_score", "3")
    page.click("#save-button")
    assert "必须填写调整原因" in page.inner_text("#item-form")
    page.fill("#id_score", "3")
    page.fill("#id_reason", "目标延期经区政府常务会议同意")
    page.click("#save-button")
    page.wait_for_load_state("networkidle")
    assert "已调整" in page.inner_text("#messages")
    assert "目标延期经区政府常务会议同意" in page.inner_text("[data-code='targets_on_time']")

    indicator = scheme.indicators.get(code="ytd_investment_rate")
    page.goto(f"{live_server.url}{indicator.get_absolute_url()}")
    assert "min" in page.inner_text("#formula") or "比率" in page.inner_text("#formula")
    assert "累计完成投资" in page.inner_text("#what-is-counted")
    doc_shot(page, "assessment-indicator")
    assert external == [], f"requests left the server: {external}"
    assert errors == [], f"browser console errors: {errors}"
