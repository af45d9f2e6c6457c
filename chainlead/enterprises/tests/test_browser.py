"""Browser journey (Playwright + Debian Chromium): the enterprise list filtered by a source tag,
an enterprise's page with its revenue tab, and the November 2021 纳统 candidates, on a desktop
and at 375 px. Screenshots go to artifacts/screenshots/enterprises-*.png."""

import datetime

import pytest

from chainlead.core.demo import DEMO_PASSWORD, DemoContext
from chainlead.enterprises import demo as enterprise_demo
from chainlead.enterprises.services import stats_candidates
from chainlead.organization import demo as organization_demo
from chainlead.utilities.testing.browser import console_errors, login, shot, watch_external_requests

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 375, "height": 740}}


@pytest.fixture
def demo(transactional_db):
    # Only the apps this journey needs: the other demos are not required here.
    ctx = DemoContext(verbosity=0)
    organization_demo.load(ctx)
    enterprise_demo.load(ctx)
    return ctx


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 1


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_list_detail_and_candidates(page, live_server, demo, size):
    external = watch_external_requests(page, live_server)
    errors = console_errors(page)
    page.set_viewport_size(SIZES[size])
    login(page, live_server, "office", DEMO_PASSWORD)

    # The list, filtered by a tag: every row carries the 上市公司 badge.
    page.goto(f"{live_server.url}/enterprises/enterprises/?source_tags=listed")
    assert page.locator(".page-title").inner_text() == "企业"
    rows = page.locator("#object-list tbody tr")
    assert rows.count() >= 20
    for i in range(min(rows.count(), 10)):
        assert rows.nth(i).locator('[data-tag="listed"]').count() == 1
    assert no_horizontal_scroll(page)
    shot(page, f"enterprises-list-listed-{size}")

    # An enterprise that reached its threshold in 2021: overview, then the revenue tab.
    candidate = (
        stats_candidates(datetime.date(2021, 11, 1)).exclude(threshold=None).order_by("-excess").first()
    )
    page.goto(f"{live_server.url}{candidate.get_absolute_url()}")
    assert page.locator(".page-title").inner_text() == candidate.name
    assert candidate.credit_code in page.inner_text("#overview-table")
    assert "已达到门槛" in page.inner_text("#stats-card")
    assert no_horizontal_scroll(page)
    shot(page, f"enterprises-detail-{size}")
    page.click("#revenue-tab")
    page.wait_for_selector("#revenue-table", state="visible")
    assert page.locator("#revenue-table tbody tr").count() == 11
    assert page.locator("#revenue-table [data-reached]").count() >= 1
    shot(page, f"enterprises-detail-revenue-{size}")

    # The candidates of November 2021.
    page.goto(f"{live_server.url}/enterprises/candidates/?month=2021-11")
    assert "2021年11月" in page.locator(".page-title").inner_text()
    count = page.locator("#object-list tbody tr").count()
    assert 15 <= count <= 25
    assert "有资质的建筑业" in page.inner_text("#candidates-note")
    assert no_horizontal_scroll(page)
    shot(page, f"enterprises-candidates-{size}")

    # The form: source tags as checkboxes with their badges, the 纳统 month as a month picker.
    page.goto(f"{live_server.url}/enterprises/enterprises/add/")
    assert page.locator('input[name="source_tags"]').count() == 8
    assert page.locator('input[name="stats_entered_on"]').get_attribute("type") == "month"
    assert no_horizontal_scroll(page)
    shot(page, f"enterprises-form-{size}")

    # The dated 四上 thresholds (system menu).
    page.goto(f"{live_server.url}/enterprises/thresholds/")
    assert page.locator("#object-list tbody tr").count() == 9
    assert "无收入门槛" in page.inner_text("#object-list")
    shot(page, f"enterprises-thresholds-{size}")

    # A bad month: a plain message, no table.
    page.goto(f"{live_server.url}/enterprises/candidates/?month=2021-13")
    assert "无法识别" in page.inner_text("#month-error")

    assert external == [], f"requests left the server: {external}"
    assert errors == [], f"browser console errors: {errors}"
