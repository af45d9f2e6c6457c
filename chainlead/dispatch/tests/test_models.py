"""Generated page and API tests for every dispatch model with pages (four ways each: anonymous,
no role, out of scope, with permission; change log; query budgets; optimistic locking)."""

import datetime
from decimal import Decimal

from django.test import override_settings

from chainlead.dispatch.models import (
    Decision,
    DispatchMeeting,
    FactorRequest,
    Period,
    Problem,
    ProgressReport,
    ReportingCycle,
    TotalInvestmentChange,
)
from chainlead.dispatch.tests import factories as f
from chainlead.organization.choices import Role
from chainlead.utilities.testing.models import ModelAPITests, ModelViewTests

TODAY = override_settings(CHAINLEAD_TODAY=f.TODAY)


class CycleSample:
    model = ReportingCycle
    role = Role.UNIT_HEAD
    public_view = True
    insider_can_add = insider_can_edit = insider_can_delete = False

    def make(self, org, unit, n=0):
        # Inactive: only one cycle per kind may be active at a time.
        return ReportingCycle.objects.create(
            name=f"周期{n}",
            item_kind="project",
            frequency="monthly",
            starts_on=datetime.date(2021, 1, 1),
            is_active=False,
        )

    def form_data(self, org, unit):
        return {
            "name": "攻坚目标周调度",
            "item_kind": "target",
            "frequency": "weekly",
            "deadline_workdays": "5",
            "deadline_weekday": "4",
            "deadline_time": "17:00",
            "remind_workdays": "2",
            "starts_on": "2021-11-01",
            "is_active": "on",
        }

    def edit_data(self, org, obj):
        data = self.form_data(org, unit=None)
        data.update(name=obj.name + "（改）", item_kind="project", frequency="monthly", _version=obj.version)
        data.pop("is_active")
        return data


@TODAY
class TestReportingCycleViews(CycleSample, ModelViewTests):
    pass


@TODAY
class TestReportingCycleAPI(CycleSample, ModelAPITests):
    pass


class PeriodSample:
    model = Period
    role = Role.UNIT_HEAD
    public_view = True
    insider_can_add = insider_can_edit = insider_can_delete = False

    def make(self, org, unit, n=0):
        cycle = f.cycle()
        start = datetime.date(2022, 1, 1) + datetime.timedelta(days=31 * n)
        start = start.replace(day=1)
        return Period.objects.create(
            cycle=cycle, start=start, end=start + datetime.timedelta(days=27), due_at=f.local(2022, 12, 1, 17)
        )

    def form_data(self, org, unit):
        return {
            "cycle": f.cycle().pk,
            "start": "2023-01-01",
            "end": "2023-01-31",
            "due_at": "2023-02-08T17:00",
        }

    def edit_data(self, org, obj):
        return {
            "cycle": obj.cycle_id,
            "start": obj.start.isoformat(),
            "end": obj.end.isoformat(),
            "due_at": "2023-02-09T17:00",
            "_version": obj.version,
        }

    def api_data(self, org, unit):
        return {
            "cycle": f.cycle().pk,
            "start": "2023-03-01",
            "end": "2023-03-31",
            "due_at": "2023-04-08T17:00:00+08:00",
        }


@TODAY
class TestPeriodViews(PeriodSample, ModelViewTests):
    pass


@TODAY
class TestPeriodAPI(PeriodSample, ModelAPITests):
    pass


class ReportSample:
    model = ProgressReport
    role = Role.REPORTER
    insider_can_delete = False  # reporters fill; unit heads and the office delete drafts
    detail_query_budget = 30

    def make(self, org, unit, n=0):
        return f.report(item=f.project(unit, name=f"{unit.name}项目{n}"))

    def form_data(self, org, unit):
        p = f.project(unit, name=f"{unit.name}表单项目")
        return {
            "period": f.period().pk,
            "project": p.pk,
            "period_completed": "120",
            "progress_text": "桩基施工",
        }

    def edit_data(self, org, obj):
        return {"period_completed": "80", "progress_text": "主体施工至四层", "_version": obj.version}

    def api_data(self, org, unit):
        p = f.project(unit, name=f"{unit.name}接口项目")
        return {"period": f.period().pk, "project": p.pk, "period_completed": "100", "progress_text": "桩基"}


@TODAY
class TestProgressReportViews(ReportSample, ModelViewTests):
    pass


@TODAY
class TestProgressReportAPI(ReportSample, ModelAPITests):
    pass


class ChangeSample:
    model = TotalInvestmentChange
    role = Role.REPORTER
    insider_can_edit = insider_can_delete = False  # reporters file; heads correct

    def make(self, org, unit, n=0):
        return TotalInvestmentChange.objects.create(
            project=f.project(unit, name=f"{unit.name}调整项目{n}"),
            old_total=Decimal(10000),
            new_total=Decimal(12000),
            filed_on=datetime.date(2021, 10, 8),
            reason="增加一条生产线",
        )

    def form_data(self, org, unit):
        p = f.project(unit, name=f"{unit.name}备案项目")
        return {"project": p.pk, "new_total": "15000", "filed_on": "2021-10-20", "reason": "增加研发楼"}

    def edit_data(self, org, obj):
        return {
            "project": obj.project_id,
            "new_total": "16000",
            "filed_on": "2021-10-21",
            "reason": "增加研发楼及配套",
            "_version": obj.version,
        }


@TODAY
class TestTotalInvestmentChangeViews(ChangeSample, ModelViewTests):
    pass


@TODAY
class TestTotalInvestmentChangeAPI(ChangeSample, ModelAPITests):
    pass


class ProblemSample:
    model = Problem
    role = Role.REPORTER
    insider_can_delete = False  # the office deletes; problems are history

    def make(self, org, unit, n=0):
        return f.problem(unit, n)

    def form_data(self, org, unit):
        return {
            "title": "施工用电未接入",
            "category": "utilities",
            "raised_by_unit": unit.pk,
            "raised_on": "2021-11-01",
        }

    def edit_data(self, org, obj):
        return {
            "title": obj.title + "（补充）",
            "category": obj.category,
            "description": "补充说明",
            "_version": obj.version,
        }


@TODAY
class TestProblemViews(ProblemSample, ModelViewTests):
    pass


@TODAY
class TestProblemAPI(ProblemSample, ModelAPITests):
    pass


class FactorSample:
    model = FactorRequest
    role = Role.REPORTER
    insider_can_delete = False

    def make(self, org, unit, n=0):
        return FactorRequest.objects.create(
            project=f.project(unit, name=f"{unit.name}要素项目{n}"),
            kind="land",
            department=unit,
            amount_requested=Decimal(50),
            requested_on=datetime.date(2021, 9, 1),
        )

    def form_data(self, org, unit):
        p = f.project(unit, name=f"{unit.name}用能项目")
        return {
            "project": p.pk,
            "kind": "energy",
            "amount_requested": "12000",
            "department": unit.pk,
            "requested_on": "2021-10-12",
        }

    def edit_data(self, org, obj):
        data = self.form_data(org, obj.department)
        data.update(project=obj.project_id, amount_requested="9000", _version=obj.version)
        return data


@TODAY
class TestFactorRequestViews(FactorSample, ModelViewTests):
    pass


@TODAY
class TestFactorRequestAPI(FactorSample, ModelAPITests):
    pass


class MeetingSample:
    model = DispatchMeeting
    role = Role.UNIT_HEAD
    api_list_query_budget = 12  # three constant prefetches: projects, targets, problems covered
    public_view = True
    insider_can_add = insider_can_edit = insider_can_delete = False

    def make(self, org, unit, n=0):
        return f.meeting(n)

    def form_data(self, org, unit):
        return {"title": "11月调度会", "kind": "monthly", "held_on": "2021-11-26", "chair": "张建国"}

    def edit_data(self, org, obj):
        return {
            "title": obj.title,
            "kind": "special",
            "held_on": "2021-10-29",
            "chair": "王副区长",
            "_version": obj.version,
        }


@TODAY
class TestDispatchMeetingViews(MeetingSample, ModelViewTests):
    pass


@TODAY
class TestDispatchMeetingAPI(MeetingSample, ModelAPITests):
    pass


class DecisionSample:
    model = Decision
    role = Role.UNIT_HEAD
    public_view = True
    insider_can_add = insider_can_delete = False  # the office records; the owner unit follows up

    def make(self, org, unit, n=0):
        return Decision.objects.create(
            meeting=f.meeting(n),
            number=1,
            content=f"完成第{n}项工作",
            owner_unit=unit,
            deadline=datetime.date(2021, 11, 20),
        )

    def form_data(self, org, unit):
        return {
            "meeting": f.meeting(9).pk,
            "content": "12月10日前完成道路贯通",
            "owner_unit": unit.pk,
            "deadline": "2021-12-10",
        }

    def edit_data(self, org, obj):
        return {"progress": "已完成路基施工，正在铺设沥青。", "_version": obj.version}


@TODAY
class TestDecisionViews(DecisionSample, ModelViewTests):
    pass


@TODAY
class TestDecisionAPI(DecisionSample, ModelAPITests):
    pass
