"""Pages of the dashboard: who may open them, what they show, and their query budgets."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from chainlead.dashboard import summary
from chainlead.dashboard.models import SummaryState
from chainlead.dashboard.tests.helpers import TODAY, make_zone, page, random_projects
from chainlead.projects.metrics import Period, headline
from chainlead.projects.models import KeyProject
from chainlead.utilities.testing.base import max_queries

pytestmark = pytest.mark.django_db

PAGES = ["dashboard:index", "dashboard:screen", "dashboard:definition_list"]


@pytest.fixture
def zone(settings):
    settings.CHAINLEAD_TODAY = TODAY
    z = make_zone()
    random_projects(z, n=30, seed=3)
    summary.rebuild()
    return z


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_sent_to_login(client, zone, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("name", PAGES)
def test_a_user_without_any_role_is_refused(client, zone, name):
    client.force_login(zone.nobody)
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("user", ["leader", "area_user", "dept_user", "office_user"])
def test_every_role_sees_the_dashboard_of_its_scope(client, zone, user):
    user = getattr(zone, user)
    client.force_login(user)
    response = client.get(reverse("dashboard:index"))
    assert response.status_code == 200
    data = page(response)["dashboard_data"]
    assert data.period == Period(datetime.date(2021, 1, 1), TODAY)
    fresh = headline(KeyProject.objects.restrict(user, "view"), data.period)
    assert {c.key: c.value for c in data.cards}["attracted"] == fresh["attracted"]
    html = response.content.decode()
    assert "2021年1–11月" in html
    statuses = {p.key: p.status for p in page(response)["panels"] if p.key.startswith("dashboard_")}
    assert statuses and set(statuses.values()) == {"ok"}, statuses
    for card in data.cards:
        assert card.url in html.replace("&amp;", "&")
        assert reverse("dashboard:definition_detail", args=[card.key]) in html


def test_the_list_behind_every_card_has_exactly_that_many_rows(client, zone):
    for user in (zone.leader, zone.area_user):
        client.force_login(user)
        data = page(client.get(reverse("dashboard:index")))["dashboard_data"]
        for card in data.cards:
            if card.unit != "count":
                continue
            listed = client.get(card.url)
            assert listed.status_code == 200, card.url
            assert listed.context["table"].paginator.count == card.value, (user, card.key)
        for chain in data.chains:
            for key in ("attracted", "landed", "started", "fai", "in_construction"):
                url = chain["urls"].get(key)
                if url:
                    assert client.get(url).context["table"].paginator.count == chain[key], (
                        chain["name"],
                        key,
                    )
        for area in data.areas:
            assert client.get(area["url"]).context["table"].paginator.count == area["attracted"]
        for band in data.bands:
            assert client.get(band["url"]).context["table"].paginator.count == band["n"], band["label"]
        for tag in data.tags:
            assert client.get(tag["url"]).context["table"].paginator.count == tag["n"], tag["label"]


def test_period_picker_presets_and_area_filter(client, zone):
    client.force_login(zone.leader)
    url = reverse("dashboard:index")
    cases = {
        "ytd": "2021年1–11月",
        "last_month": "2021-11-01至2021-11-30",
        "quarter": "2021-10-01至2021-11-30",
        "last_year": "2020年1–12月",
    }
    for preset, label in cases.items():
        assert page(client.get(url, {"preset": preset}))["period_label"] == label
    response = client.get(url, {"year": 2020, "m1": 3, "m2": 5})
    assert page(response)["dashboard_period"] == Period(datetime.date(2020, 3, 1), datetime.date(2020, 5, 31))
    assert page(response)["dashboard_data"].last_year == Period(
        datetime.date(2019, 3, 1), datetime.date(2019, 5, 31)
    )
    response = client.get(url, {"year": 2021, "m1": 9, "m2": 3})
    assert "起始月不能晚于截止月。" in response.content.decode()
    response = client.get(url, {"area": zone.area_a.pk})
    ids = [zone.area_a.pk, zone.zone_a1.pk, zone.zone_a2.pk]
    fresh = headline(KeyProject.objects.filter(area_id__in=ids), page(response)["dashboard_data"].period)
    assert page(response)["dashboard_data"].values["attracted"] == fresh["attracted"]
    assert {a["name"] for a in page(response)["dashboard_data"].areas} == {"甲一战区", "甲二战区"}
    # an area user cannot pick an area outside their scope
    client.force_login(zone.area_user)
    response = client.get(url, {"area": zone.area_b.pk})
    assert page(response)["area"] is None
    assert "area" in page(response)["form"].errors


def test_query_budget_does_not_grow_with_the_data(client, zone, only_dashboard_panels):
    client.force_login(zone.leader)
    url = reverse("dashboard:index")
    client.get(url)
    with max_queries(34) as small:
        client.get(url)
    random_projects(zone, n=40, seed=99)
    client.get(url)  # catches up with the new projects
    with max_queries(34) as big:
        client.get(url)
    assert len(big.captured_queries) == len(small.captured_queries)
    # a restricted scope reads its events in two index-friendly parts (area, unit)
    client.force_login(zone.area_user)
    client.get(url)
    with max_queries(42):
        client.get(url)
    with max_queries(42):
        client.get(reverse("dashboard:screen"))


def test_big_screen_page_and_its_refresh(client, zone):
    client.force_login(zone.leader)
    response = client.get(reverse("dashboard:screen"), {"refresh": 2})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'hx-trigger="every 120s"' in html
    assert "navbar" not in html  # no navigation on the wall screen
    assert 'id="screen-clock"' in html
    assert "2021年1–11月" in html
    keys = [p.key for p in page(response)["panels"]]
    assert "dashboard_bands" not in keys  # big_screen=False
    assert keys[0] == "dashboard_funnel"
    partial = client.get(reverse("dashboard:screen"), HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert "<html" not in body and 'id="screen-kpis"' in body


def test_print_mode(client, zone):
    client.force_login(zone.leader)
    html = client.get(reverse("dashboard:index"), {"print": "1"}).content.decode()
    assert 'data-renderer="svg"' in html
    assert 'id="dashboard-filters"' not in html
    assert "navbar" not in html
    assert "打印" in html


def test_definitions(client, zone):
    client.force_login(zone.area_user)
    html = client.get(reverse("dashboard:definition_list")).content.decode()
    for label in ("洽谈和招引项目", "签约和注册项目", "达产后年产值", "企业纳统", "在建项目", "入库纳统项目"):
        assert label in html
    assert "签约日期 ∈ 统计期 或 注册日期 ∈ 统计期" in html
    response = client.get(reverse("dashboard:definition_detail", args=["landed"]))
    assert response.status_code == 200
    visible = KeyProject.objects.restrict(zone.area_user, "view")
    fresh = headline(visible, Period(datetime.date(2021, 1, 1), TODAY))
    assert response.context["value"] == fresh["landed"]
    listed = client.get(response.context["list_url"])
    assert listed.context["table"].paginator.count == fresh["landed"]
    assert client.get(reverse("dashboard:definition_detail", args=["nope"])).status_code == 404
    in_construction = client.get(reverse("dashboard:definition_detail", args=["in_construction"]))
    assert in_construction.status_code == 200
    assert (
        client.get(in_construction.context["list_url"]).context["table"].paginator.count
        == in_construction.context["value"]
    )


def test_summary_status_is_for_the_office(client, zone, django_capture_on_commit_callbacks):
    client.force_login(zone.leader)
    assert client.get(reverse("dashboard:summary_status")).status_code == 403
    assert client.post(reverse("dashboard:summary_rebuild")).status_code == 403
    client.force_login(zone.office_user)
    assert client.get(reverse("dashboard:summary_status")).status_code == 200
    before = SummaryState.objects.get().built_at
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dashboard:summary_rebuild"))
    assert response.status_code == 302
    assert SummaryState.objects.get().built_at > before
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dashboard:summary_rebuild"), {"as_of": "2021-09-30"})
    assert summary.has_snapshot(datetime.date(2021, 9, 30))


def test_api_figures(client, zone):
    url = reverse("dashboard-api:figures")
    assert client.get(url).status_code in (401, 403)
    client.force_login(zone.leader)
    response = client.get(url, {"year": 2021, "m1": 1, "m2": 11})
    assert response.status_code == 200
    body = response.json()
    assert body["period_label"] == "2021年1–11月"
    fresh = headline(KeyProject.objects.all(), Period(datetime.date(2021, 1, 1), TODAY))
    figures = {f["key"]: f for f in body["figures"]}
    assert (
        figures["attracted"]["value"] == f"{fresh['attracted']}.00"
        or figures["attracted"]["value"] == fresh["attracted"]
    )
    assert client.get(url, {"m1": 5, "m2": 2}).status_code == 400
    client.force_login(zone.nobody)
    assert client.get(url).status_code == 403


def test_cron_jobs(zone):
    from chainlead.core.jobs import periodic_jobs

    jobs = periodic_jobs()
    result = jobs["dashboard.month_end"]()
    assert set(result["built"]) == {"2021-10-31", "2021-09-30"}
    assert summary.sync() == 0
    # a bulk write sends no signal: the cron sync applies it (once per slot)
    KeyProject.objects.filter(pk=KeyProject.objects.first().pk).update(
        negotiating_on=datetime.date(2021, 2, 2)
    )
    assert jobs["dashboard.sync"]() == 1
    assert summary.sync() == 0


def test_rebuild_command(zone):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("dashboard_rebuild", "--as-of", "2021-06-30", "--snapshots", "1", stdout=out)
    assert "summaries: 30 projects" in out.getvalue()
    assert summary.has_snapshot(datetime.date(2021, 6, 30)) and summary.has_snapshot(
        datetime.date(2021, 10, 31)
    )


def test_a_big_zone_builds_its_summaries_in_a_job(
    client, settings, django_capture_on_commit_callbacks, monkeypatch
):
    from chainlead.dashboard import views

    settings.CHAINLEAD_TODAY = TODAY
    zone = make_zone()
    random_projects(zone, n=12, seed=8)
    monkeypatch.setattr(views, "SNAPSHOT_INLINE_LIMIT", 10)
    client.force_login(zone.leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("dashboard:index"))
    assert "正在生成驾驶舱汇总表" in response.content.decode()
    assert summary.is_built()  # the job ran (huey runs jobs at once in tests)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("dashboard:index"), {"as_of": "2021-08-31"})
    assert "正在按历史记录生成截至 2021年8月31日 的数据" in response.content.decode()
    assert summary.has_snapshot(datetime.date(2021, 8, 31))
    assert page(client.get(reverse("dashboard:index"), {"as_of": "2021-08-31"}))["dashboard_data"] is not None


def test_home_page_leads_leaders_to_the_dashboard(client, db):
    from chainlead.utilities.testing.base import Org

    org = Org()
    client.force_login(org.office)
    page = client.get(reverse("home")).content.decode()
    assert 'id="enter-dashboard"' in page and reverse("dashboard:index") in page
    client.force_login(org.insider)
    assert 'id="enter-dashboard"' not in client.get(reverse("home")).content.decode()
