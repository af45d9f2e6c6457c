"""Every warning rule W1–W8 (DOMAIN.md §5) on each side of each threshold: first the shipped rule
data alone (value → colour), then the engine on real projects, targets, reports and problems."""

from decimal import Decimal
from unittest import mock

from django.test import TestCase, override_settings

from chainlead.dispatch.choices import ProblemStatus
from chainlead.dispatch.tests import factories as f
from chainlead.organization.choices import UnitKind
from chainlead.organization.models import Unit
from chainlead.supervision.choices import LightColor, SubjectKind
from chainlead.supervision.lights import months_between
from chainlead.supervision.tests.helpers import D, color_of, measure, period, project, report, rule
from chainlead.utilities.testing.base import Org

G, Y, OR, R = LightColor.GREEN, LightColor.YELLOW, LightColor.ORANGE, LightColor.RED

#: (rule, value, expected colour) on both sides of every default threshold.
BOUNDARIES = [
    # W1: gap (pp) ≤ 0 green, 0 < gap < 10 green [D], 10 ≤ gap ≤ 30 yellow, > 30 red
    ("W1", "-5", G),
    ("W1", "0", G),
    ("W1", "9.99", G),
    ("W1", "10", Y),
    ("W1", "30", Y),
    ("W1", "30.01", R),
    # W2: months past the end of the planned month: 0 green, > 0 yellow, ≥ 3 red
    ("W2", "0", G),
    ("W2", "0.01", Y),
    ("W2", "2.99", Y),
    ("W2", "3", R),
    # W3: months since start without FAI entry: ≤ 1 green, > 1 yellow, > 2 red
    ("W3", "1", G),
    ("W3", "1.01", Y),
    ("W3", "2", Y),
    ("W3", "2.01", R),
    # W4: days overdue: 0 green, 1–14 yellow, ≥ 15 red
    ("W4", "0", G),
    ("W4", "1", Y),
    ("W4", "14", Y),
    ("W4", "15", R),
    # W5: working days overdue: 0 green, 1–5 yellow, > 5 red
    ("W5", "0", G),
    ("W5", "1", Y),
    ("W5", "5", Y),
    ("W5", "6", R),
    # W6: consecutive missed cycles: 0 green, 1 yellow, 2 red
    ("W6", "0", G),
    ("W6", "1", Y),
    ("W6", "2", R),
    # W7: YTD growth (%): ≥ target 10 green, 0 ≤ g < 10 yellow, < 0 red
    ("W7", "10", G),
    ("W7", "9.9", Y),
    ("W7", "0", Y),
    ("W7", "-0.1", R),
    # W8: consecutive months missed: 0 green, 1 yellow, 2 red
    ("W8", "0", G),
    ("W8", "1", Y),
    ("W8", "2", R),
]


class ShippedRuleDataTests(TestCase):
    def test_each_side_of_each_threshold(self):
        for code, value, expected in BOUNDARIES:
            with self.subTest(rule=code, value=value):
                self.assertEqual(rule(code).classify(Decimal(value)), expected)

    def test_optional_orange_tier_for_w4(self):
        w4 = rule("W4")
        w4.orange_at = Decimal(8)
        w4.save()
        self.assertEqual([w4.classify(v) for v in (7, 8, 14, 15)], [Y, OR, OR, R])

    def test_thresholds_are_data(self):
        w1 = rule("W1")
        self.assertEqual(w1.classify(Decimal(12)), Y)
        w1.yellow_at = Decimal(15)
        w1.save()
        self.assertEqual(rule("W1").classify(Decimal(12)), G)
        self.assertIn("黄灯 ≥ 15", rule("W1").thresholds_text)

    def test_inconsistent_thresholds_are_refused(self):
        from django.core.exceptions import ValidationError

        w1 = rule("W1")
        w1.red_at = Decimal(5)  # below the yellow threshold
        with self.assertRaisesMessage(ValidationError, "黄灯 ≤ 橙灯 ≤ 红灯"):
            w1.full_clean()

    def test_months_between(self):
        self.assertEqual(months_between(D(2021, 3, 15), D(2021, 4, 15)), Decimal("1.00"))
        self.assertGreater(months_between(D(2021, 3, 15), D(2021, 4, 16)), 1)
        self.assertEqual(months_between(D(2021, 8, 31), D(2021, 11, 30)), Decimal("3.00"))
        self.assertLess(months_between(D(2021, 8, 31), D(2021, 11, 29)), 3)


@override_settings(CHAINLEAD_TODAY=D(2021, 12, 20))
class EngineTests(TestCase):
    def setUp(self):
        self.org = Org()
        self.unit = self.org.unit_a

    # W1 -------------------------------------------------------------------------------------------
    def test_w1_gap_against_time_elapsed_share(self):
        june = period(2021, 6)  # 序时进度 50%
        cases = {"401": G, "400": Y, "200": Y, "199": R}  # gap 9.9, 10, 30, 30.1 on a plan of 1000
        projects = {}
        for i, (ytd, _expected) in enumerate(cases.items()):
            p = project(self.unit, f"项目{i}")
            report(p, june, ytd)
            projects[ytd] = p
        results = measure(june)
        for ytd, expected in cases.items():
            with self.subTest(ytd=ytd):
                self.assertEqual(color_of(results, "W1", projects[ytd].pk), expected)
        behind = next(m for m in results if m.component == "W1" and m.subject_id == projects["199"].pk)
        self.assertIn("低于序时进度30.1个百分点", behind.reason)
        self.assertEqual(behind.value, Decimal("30.10"))

    def test_w1_small_projects_below_the_rule_minimum_get_no_light(self):
        w1 = rule("W1")
        w1.min_annual_plan = Decimal(1000)
        w1.save()
        june = period(2021, 6)
        small = project(self.unit, "小项目", annual_plan=Decimal(999))
        report(small, june, 0)
        self.assertFalse([m for m in measure(june) if m.component == "W1" and m.subject_id == small.pk])

    # W2 -------------------------------------------------------------------------------------------
    def test_w2_start_on_time(self):
        nov = period(2021, 11)
        p = project(self.unit, "拟开工项目", stage="signed", started_on=None, planned_start_on=D(2021, 8, 10))
        for on, expected in (
            (D(2021, 8, 31), G),
            (D(2021, 9, 1), Y),
            (D(2021, 11, 29), Y),
            (D(2021, 11, 30), R),
        ):
            with self.subTest(on=on):
                self.assertEqual(color_of(measure(nov, on=on), "W2", p.pk), expected)

    def test_w2_started_project_is_green(self):
        nov = period(2021, 11)
        p = project(self.unit, "已开工", planned_start_on=D(2021, 3, 1), started_on=D(2021, 3, 15))
        self.assertEqual(color_of(measure(nov, on=D(2021, 11, 30)), "W2", p.pk), G)

    # W3 -------------------------------------------------------------------------------------------
    def test_w3_fai_entry_after_start(self):
        nov = period(2021, 11)
        p = project(self.unit, "未入库项目", started_on=D(2021, 3, 15))
        for on, expected in (
            (D(2021, 4, 15), G),
            (D(2021, 4, 16), Y),
            (D(2021, 5, 15), Y),
            (D(2021, 5, 16), R),
        ):
            with self.subTest(on=on):
                self.assertEqual(color_of(measure(nov, on=on), "W3", p.pk), expected)
        p.fai_in_db, p.fai_month = True, D(2021, 4, 1)
        p.save()
        self.assertEqual(color_of(measure(nov, on=D(2021, 11, 30)), "W3", p.pk), G)

    # W4 -------------------------------------------------------------------------------------------
    def test_w4_milestone_days_overdue(self):
        from chainlead.warroom.services import OverdueNode
        from chainlead.warroom.tests import factories as wf

        nov = period(2021, 11)
        schedule = wf.plan(
            self.unit,
            self.org.office,
            name="有计划的项目",
            started_on=D(2021, 3, 15),
            stage="started",
            annual_plan=Decimal(1000),
        )
        pid = schedule.project_id
        for days, expected in ((0, G), (1, Y), (14, Y), (15, R)):
            nodes = (
                {pid: [OverdueNode(1, schedule.pk, "主体完工", "住建局", D(2021, 11, 1), days)]}
                if days
                else {}
            )
            with (
                self.subTest(days=days),
                mock.patch("chainlead.warroom.services.node_statuses", return_value=nodes),
            ):
                self.assertEqual(color_of(measure(nov, on=D(2021, 11, 30)), "W4", pid), expected)

    def test_w4_attack_target_deadline(self):
        from chainlead.targets.tests.factories import make_target

        nov = period(2021, 11)
        area = Unit.objects.create(name="交通商务区", kind=UnitKind.AREA)
        target = make_target(area, 1, deadline=D(2021, 11, 10))
        for on, expected in (
            (D(2021, 11, 10), G),
            (D(2021, 11, 11), Y),
            (D(2021, 11, 24), Y),
            (D(2021, 11, 25), R),
        ):
            with self.subTest(on=on):
                self.assertEqual(color_of(measure(nov, on=on), "W4", target.pk, SubjectKind.TARGET), expected)

    # W5 -------------------------------------------------------------------------------------------
    def test_w5_problem_working_days_overdue(self):
        nov = period(2021, 11)
        p = project(self.unit, "有堵点的项目")
        f.problem(
            self.unit,
            1,
            project=p,
            status=ProblemStatus.ASSIGNED,
            lead_unit=self.org.unit_b,
            due_on=D(2021, 11, 1),
        )
        # Mon 1 Nov is the time limit; working days after it: 2, 3, 4, 5, 8 (=5), 9 (=6).
        for on, expected in (
            (D(2021, 11, 1), G),
            (D(2021, 11, 2), Y),
            (D(2021, 11, 8), Y),
            (D(2021, 11, 9), R),
        ):
            with self.subTest(on=on):
                self.assertEqual(color_of(measure(nov, on=on), "W5", p.pk), expected)

    # W6 -------------------------------------------------------------------------------------------
    def test_w6_report_timeliness(self):
        sep, octo, nov = period(2021, 9), period(2021, 10), period(2021, 11)
        on_time, late, missed_once, missed_twice = (
            project(self.unit, n) for n in ("按时", "迟报", "漏报一期", "连续漏报")
        )
        for p in (on_time, late, missed_once):
            report(p, sep, 100)
        report(on_time, octo, 200)
        report(late, octo, 200, late=True)
        results = measure(nov, on=D(2021, 11, 30))  # November is not due yet: September and October count
        self.assertEqual(color_of(results, "W6", on_time.pk), G)
        self.assertEqual(color_of(results, "W6", late.pk), Y)
        self.assertEqual(color_of(results, "W6", missed_once.pk), Y)
        self.assertEqual(color_of(results, "W6", missed_twice.pk), R)

    # W7 -------------------------------------------------------------------------------------------
    def test_w7_unit_growth_against_target_and_average(self):
        last, now = period(2020, 11), period(2021, 11)
        units = {}
        for name, before, after in (
            ("甲区", 1000, 1200),
            ("乙区", 1000, 1050),
            ("丙区", 1000, 900),
            ("丁区", 1000, 1100),
        ):
            unit = Unit.objects.create(name=name, kind=UnitKind.AREA)
            p = project(unit, f"{name}项目", started_on=D(2020, 3, 1))
            report(p, last, before)
            report(p, now, after)
            units[name] = unit
        results = [m for m in measure(now, on=D(2021, 11, 30)) if m.component == "W7"]
        colors = {m.name: m.color for m in results}
        # average growth (1200+1050+900+1100−4000)/4000 = 6.25%; 丁区 exactly at the 10% target
        self.assertEqual(colors, {"甲区": G, "乙区": Y, "丙区": R, "丁区": G})

    def test_w7_green_unit_below_average_is_yellow(self):
        last, now = period(2020, 11), period(2021, 11)
        for name, before, after in (("甲区", 1000, 1500), ("乙区", 1000, 1120)):
            unit = Unit.objects.create(name=name, kind=UnitKind.AREA)
            p = project(unit, f"{name}项目", started_on=D(2020, 3, 1))
            report(p, last, before)
            report(p, now, after)
        colors = {m.name: m.color for m in measure(now, on=D(2021, 11, 30)) if m.component == "W7"}
        self.assertEqual(colors, {"甲区": G, "乙区": Y})  # 12% ≥ target 10% but below the 31% average

    # W8 -------------------------------------------------------------------------------------------
    def test_w8_monthly_tasks(self):
        from chainlead.targets.tests.factories import make_target, zone_for

        nov = period(2021, 11)
        cases = {}
        for name, october_done, november_done in (
            ("按期", True, True),
            ("本月未完成", True, False),
            ("连续两月未完成", False, False),
        ):
            area = Unit.objects.create(name=f"{name}片区", kind=UnitKind.AREA)
            zone = zone_for(area)
            make_target(
                area,
                1,
                zone=zone,
                deadline=D(2021, 10, 20),
                done_on=D(2021, 10, 19) if october_done else None,
            )
            make_target(
                area,
                2,
                zone=zone,
                deadline=D(2021, 11, 20),
                done_on=D(2021, 11, 20) if november_done else None,
            )
            cases[zone.pk] = name
        colors = {
            cases[m.subject_id]: m.color for m in measure(nov, on=D(2021, 11, 30)) if m.component == "W8"
        }
        self.assertEqual(colors, {"按期": G, "本月未完成": Y, "连续两月未完成": R})
