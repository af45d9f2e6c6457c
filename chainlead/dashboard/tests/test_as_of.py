"""As of a past month-end the dashboard shows the figures as they stood then, rebuilt from the
history tables — not today's data relabelled — even when the snapshot is built after the data
changed."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from chainlead.dashboard import summary
from chainlead.dashboard.models import SnapshotState
from chainlead.dashboard.tests.helpers import (
    TODAY,
    dashboard,
    expected,
    make_zone,
    normalised,
    page,
    random_projects,
)
from chainlead.projects.choices import Stage
from chainlead.projects.metrics import Period, headline
from chainlead.projects.models import KeyProject

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2021, 10, 31)
PERIOD = (datetime.date(2021, 1, 1), AS_OF)


@pytest.fixture
def zone(settings):
    settings.CHAINLEAD_TODAY = TODAY
    z = make_zone()
    random_projects(z, n=40, seed=11)
    # The projects were entered on 15 October 2021: their history rows say so.
    moment = summary.end_of_day(datetime.date(2021, 10, 15))
    KeyProject.history.model.objects.update(history_date=moment)
    return z


def change_after_the_date(zone):
    """Writes after 31 October (the history rows are stamped now): stage dates move, a project
    is deleted, another is added with an earlier date."""
    moved = KeyProject.objects.exclude(signed_on=None).filter(signed_on__lt=datetime.date(2021, 6, 1)).first()
    moved.signed_on = datetime.date(2021, 9, 20)
    moved.registered_on = None
    moved.negotiating_on = datetime.date(2021, 2, 2)
    moved.save()
    KeyProject.objects.exclude(negotiating_on=None).filter(negotiating_on__year=2021).exclude(
        pk=moved.pk
    ).first().delete()
    KeyProject.objects.filter(started_on__year=2021).update(started_on=datetime.date(2021, 3, 3))
    KeyProject.objects.create(
        name="后补录项目",
        responsible_unit=zone.dept,
        area=zone.area_b,
        negotiating_on=datetime.date(2021, 4, 1),
        signed_on=datetime.date(2021, 5, 1),
        total_investment=Decimal("88888.88"),
        expected_output=Decimal("99999.99"),
        stage=Stage.SIGNED,
    )


def test_figures_as_of_a_month_end_are_the_old_ones(zone):
    before = normalised(expected(list(KeyProject.objects.all()), *PERIOD))
    change_after_the_date(zone)
    today = normalised(expected(list(KeyProject.objects.all()), *PERIOD))
    assert today != before

    # No snapshot yet: it is built now, after the changes, from the history tables.
    assert not SnapshotState.objects.filter(as_of=AS_OF).exists()
    as_of = normalised(dashboard(zone.leader, *PERIOD, as_of=AS_OF).values)
    assert as_of == before
    assert normalised(dashboard(zone.leader, *PERIOD).values) == today
    # …and both equal the independent queries: the history table as of the moment, today's rows
    history = KeyProject.history.as_of(summary.end_of_day(AS_OF))
    assert as_of == normalised(headline(history, Period(*PERIOD)))
    assert normalised(dashboard(zone.leader, *PERIOD).values) == normalised(
        headline(KeyProject.objects.all(), Period(*PERIOD))
    )


def test_as_of_scope_and_same_period_last_year(zone):
    before_area = [
        p
        for p in KeyProject.objects.all()
        if p.area_id in (zone.area_a.pk, zone.zone_a1.pk, zone.zone_a2.pk)
        or p.responsible_unit_id in (zone.area_a.pk, zone.zone_a1.pk, zone.zone_a2.pk)
    ]
    before_last_year = normalised(
        expected(list(KeyProject.objects.all()), datetime.date(2020, 1, 1), datetime.date(2020, 10, 31))
    )
    expected_area = normalised(expected(before_area, *PERIOD))
    change_after_the_date(zone)
    data = dashboard(zone.area_user, *PERIOD, as_of=AS_OF)
    assert normalised(data.values) == expected_area
    leader = dashboard(zone.leader, *PERIOD, as_of=AS_OF)
    assert normalised(leader.last_year_values) == before_last_year


def test_the_page_shows_the_banner_and_the_old_numbers(client, zone):
    before = expected(list(KeyProject.objects.all()), *PERIOD)
    change_after_the_date(zone)
    client.force_login(zone.leader)
    response = client.get(reverse("dashboard:index"), {"as_of": AS_OF.isoformat()})
    assert response.status_code == 200
    html = response.content.decode()
    assert "截至 2021年10月31日 的数据（按历史记录重建）" in html
    assert page(response)["period_label"] == "2021年1–10月"
    card = {c.key: c for c in page(response)["dashboard_data"].cards}["attracted"]
    assert card.value == before["attracted"]
    # the list behind the card, as the rows stood then, has exactly that many rows
    listed = client.get(card.url)
    assert listed.status_code == 200
    assert listed.context["table"].paginator.count == before["attracted"]
    assert "按历史记录重建" in listed.content.decode()
    landed = {c.key: c for c in page(response)["dashboard_data"].cards}["landed"]
    assert client.get(landed.url).context["table"].paginator.count == before["landed"]


def test_as_of_must_be_in_the_past_and_the_period_inside_its_year(client, zone):
    client.force_login(zone.leader)
    response = client.get(
        reverse("dashboard:index"), {"as_of": AS_OF.isoformat(), "year": 2020, "m1": 1, "m2": 12}
    )
    assert response.status_code == 200
    assert "历史回看时，统计期须在2021年内且不晚于10月31日。" in response.content.decode()
    # bad input falls back to the default period, today's data
    assert page(response)["as_of"] is None
    response = client.get(reverse("dashboard:index"), {"as_of": "2021-11-30"})
    assert "as-of-banner" not in response.content.decode()


def test_panels_that_cannot_look_back_say_so(client, zone):
    client.force_login(zone.leader)
    response = client.get(reverse("dashboard:index"), {"as_of": AS_OF.isoformat()})
    statuses = {p.key: p.status for p in page(response)["panels"]}
    assert statuses["dashboard_lagging"] == "as_of_unsupported"
    assert statuses["dashboard_funnel"] == "ok"
    assert "该板块暂不支持历史回看" in response.content.decode()
