"""The two indicators fed by supervision (red-light penalty, rectification after bulletins),
against the real ``chainlead.supervision.queries`` functions."""

import datetime
from decimal import Decimal as D

from django.test import TestCase, override_settings

from chainlead.assessment.computations import ComputeContext, rectification_rate, red_lights, subjects_for
from chainlead.assessment.models import Scheme
from chainlead.assessment.queries import ranking_rows
from chainlead.assessment.tests import factories as f
from chainlead.dispatch.tests import factories as df
from chainlead.organization.choices import UnitKind
from chainlead.organization.models import Unit
from chainlead.supervision.models import Bulletin, Light


def light(period, project, unit, color, **kw):
    return Light.objects.create(
        period=period,
        subject_kind="project",
        subject_key=f"project:{project.pk}",
        subject_name=project.name,
        project=project,
        responsible_unit=unit,
        component="overall",
        color=color,
        is_frozen=True,
        **kw,
    )


@override_settings(CHAINLEAD_TODAY=datetime.date(2021, 12, 31))
class TestSupervisionIndicators(TestCase):
    def setUp(self):
        self.office = f.office()
        self.jia, self.yi = f.zones("甲区", "乙区")
        self.bz = Unit.objects.create(name="甲区一战区", kind=UnitKind.BATTLE_ZONE, parent=self.jia)
        self.sep, self.oct = df.period(2021, 9), df.period(2021, 10)
        self.p1 = df.project(self.bz, name="项目一")
        self.p2 = df.project(self.jia, name="项目二")
        self.p3 = df.project(self.yi, name="项目三")

    def ctx(self, start, end, kind="zone"):
        return ComputeContext(kind, start, end, subjects_for(kind))

    def test_red_lights_count_the_zone_and_its_battle_zones(self):
        light(self.oct, self.p1, self.bz, "red")
        light(self.oct, self.p2, self.jia, "red")
        light(self.sep, self.p2, self.jia, "red")  # September: outside Q4
        light(self.oct, self.p3, self.yi, "red", excused=True)  # excused: not counted
        measured = red_lights(self.ctx(datetime.date(2021, 10, 1), datetime.date(2021, 12, 31)))
        self.assertEqual(measured[self.jia.pk].value, D(2))
        self.assertEqual(measured[self.yi.pk].value, D(0))

    def test_penalty_in_a_ranking_and_in_ranking_rows(self):
        scheme = Scheme.objects.get(code="zone-default")
        light(self.oct, self.p1, self.bz, "red")
        light(self.oct, self.p2, self.jia, "red")
        ranking = f.score(scheme, 4, self.office)
        item = ranking.scores.get(name="甲区").items.get(indicator__code="red_lights")
        self.assertEqual((item.value, item.final_score), (D(2), D("-1.00")))  # 2 × 0.5
        rows = {r["name"]: r for r in ranking_rows(datetime.date(2021, 12, 31))}
        self.assertEqual((rows["甲区"]["lights_red"], rows["乙区"]["lights_red"]), (2, 0))

    def test_rectification_rate_after_a_bulletin(self):
        """September's bulletin named 项目一 (red) and 项目二 (yellow) of 甲区; in October 项目一 is
        yellow (improved), 项目二 still yellow: 甲区 rate 1/2 → 2.5 of 5 points."""
        Bulletin.objects.create(
            period=self.sep,
            status="issued",
            issued_on=datetime.date(2021, 10, 8),
            data={
                "lagging": [
                    {"project_id": self.p1.pk, "unit_id": self.jia.pk, "color": "red"},
                    {"project_id": self.p2.pk, "unit_id": self.jia.pk, "color": "yellow"},
                ]
            },
        )
        light(self.oct, self.p1, self.jia, "yellow")
        light(self.oct, self.p2, self.jia, "yellow")
        measured = rectification_rate(self.ctx(datetime.date(2021, 10, 1), datetime.date(2021, 12, 31)))
        self.assertEqual(measured[self.jia.pk].value, D("0.5"))
        self.assertIsNone(measured[self.yi.pk].value)  # nothing named: no base (full marks by default)
        ranking = f.score(Scheme.objects.get(code="zone-default"), 4, self.office)
        item = ranking.scores.get(name="甲区").items.get(indicator__code="rectification_rate")
        self.assertEqual(item.final_score, D("2.50"))
        other = ranking.scores.get(name="乙区").items.get(indicator__code="rectification_rate")
        self.assertEqual(other.final_score, D("5.00"))
