"""The demo zone on the dashboard: the seed's figures (208 / 3,068亿 / 140 / 1,962亿) with 同比
against 2020, each card's list, and the replayed history behind "as of"."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from chainlead.core import demo as core_demo
from chainlead.dashboard import summary
from chainlead.dashboard.demo import REPLAY_REASON
from chainlead.dashboard.tests.helpers import expected, normalised, page
from chainlead.organization.models import User
from chainlead.projects.choices import STAGE_DATE_FIELD
from chainlead.projects.metrics import Period, headline
from chainlead.projects.models import KeyProject

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2021, 11, 30)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        saved = list(core_demo.DEMO_APPS)
        core_demo.DEMO_APPS[:] = [a for a in saved if apps.is_installed(a)]
        try:
            ctx = core_demo.load_demo(verbosity=0)
        finally:
            core_demo.DEMO_APPS[:] = saved
        yield ctx
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def leader(demo, settings, client):
    settings.CHAINLEAD_TODAY = TODAY
    user = User.objects.get(username="leader")
    client.force_login(user)
    return user


def test_the_seed_figures_with_their_change_on_last_year(client, leader):
    response = client.get(reverse("dashboard:index"))
    assert response.status_code == 200
    assert page(response)["period_label"] == "2021年1–11月"
    cards = {c.key: c for c in page(response)["dashboard_data"].cards}
    assert cards["attracted"].value == 208
    assert cards["attracted_investment"].value == Decimal("30680000.00")
    assert cards["landed"].value == 140
    assert cards["landed_output"].value == Decimal("19620000.00")
    html = response.content.decode()
    for text in ("208", "3,068.00", "140", "1,962.00", "亿元"):
        assert text in html
    # 同比 against 2020年1–11月, computed independently by a plain loop over the projects
    last_year = expected(
        list(KeyProject.objects.all()), datetime.date(2020, 1, 1), datetime.date(2020, 11, 30)
    )
    for key, card in cards.items():
        assert card.last_year == last_year[key], key
        before = Decimal(last_year[key])
        if before == 0:
            assert card.change["text"] == "—"
        else:
            pct = ((Decimal(card.value) - before) / before * 100).quantize(Decimal("0.1"))
            assert card.change["pct"] == pct
            assert card.change["text"] == (f"▲ {pct}%" if pct > 0 else f"▼ {abs(pct)}%")
    assert cards["attracted"].change["arrow"] == "▲"


def test_every_figure_equals_an_independent_query(leader):
    from chainlead.dashboard.tests.helpers import dashboard

    projects = list(KeyProject.objects.all())
    for start, end in [
        (datetime.date(2021, 1, 1), TODAY),
        (datetime.date(2020, 1, 1), datetime.date(2020, 12, 31)),
        (datetime.date(2021, 4, 1), datetime.date(2021, 6, 30)),
    ]:
        shown = normalised(dashboard(leader, start, end).values)
        assert shown == normalised(expected(projects, start, end))
        assert shown == normalised(headline(KeyProject.objects.all(), Period(start, end)))


def test_the_list_behind_each_card(client, leader):
    data = page(client.get(reverse("dashboard:index")))["dashboard_data"]
    for card in data.cards:
        listed = client.get(card.url)
        assert listed.status_code == 200
        if card.unit == "count" and card.key != "enterprises_in_stats":
            assert listed.context["table"].paginator.count == card.value, card.key
    landed = client.get({c.key: c for c in data.cards}["landed_output"].url)
    assert landed.context["table"].paginator.count == 140


def test_as_of_october_from_the_replayed_history(client, leader):
    as_of = datetime.date(2021, 10, 31)
    assert summary.has_snapshot(as_of)  # built by the demo
    response = client.get(reverse("dashboard:index"), {"as_of": as_of.isoformat()})
    data = page(response)["dashboard_data"]
    history = KeyProject.history.as_of(summary.end_of_day(as_of))
    assert normalised(data.values) == normalised(headline(history, Period(datetime.date(2021, 1, 1), as_of)))
    assert data.values["landed"] < 140  # November's landings had not happened yet
    assert "截至 2021年10月31日 的数据（按历史记录重建）" in response.content.decode()


def test_replayed_history_ends_with_the_project_as_it_is(demo):
    H = KeyProject.history.model
    assert H.objects.filter(history_change_reason=REPLAY_REASON).exists()
    # after the last milestone (a few projects have December 2021 dates) and before the load
    end = summary.end_of_day(datetime.date(2022, 12, 31))
    then = {p.pk: p for p in KeyProject.history.as_of(end)}
    for project in KeyProject.objects.all():
        old = then[project.pk]
        assert old.stage == project.stage, project
        for field in STAGE_DATE_FIELD.values():
            assert getattr(old, field) == getattr(project, field)
    # a project started in 2021 was not started before its start date
    started = KeyProject.objects.filter(started_on__gt=datetime.date(2021, 3, 1)).first()
    before = KeyProject.history.as_of(
        summary.end_of_day(started.started_on - datetime.timedelta(days=1))
    ).get(pk=started.pk)
    assert before.started_on is None and before.stage != "started"
