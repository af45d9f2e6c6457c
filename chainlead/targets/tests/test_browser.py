"""Browser journey (Playwright + Debian Chromium): the target list, a target with its plan chart,
and a battle zone's checklist, on a desktop and on a 375 px phone. Screenshots go to
artifacts/screenshots/targets-*.png."""

import pytest

from chainlead.core.demo import DEMO_PASSWORD, load_demo
from chainlead.targets.models import AttackTarget
from chainlead.utilities.testing.browser import console_errors, login, shot, watch_external_requests

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    return load_demo(verbosity=0)


def _no_page_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 1


def _a_target_with_plans_and_projects():
    return (
        AttackTarget.objects.filter(
            project_links__isnull=False, month_plans__isnull=False, status="in_progress"
        )
        .order_by("battle_zone__sort_order", "number")
        .first()
    )


@pytest.mark.parametrize("width", [1366, 375])
def test_targets_zone_and_chart(page, live_server, demo, width):
    external = watch_external_requests(page, live_server)
    errors = console_errors(page)
    suffix = "desktop" if width > 400 else "phone"
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 740})
    login(page, live_server, "jtsw_head", DEMO_PASSWORD)

    # The target list of the district's head: all six zones, overdue ones in red.
    page.goto(f"{live_server.url}/targets/targets/?per_page=25")
    assert page.locator(".page-title").inner_text() == "攻坚目标"
    assert page.locator("#object-list tbody tr").count() == 25
    assert "共 89 条" in page.locator("#object-list .card-header").inner_text()
    assert _no_page_overflow(page)
    shot(page, f"targets-list-{suffix}", full_page=width > 400)

    # A target with its monthly plan chart and linked projects.
    target = _a_target_with_plans_and_projects()
    page.goto(f"{live_server.url}{target.get_absolute_url()}")
    assert target.title in page.locator(".page-title").inner_text()
    assert page.locator("#responsibility").inner_text().count("138") == 1
    shot(page, f"targets-detail-{suffix}")
    page.click("#plans-tab")
    page.wait_for_selector("#plan-chart canvas")
    canvas = page.locator("#plan-chart canvas").first.bounding_box()
    assert canvas["width"] > 250 and canvas["height"] > 200
    assert page.locator("#plans-table tbody tr").count() == target.month_plans.count()
    assert _no_page_overflow(page)
    shot(page, f"targets-detail-plans-{suffix}")
    page.click("#projects-tab")
    page.wait_for_selector("#projects-table tbody tr")
    assert page.locator("#projects-table tbody tr").count() == target.project_links.count()
    shot(page, f"targets-detail-projects-{suffix}")

    # The zone index and one zone's checklist.
    page.goto(f"{live_server.url}/targets/zones/")
    assert page.locator("#zones-table tbody tr").count() == 6
    assert page.locator("#zones-total [data-count=total]").inner_text() == "89"
    shot(page, f"targets-zones-{suffix}")
    page.click("#zones-table tbody tr:first-child a")
    page.wait_for_load_state("networkidle")
    assert "攻坚目标清单" in page.locator(".page-title").inner_text()
    total = int(page.locator("#zone-counts [data-count=total]").inner_text())
    assert total == AttackTarget.objects.filter(battle_zone=demo.units["bz1"]).count()
    if width > 400:
        assert page.locator("#zone-table tbody tr[data-number]").count() == total
    else:
        assert page.locator("#zone-cards .list-group-item").count() == total
    assert _no_page_overflow(page)
    shot(page, f"targets-zone-{suffix}")
    if width <= 400:
        shot(page, "targets-zone-phone-top", full_page=False)
    if width > 400:
        page.emulate_media(media="print")
        page.set_viewport_size({"width": 1123, "height": 794})  # A4 landscape at 96 dpi
        assert page.locator(".navbar").is_hidden()
        assert page.locator(".sheet-title").is_visible()
        shot(page, "targets-zone-print")
        page.emulate_media(media="screen")

    assert external == [], f"requests left the server: {external}"
    assert errors == [], f"browser console errors: {errors}"


def test_zone_reporter_completes_a_target(page, live_server, demo):
    """A zone's reporter marks one of the zone's targets done through the button and its dialog."""
    page.set_viewport_size({"width": 1366, "height": 900})
    errors = console_errors(page)
    login(page, live_server, "bz1_reporter", DEMO_PASSWORD)
    target = (
        AttackTarget.objects.filter(battle_zone=demo.units["bz1"], status="in_progress")
        .order_by("number")
        .first()
    )
    page.goto(f"{live_server.url}{target.get_absolute_url()}")
    page.click("#complete-button")
    page.wait_for_selector("#complete-modal.show")
    page.fill("#complete-form [name=done_on]", "2021-11-20")
    shot(page, "targets-complete-dialog", full_page=False)
    page.click("#complete-submit")
    page.wait_for_load_state("networkidle")
    assert "已将攻坚目标" in page.locator("#messages").inner_text()
    assert page.locator("#reopen-button").is_visible()
    target.refresh_from_db()
    assert target.status == "done" and str(target.done_on) == "2021-11-20"
    assert errors == [], errors


def test_add_form_from_the_zone_list(page, live_server, demo):
    """新建攻坚目标 from a zone's list: the zone, its next number and its campaign list are ready."""
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, live_server, "bz1_reporter", DEMO_PASSWORD)
    zone = demo.units["bz1"]
    page.goto(f"{live_server.url}/targets/zones/{zone.pk}/")
    page.click("#add-target")
    page.wait_for_load_state("networkidle")
    expected = AttackTarget.objects.filter(battle_zone=zone).count() + 1
    assert page.input_value("#id_number") == str(expected)
    assert page.input_value("#id_battle_zone") == str(zone.pk)
    shot(page, "targets-add-form")
    page.fill("#id_title", "完成站前大道绿化提升")
    page.fill("#id_goal_value", "2.5")
    page.fill("#id_goal_unit", "公里")
    page.fill("#id_deadline", "2021-12-31")
    page.select_option("#id_campaign", label="西海岸交通商务区 · 基础配套攻坚战（2021）")
    page.click("#save-button")
    page.wait_for_load_state("networkidle")
    assert "已新建攻坚目标" in page.locator("#messages").inner_text()
    assert AttackTarget.objects.filter(
        battle_zone=zone, number=expected, title="完成站前大道绿化提升"
    ).exists()
