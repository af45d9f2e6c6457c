"""The battle-zone checklist (战区清单): counts, order, grouping and who may read which zone."""

import datetime

import pytest
from django.test import TestCase
from django.urls import reverse

from chainlead.core.demo import DEMO_PASSWORD, DemoContext
from chainlead.organization import demo as organization_demo
from chainlead.organization.choices import Role
from chainlead.targets import demo as targets_demo
from chainlead.targets.choices import TargetStatus
from chainlead.targets.models import AttackTarget
from chainlead.targets.tests.factories import campaign_for, make_target, zone_for
from chainlead.utilities.testing.base import Org, make_user, max_queries

PAST = datetime.date(2021, 6, 30)
FUTURE = datetime.date(2099, 12, 31)


class ZoneChecklistTests(TestCase):
    def setUp(self):
        self.org = Org(role=Role.REPORTER)
        self.zone = zone_for(self.org.unit_a)
        area = self.zone.parent
        self.first = campaign_for(area, "枢纽建设攻坚战")
        self.first.sort_order = 1
        self.first.save()
        self.second = campaign_for(area, "招商引资攻坚战")
        self.second.sort_order = 2
        self.second.save()
        mk = make_target
        u = self.org.unit_a
        mk(u, 3, zone=self.zone, campaign=self.second, title="新引进亿元以上项目5个", deadline=FUTURE)
        mk(
            u,
            1,
            zone=self.zone,
            campaign=self.first,
            title="完成站前大道主体工程",
            status=TargetStatus.DONE,
            done_on=PAST,
            deadline=PAST,
        )
        mk(u, 2, zone=self.zone, campaign=self.first, title="建成公交首末站3处", deadline=PAST)  # overdue
        mk(
            u,
            4,
            zone=self.zone,
            campaign=self.second,
            title="举办招商推介活动6场",
            status=TargetStatus.CANCELLED,
            deadline=PAST,
        )
        mk(
            u,
            5,
            zone=self.zone,
            campaign=self.first,
            title="新增停车泊位500个",
            status=TargetStatus.PLANNED,
            deadline=FUTURE,
        )
        self.head = make_user(
            "zone_head", unit=self.zone, name="周指挥", title="指挥长", roles=[(Role.UNIT_HEAD, self.zone)]
        )
        self.url = reverse("targets:zone_detail", args=[self.zone.pk])

    def test_counts_order_and_groups(self):
        self.client.force_login(self.org.insider)
        self.client.get(self.url)
        with max_queries(12):
            response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        counts = response.context["counts"]
        self.assertEqual(
            {k: counts[k] for k in ("total", "done", "in_progress", "overdue", "cancelled")},
            {"total": 5, "done": 1, "in_progress": 2, "overdue": 1, "cancelled": 1},
        )
        groups = response.context["groups"]
        self.assertEqual([g["campaign"].name for g in groups], ["枢纽建设攻坚战", "招商引资攻坚战"])
        self.assertEqual([t.number for t in groups[0]["targets"]], [1, 2, 5])
        self.assertEqual([t.number for t in groups[1]["targets"]], [3, 4])
        self.assertEqual([g["ordinal"] for g in groups], ["一", "二"])
        page = response.content.decode()
        self.assertIn("一、枢纽建设攻坚战", page)
        self.assertIn('data-count="overdue">1<', page)
        self.assertIn("周指挥", page)  # the zone's unit head is its commander
        self.assertIn("targets/targets.css", page)

    def test_overdue_row_reads_overdue(self):
        self.client.force_login(self.org.insider)
        page = self.client.get(self.url).content.decode()
        row = page.split('data-number="2"')[1].split("</tr>")[0]
        self.assertIn("逾期", row)

    def test_scope(self):
        theirs = zone_for(self.org.unit_b)
        make_target(self.org.unit_b, 1, zone=theirs)
        self.client.force_login(self.org.insider)
        listed = [z.pk for z in self.client.get(reverse("targets:zone_list")).context["zones"]]
        self.assertEqual(listed, [self.zone.pk])
        self.assertEqual(self.client.get(reverse("targets:zone_detail", args=[theirs.pk])).status_code, 404)
        # Not a battle zone at all: 404 too, even for the office.
        self.client.force_login(self.org.office)
        self.assertEqual(
            self.client.get(reverse("targets:zone_detail", args=[self.org.unit_a.pk])).status_code, 404
        )
        listed = {z.pk for z in self.client.get(reverse("targets:zone_list")).context["zones"]}
        self.assertEqual(listed, {self.zone.pk, theirs.pk})
        self.client.force_login(self.org.nobody)
        self.assertEqual(self.client.get(reverse("targets:zone_list")).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 302)

    def test_index_counts_and_totals(self):
        self.client.force_login(self.org.office)
        response = self.client.get(reverse("targets:zone_list"))
        zone = next(z for z in response.context["zones"] if z.pk == self.zone.pk)
        self.assertEqual((zone.total, zone.done, zone.in_progress, zone.overdue), (5, 1, 2, 1))
        self.assertEqual([u.name for u in zone.commanders], ["周指挥"])
        self.assertEqual(response.context["totals"]["total"], 5)


@pytest.fixture
def demo_org(db):
    ctx = DemoContext(verbosity=0)
    organization_demo.load(ctx)
    targets_demo.load(ctx)
    return ctx


def _zones_seen(client, username):
    assert client.login(username=username, password=DEMO_PASSWORD)
    response = client.get(reverse("targets:zone_list"))
    assert response.status_code == 200
    return {z.pk for z in response.context["zones"]}


def test_demo_scope_reporter_area_head_office(client, demo_org):
    units = demo_org.units
    zones = {units[f"bz{i}"].pk for i in range(1, 7)}
    assert _zones_seen(client, "bz1_reporter") == {units["bz1"].pk}
    assert client.get(reverse("targets:zone_detail", args=[units["bz2"].pk])).status_code == 404
    page = client.get(reverse("targets:zone_detail", args=[units["bz1"].pk]))
    assert page.status_code == 200
    assert page.context["counts"]["total"] == AttackTarget.objects.filter(battle_zone=units["bz1"]).count()
    assert _zones_seen(client, "jtsw_head") == zones
    assert _zones_seen(client, "office") == zones
    assert _zones_seen(client, "leader") == zones


def test_demo_zone_reporter_sees_only_their_targets_in_the_list(client, demo_org):
    units = demo_org.units
    assert client.login(username="bz1_reporter", password=DEMO_PASSWORD)
    rows = client.get(reverse("targets:attacktarget_list") + "?per_page=200").context["table"].rows
    zones = {row.record.battle_zone_id for row in rows}
    assert zones == {units["bz1"].pk}
