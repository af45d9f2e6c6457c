"""Browser journey: a district leader opens the dashboard, checks the seed's figures, opens the
list behind one, switches to the 1920×1080 big screen (no scrolling, refreshes itself), prints,
and looks at it on a phone. Screenshots: artifacts/screenshots/dashboard-*.png."""

from __future__ import annotations

import pytest
from django.apps import apps

from chainlead.core import demo as core_demo
from chainlead.core.demo import DEMO_PASSWORD
from chainlead.utilities.testing.browser import console_errors, login, shot, watch_external_requests

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def load_demo():
    saved = list(core_demo.DEMO_APPS)
    core_demo.DEMO_APPS[:] = [a for a in saved if apps.is_installed(a)]
    try:
        return core_demo.load_demo(verbosity=0)
    finally:
        core_demo.DEMO_APPS[:] = saved


def test_leader_dashboard_big_screen_and_print(page, live_server, settings):
    import datetime

    settings.CHAINLEAD_TODAY = datetime.date(2021, 11, 30)
    load_demo()
    external = watch_external_requests(page, live_server)
    errors = console_errors(page)
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, live_server, "leader", DEMO_PASSWORD)

    # --- the dashboard at a desk ------------------------------------------------------------------
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(800)
    assert page.inner_text("#period-label") == "2021年1–11月"
    cards = {
        key: page.inner_text(f"[data-figure={key}] .figure-value")
        for key in ("attracted", "attracted_investment", "landed", "landed_output")
    }
    assert cards == {
        "attracted": "208",
        "attracted_investment": "3,068.00",
        "landed": "140",
        "landed_output": "1,962.00",
    }
    assert "▲" in page.inner_text("[data-change=attracted]")
    assert page.locator("#scorecards .scorecard").count() == 9
    assert page.locator("#panels [data-chart] canvas").count() >= 6
    assert page.locator(".minimap canvas").count() == 9
    shot(page, "dashboard-desktop")

    # the list behind a figure
    page.click("[data-figure=landed] .dash-card-value")
    page.wait_for_load_state("networkidle")
    assert "共 140 条" in page.inner_text("body")
    page.go_back()

    # a definition
    page.click("[data-definition=landed]")
    page.wait_for_load_state("networkidle")
    assert "签约日期 ∈ 统计期 或 注册日期 ∈ 统计期" in page.inner_text("body")
    shot(page, "dashboard-definition")

    # as of the end of October
    page.goto(f"{live_server.url}/dashboard/?as_of=2021-10-31")
    page.wait_for_load_state("networkidle")
    assert "截至 2021年10月31日 的数据（按历史记录重建）" in page.inner_text("#as-of-banner")
    shot(page, "dashboard-as-of", full_page=False)

    # --- the wall screen ------------------------------------------------------------------------------
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}/dashboard/screen/")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)
    width, height = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert width <= 1920 and height <= 1080, (width, height)
    assert page.locator("#screen-kpis .kpi").count() == 8
    assert page.inner_text("[data-figure=attracted] .kpi-value").startswith("208")
    # every panel lies inside the screen
    bottom = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.screen-panel')].map(e => e.getBoundingClientRect().bottom))"
    )
    assert bottom <= 1080
    assert page.locator("[data-chart][data-dark]").count() >= 4  # charts adapted to the dark screen
    assert "2021年11月30日" in page.inner_text("#screen-clock")
    shot(page, "dashboard-screen", full_page=False)
    # the body refreshes itself through htmx (no full reload): swap it now and look again
    page.evaluate(
        "htmx.ajax('GET', document.getElementById('screen-body').getAttribute('hx-get'), "
        "{target: '#screen-body', swap: 'innerHTML'})"
    )
    page.wait_for_timeout(1500)
    assert page.locator("#screen-kpis .kpi").count() == 8
    assert page.locator("[data-chart][data-dark] canvas").count() >= 4

    # --- print (A4 landscape, light, charts as SVG) --------------------------------------------------
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/dashboard/?print=1")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(800)
    assert page.locator("#panels [data-chart] svg").count() >= 6
    page.emulate_media(media="print")
    shot(page, "dashboard-print")
    page.emulate_media(media="screen")

    # --- on a phone --------------------------------------------------------------------------------
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(600)
    assert page.evaluate("document.documentElement.scrollWidth") <= 380
    shot(page, "dashboard-mobile")

    assert external == []
    assert errors == []
