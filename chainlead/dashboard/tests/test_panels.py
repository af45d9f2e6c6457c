"""The panel mechanism: other apps' panels appear in order, each in a card with its title; a
panel that cannot look back says so in "as of" mode; a hidden or failing panel does not break
the page; only big-screen panels reach the big screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from chainlead.dashboard import summary
from chainlead.dashboard.hooks import CHAIN_FIGURES, FRESHNESS_SOURCES, ChainFigure, FreshnessSource
from chainlead.dashboard.panels import Panel, panels_for, register_panel, unregister_panel
from chainlead.dashboard.tests.helpers import TODAY, make_zone, page, random_projects

pytestmark = pytest.mark.django_db


@pytest.fixture
def zone(settings):
    settings.CHAINLEAD_TODAY = TODAY
    z = make_zone()
    random_projects(z, n=20, seed=5)
    summary.rebuild()
    return z


@pytest.fixture
def test_panels(settings):
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "DIRS": [*settings.TEMPLATES[0]["DIRS"], Path(__file__).parent / "templates"],
        }
    ]
    seen = {}

    def lights(request, dash):
        seen["dash"] = dash
        return {"red": 3, "period": dash.period.label, "projects": dash.projects().count()}

    def broken(request, dash):
        raise RuntimeError("boom")

    panels = [
        Panel("test_lights", "测试预警灯板块", 35, "dashboard_tests/lights_panel.html", lights),
        Panel(
            "test_reports",
            "测试填报率板块",
            60,
            "dashboard_tests/lights_panel.html",
            lights,
            supports_as_of=False,
            big_screen=False,
        ),
        Panel(
            "test_hidden",
            "测试隐藏板块",
            61,
            "dashboard_tests/lights_panel.html",
            lights,
            visible=lambda user: user.username == "office",
        ),
        Panel(
            "test_broken", "测试出错板块", 62, "dashboard_tests/lights_panel.html", broken, big_screen=False
        ),
    ]
    for panel in panels:
        register_panel(panel)
    yield seen
    for panel in panels:
        unregister_panel(panel.key)


def test_registered_panels_render_in_order_with_their_title(client, zone, test_panels):
    client.force_login(zone.leader)
    response = client.get(reverse("dashboard:index"))
    assert response.status_code == 200
    keys = [p.key for p in page(response)["panels"]]
    assert keys.index("dashboard_chains") < keys.index("test_lights") < keys.index("dashboard_areas")
    assert "test_hidden" not in keys
    html = response.content.decode()
    assert "测试预警灯板块" in html and "红灯 3 个（2021年1–11月）" in html
    statuses = {p.key: p.status for p in page(response)["panels"]}
    assert statuses["test_broken"] == "error"
    assert "该板块暂时无法显示" in html
    dash = test_panels["dash"]
    assert dash.user == zone.leader and dash.as_of is None
    assert dash.extra["data"].values["attracted"] >= 0  # the dashboard's own figures are shared


def test_visible_decides_who_sees_a_panel(zone, test_panels):
    assert "test_hidden" in [p.key for p in panels_for(zone.office_user)]
    assert "test_hidden" not in [p.key for p in panels_for(zone.leader)]


def test_as_of_mode(client, zone, test_panels):
    client.force_login(zone.leader)
    response = client.get(reverse("dashboard:index"), {"as_of": "2021-10-31"})
    statuses = {p.key: p.status for p in page(response)["panels"]}
    assert statuses["test_lights"] == "ok"
    assert statuses["test_reports"] == "as_of_unsupported"
    dash = test_panels["dash"]
    assert dash.as_of_date.isoformat() == "2021-10-31"
    assert "该板块暂不支持历史回看" in response.content.decode()


def test_big_screen_takes_only_big_screen_panels(client, zone, test_panels):
    client.force_login(zone.leader)
    keys = [p.key for p in page(client.get(reverse("dashboard:screen")))["panels"]]
    assert "test_lights" in keys
    assert "test_reports" not in keys and "test_broken" not in keys


def test_scorecard_and_freshness_hooks(client, zone, only_dashboard_panels):
    from decimal import Decimal

    CHAIN_FIGURES["ytd"] = ChainFigure(
        "ytd", "本年完成投资", lambda dash, ids: {i: Decimal("123456") for i in ids}, unit="yi"
    )
    FRESHNESS_SOURCES["reports"] = FreshnessSource(
        "reports", [("late_reports", "迟报次数")], lambda dash, ids: {i: {"late_reports": 2} for i in ids}
    )
    try:
        client.force_login(zone.leader)
        html = client.get(reverse("dashboard:index")).content.decode()
        assert "本年完成投资 12.35亿元" in html
        assert "迟报次数" in html
    finally:
        CHAIN_FIGURES.pop("ytd")
        FRESHNESS_SOURCES.pop("reports")
