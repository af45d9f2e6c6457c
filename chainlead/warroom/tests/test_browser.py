"""Browser journeys (Playwright + Debian Chromium) on the demo zone as of 2021-11-30: the project
map (a click on a marker opens the project; a project placed by a click), a plan with its Gantt,
the portfolio Gantt, and the three boards, on a desktop and on a 375 px phone, plus one board
printed on A3 landscape (screenshot and PDF). Screenshots go to artifacts/screenshots/warroom-*."""

import datetime

import pytest

from chainlead.core.demo import DEMO_PASSWORD, load_demo
from chainlead.projects.models import KeyProject
from chainlead.utilities.testing.browser import (
    ARTIFACTS,
    console_errors,
    login,
    shot,
    watch_external_requests,
)
from chainlead.warroom.models import ProjectSchedule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db, settings):
    settings.CHAINLEAD_TODAY = datetime.date(2021, 11, 30)
    return load_demo(verbosity=0)


def no_page_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 1


def marker_pixel(page, selector: str):
    """Page coordinates of the first marker of the first series on an ECharts map."""
    return page.evaluate(
        """(sel) => {
            const el = document.querySelector(sel); const chart = el.__chart;
            const series = chart.getOption().series.filter(s => s.name !== 'labels');
            const d = series[0].data[0];
            const p = chart.convertToPixel({seriesIndex: 0}, d.value);
            const box = el.getBoundingClientRect();
            return {x: box.left + p[0], y: box.top + p[1], url: d.url, name: d.name};
        }""",
        selector,
    )


def test_map_gantt_and_boards_on_a_desktop(page, live_server, demo):
    external = watch_external_requests(page, live_server)
    errors = console_errors(page)
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, live_server, "jtsw_head", DEMO_PASSWORD)

    # The map: the zone's shapes from the GeoJSON, markers coloured by stage; a click opens the project.
    page.goto(f"{live_server.url}/warroom/map/?zone={demo.units['jtsw'].pk}")
    page.wait_for_selector("#project-map[data-map-ready='1']")
    assert "地图上 19 个项目" in page.inner_text("#map-count")
    shot(page, "warroom-map-desktop")
    marker = marker_pixel(page, "#project-map")
    page.mouse.click(marker["x"], marker["y"])
    page.wait_for_url(f"**{marker['url']}")
    assert marker["name"] in page.inner_text(".page-title")

    # By warning light, over the whole zone.
    page.goto(f"{live_server.url}/warroom/map/?color=light")
    page.wait_for_selector("#project-map[data-map-ready='1']")
    assert "红灯" in page.inner_text("#map-legend") or "黄灯" in page.inner_text("#map-legend")
    shot(page, "warroom-map-lights")

    # Place a project by a click on the map.
    project = KeyProject.objects.filter(area=demo.units["bz1"]).order_by("pk").first()
    page.click("#place-toggle")
    page.wait_for_selector("#place-panel.show")
    page.select_option("#place-project", str(project.pk))
    page.click("#place-pick")
    box = page.locator("#project-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.47, box["y"] + box["height"] * 0.42)
    page.wait_for_url("**focus=*")
    page.wait_for_selector("#project-map[data-map-ready='1']")
    project.refresh_from_db()
    assert 119.9 < float(project.longitude) < 120.3 and 35.8 < float(project.latitude) < 36.1
    shot(page, "warroom-map-placed", full_page=False)

    # A plan with its nodes, then its Gantt (baseline, plan and actual side by side).
    schedule = ProjectSchedule.objects.filter(project__area=demo.units["bz1"], feasible=False).first() or (
        ProjectSchedule.objects.filter(project__area__parent=demo.units["jtsw"]).first()
    )
    page.goto(f"{live_server.url}{schedule.get_absolute_url()}")
    assert page.locator("#nodes-table tbody tr").count() == schedule.nodes.count()
    shot(page, "warroom-schedule-desktop")
    page.click("#gantt-tab")
    page.wait_for_selector("#schedule-gantt-chart canvas")
    assert page.locator("#schedule-gantt-chart canvas").first.bounding_box()["height"] > 300
    shot(page, "warroom-gantt-project")
    page.goto(f"{live_server.url}/warroom/gantt/?zone={demo.units['jtsw'].pk}")
    page.wait_for_selector("#portfolio-gantt-chart canvas")
    assert "共 19 个项目" in page.inner_text("#gantt-count")
    shot(page, "warroom-gantt-portfolio")

    # The three boards of the district.
    page.goto(f"{live_server.url}/warroom/boards/")
    assert page.locator("#board-zones tbody tr").count() == 7
    shot(page, "warroom-boards")
    page.goto(f"{live_server.url}/warroom/boards/{demo.units['bz1'].pk}/")
    assert "作战部署图" in page.inner_text("#board-deployment .wr-sheet-title")
    shot(page, "warroom-board-deployment")
    page.click("#tab-progress")
    page.wait_for_selector("#board-progress.active")
    assert page.locator("#progress-table tbody tr").count() >= 1
    assert "tab=progress" in page.url
    shot(page, "warroom-board-progress")
    page.click("#tab-support")
    page.wait_for_selector("#board-support.active")
    assert page.locator(".wr-support-group").count() >= 1
    shot(page, "warroom-board-support")

    # One board printed on A3 landscape: the screen furniture goes, the board fills the sheet.
    page.goto(f"{live_server.url}/warroom/boards/{demo.units['bz1'].pk}/?tab=progress")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 1587, "height": 1123})  # A3 landscape at 96 dpi
    assert page.locator(".navbar").is_hidden() and page.locator("#board-tabs").is_hidden()
    assert page.locator("#board-progress .wr-sheet-title").is_visible()
    assert page.locator("#board-deployment").is_hidden()
    shot(page, "warroom-board-print-a3")
    page.pdf(
        path=str(ARTIFACTS / "warroom-board-print-a3.pdf"), format="A3", landscape=True, print_background=True
    )
    page.emulate_media(media="screen")

    assert external == [], f"requests left the server: {external}"
    assert errors == [], f"browser console errors: {errors}"


def test_map_gantt_and_boards_on_a_phone(page, live_server, demo):
    errors = console_errors(page)
    page.set_viewport_size({"width": 375, "height": 740})
    login(page, live_server, "jtsw_head", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/warroom/map/")
    page.wait_for_selector("#project-map[data-map-ready='1']")
    assert no_page_overflow(page)
    shot(page, "warroom-map-phone", full_page=False)

    schedule = ProjectSchedule.objects.filter(project__area__parent=demo.units["jtsw"]).first()
    page.goto(f"{live_server.url}{schedule.get_absolute_url()}")
    assert no_page_overflow(page)
    # On a phone the nodes are cards, not a wide table.
    assert page.locator("#nodes-table").is_hidden()
    assert page.locator("#node-cards [data-node-card]").count() == schedule.nodes.count()
    shot(page, "warroom-schedule-phone")
    page.click("#gantt-tab")
    page.wait_for_selector("#schedule-gantt-chart canvas")
    assert no_page_overflow(page)
    # The Gantt keeps a readable width and scrolls inside its own box.
    assert page.evaluate("document.querySelector('[data-gantt-scroll]').scrollWidth") > 375
    shot(page, "warroom-gantt-phone", full_page=False)

    page.goto(f"{live_server.url}/warroom/boards/{demo.units['bz1'].pk}/?tab=progress")
    assert no_page_overflow(page)
    shot(page, "warroom-board-phone", full_page=False)
    assert errors == [], errors
