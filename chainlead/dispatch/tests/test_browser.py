"""Browser journeys (Playwright + Debian Chromium): a reporter submits a report with a photo on a
375 px phone; the office looks at the month of dispatch on a desktop. Screenshots go to
artifacts/screenshots/dispatch-*.png."""

import datetime
from decimal import Decimal

import pytest

from chainlead.core.demo import DEMO_PASSWORD, load_demo
from chainlead.dispatch.choices import ReportStatus
from chainlead.dispatch.models import DispatchMeeting, Problem, ProgressReport
from chainlead.dispatch.photos import sample_jpeg
from chainlead.dispatch.tests import factories as f
from chainlead.organization.choices import Role, UnitKind
from chainlead.organization.models import Unit
from chainlead.utilities.testing.base import make_user
from chainlead.utilities.testing.browser import console_errors, login, shot, watch_external_requests

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px"


def test_phone_report_with_a_photo(page, live_server, settings):
    settings.CHAINLEAD_TODAY = datetime.date(2021, 11, 3)
    area = Unit.objects.create(name="古镇口核心区", kind=UnitKind.AREA)
    make_user("gzk_reporter", unit=area, roles=[(Role.REPORTER, area)], name="韩雪")
    project = f.project(
        area, name="青岛海芯12英寸晶圆制造项目", annual_plan=Decimal(36000), total_investment=Decimal(180000)
    )
    f.project(area, name="智能家电总部及研发中心项目")
    october = f.period(2021, 10)
    external = watch_external_requests(page, live_server)
    errors = console_errors(page)
    page.set_viewport_size({"width": 375, "height": 740})
    login(page, live_server, "gzk_reporter")

    page.goto(f"{live_server.url}/dispatch/my/")
    no_sideways_scroll(page)
    shot(page, "dispatch-phone-my-reports")
    page.locator(f"[data-period='{october.pk}'] [data-item='{project.pk}'] .fill-button").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#report-form").count() == 1
    no_sideways_scroll(page)
    shot(page, "dispatch-phone-form-empty", full_page=False)

    # Submitting without the physical progress: a message on the field, nothing submitted.
    page.fill("#id_period_completed", "3200")
    page.click("#submit-report")
    page.wait_for_load_state("networkidle")
    assert "请填写形象进度" in page.inner_text("[data-field=progress_text]")
    shot(page, "dispatch-phone-form-error")

    page.fill("#id_period_completed", "3200")
    page.fill("#id_progress_text", "1#厂房主体施工至三层，2#厂房桩基完成80%")
    page.fill("#id_progress_percent", "45")
    page.fill("#id_next_plan", "12月完成1#厂房封顶")
    taken = datetime.datetime(2021, 11, 2, 15, 40)
    page.set_input_files(
        "#id_photos",
        files=[
            {
                "name": "IMG_20211102_1540.jpg",
                "mimeType": "image/jpeg",
                "buffer": sample_jpeg("site", taken=taken),
            }
        ],
    )
    no_sideways_scroll(page)
    shot(page, "dispatch-phone-form-filled")
    page.click("#submit-report")
    page.wait_for_load_state("networkidle")
    assert "已提交审核" in page.inner_text("#messages")
    no_sideways_scroll(page)
    shot(page, "dispatch-phone-report-submitted")

    report = ProgressReport.objects.get(project=project)
    assert report.status == ReportStatus.SUBMITTED
    assert report.period_completed == Decimal(3200) and not report.is_late
    photo = report.photos.get()
    assert photo.captured_from_exif
    assert photo.captured_at == f.local(2021, 11, 2, 15, 40)
    assert page.locator("#photos img").count() == 1
    assert page.evaluate("document.querySelector('#photos img').naturalWidth") > 0  # the photo is served
    assert external == [], f"requests left the server: {external}"
    assert errors == [], f"browser console errors: {errors}"


def test_a_month_of_dispatch_on_desktop_and_phone(page, live_server, settings):
    settings.CHAINLEAD_TODAY = datetime.date(2021, 11, 30)
    ctx = load_demo(verbosity=0)
    external = watch_external_requests(page, live_server)
    errors = console_errors(page)
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, live_server, "office", DEMO_PASSWORD)

    page.goto(f"{live_server.url}/dispatch/tracking/")
    page.wait_for_selector("[data-chart='rate-chart'] canvas")
    assert "2021年10月" in page.inner_text(".page-body")
    shot(page, "dispatch-tracking")

    page.goto(f"{live_server.url}/dispatch/problems/")
    shot(page, "dispatch-problems")
    supervised = Problem.objects.get(level=4)
    page.goto(f"{live_server.url}{supervised.get_absolute_url()}")
    assert "督办〔2021〕1号" in page.inner_text("#supervision")
    shot(page, "dispatch-problem-supervised")
    page.click("#steps-tab")
    shot(page, "dispatch-problem-steps")

    november = DispatchMeeting.objects.order_by("-held_on").first()
    page.goto(f"{live_server.url}/dispatch/meetings/{november.pk}/")
    assert page.locator("#previous-decisions tbody tr, #previous-decisions tr[data-decision]").count() >= 6
    shot(page, "dispatch-meeting")
    page.goto(f"{live_server.url}/dispatch/meetings/{november.pk}/agenda/")
    shot(page, "dispatch-meeting-agenda")

    page.goto(f"{live_server.url}/dispatch/units/{ctx.units['zrzyj'].pk}/")
    assert "项目二期用地指标尚未落实" in page.inner_text("#problems-lead")
    shot(page, "dispatch-unit-zrzyj")
    page.goto(f"{live_server.url}/dispatch/factors/rollup/")
    shot(page, "dispatch-factor-rollup")
    returned = ProgressReport.objects.exclude(return_reason="").first()
    page.goto(f"{live_server.url}{returned.get_absolute_url()}")
    shot(page, "dispatch-report-detail")

    # A unit head reviews on the phone; a reporter sees what is left.
    page.set_viewport_size({"width": 375, "height": 740})
    page.click("#user-menu")
    page.click("#logout-button")
    login(page, live_server, "jtsw_head", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/dispatch/review/")
    no_sideways_scroll(page)
    shot(page, "dispatch-phone-review")
    page.goto(f"{live_server.url}/dispatch/units/{ctx.units['jtsw'].pk}/")
    no_sideways_scroll(page)
    shot(page, "dispatch-phone-unit-jtsw")
    page.goto(f"{live_server.url}/dispatch/my/")
    no_sideways_scroll(page)
    shot(page, "dispatch-phone-my-reports-demo")
    assert external == [], f"requests left the server: {external}"
    assert errors == [], f"browser console errors: {errors}"
