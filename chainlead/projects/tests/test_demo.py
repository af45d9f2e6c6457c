"""The demo zone reproduces the seed's headline figures, computed with the dashboard's own query
(``metrics.headline``) and cross-checked with a plain loop over the projects."""

import datetime
from decimal import Decimal

import pytest

from chainlead.core.demo import load_demo
from chainlead.organization.models import Unit
from chainlead.projects.metrics import Period, headline
from chainlead.projects.models import KeyProject
from chainlead.utilities.money import wan_to_yi

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ctx = load_demo(verbosity=0)
        yield ctx
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)


def test_headline_figures_2021_jan_to_nov(demo):
    period = Period.year_to_month(2021, 11)
    assert period.label == "2021年1–11月"
    figures = headline(KeyProject.objects.all(), period)
    assert figures["attracted"] == 208
    assert wan_to_yi(figures["attracted_investment"]) == Decimal("3068.00")
    assert figures["landed"] == 140
    assert wan_to_yi(figures["landed_output"]) == Decimal("1962.00")


def test_headline_figures_match_a_plain_count(demo):
    start, end = datetime.date(2021, 1, 1), datetime.date(2021, 11, 30)

    def within(d):
        return d is not None and start <= d <= end

    projects = list(KeyProject.objects.all())
    attracted = [p for p in projects if within(p.negotiating_on)]
    landed = [p for p in projects if within(p.signed_on) or within(p.registered_on)]
    figures = headline(KeyProject.objects.all(), Period(start, end))
    assert figures["attracted"] == len(attracted)
    assert figures["attracted_investment"] == sum(p.total_investment for p in attracted)
    assert figures["landed"] == len(landed)
    assert figures["landed_output"] == sum(p.expected_output or 0 for p in landed)
    assert figures["started"] == sum(within(p.started_on) for p in projects)


def test_previous_year_is_there_for_comparison(demo):
    figures = headline(KeyProject.objects.all(), Period.year_to_month(2020, 11))
    assert 100 < figures["attracted"] < 208
    assert figures["attracted_investment"] > 0


def test_transport_business_district_key_projects(demo):
    area = Unit.objects.get(short_name="交通商务区")
    key = KeyProject.objects.filter(area__path__startswith=area.path).exclude(level="")
    assert key.count() == 19
    assert wan_to_yi(sum(p.total_investment for p in key)) == Decimal("260.00")
    assert Unit.objects.filter(parent=area, kind="battle_zone").count() == 6


def test_demo_projects_pass_their_own_validation(demo):
    for p in KeyProject.objects.all():
        p.full_clean()
