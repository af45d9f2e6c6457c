"""Generated page and API tests for every war-room model with pages.

Templates and zone maps are the office's data: readable by everyone with a role
(``public_view``), written by the office only. Plans, their nodes and dependencies belong to the
project's responsible unit (and area); nodes also to their owner department."""

import datetime

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from chainlead.organization.choices import Role
from chainlead.utilities.testing.models import ModelAPITests, ModelViewTests
from chainlead.warroom.models import (
    ProjectSchedule,
    ScheduleDependency,
    ScheduleNode,
    ScheduleTemplate,
    TemplateDependency,
    TemplateNode,
    ZoneMap,
)
from chainlead.warroom.tests.factories import geojson, geojson_bytes, plan, project, template

TODAY = datetime.date(2021, 2, 1)


class FixedToday:
    """The business date of these tests: plans are computed as of 2021-02-01."""

    def setUp(self):
        super().setUp()
        override = override_settings(CHAINLEAD_TODAY=TODAY)
        override.enable()
        self.addCleanup(override.disable)


class OfficeDataSample:
    role = Role.UNIT_HEAD
    public_view = True
    insider_can_add = insider_can_edit = insider_can_delete = False


# --- templates ----------------------------------------------------------------------------------------
class ScheduleTemplateSample(OfficeDataSample):
    model = ScheduleTemplate

    def make(self, org, unit, n=0):
        return ScheduleTemplate.objects.create(name=f"模板{unit.name}{n}", sort_order=n)

    def form_data(self, org, unit):
        return {"name": "新模板", "investment_nature": "social", "is_active": "on", "sort_order": 5}

    def edit_data(self, org, obj):
        return {
            "name": obj.name + "（改）",
            "investment_nature": "government",
            "is_active": "on",
            "sort_order": 3,
            "_version": obj.version,
        }


class TestScheduleTemplateViews(ScheduleTemplateSample, ModelViewTests):
    pass


class TestScheduleTemplateAPI(ScheduleTemplateSample, ModelAPITests):
    pass


class TemplateNodeSample(OfficeDataSample):
    model = TemplateNode

    def setUp(self):
        super().setUp()
        template()  # its nodes exist before any count is taken

    def make(self, org, unit, n=0):
        return TemplateNode.objects.create(template=template(), name=f"{unit.name}节点{n}", duration_wd=n)

    def form_data(self, org, unit):
        return {"template": template().pk, "name": "新节点", "duration_wd": 4, "sort_order": 9}

    def edit_data(self, org, obj):
        return {
            "template": obj.template_id,
            "name": obj.name,
            "duration_wd": 7,
            "sort_order": 2,
            "_version": obj.version,
        }


class TestTemplateNodeViews(TemplateNodeSample, ModelViewTests):
    pass


class TestTemplateNodeAPI(TemplateNodeSample, ModelAPITests):
    pass


class TemplateDependencySample(OfficeDataSample):
    model = TemplateDependency

    def setUp(self):
        super().setUp()
        template()

    def _pair(self, unit, n):
        t = template()
        a = TemplateNode.objects.create(template=t, name=f"{unit.name}前{n}", duration_wd=1)
        b = TemplateNode.objects.create(template=t, name=f"{unit.name}后{n}", duration_wd=1)
        return a, b

    def make(self, org, unit, n=0):
        a, b = self._pair(unit, n)
        return TemplateDependency.objects.create(predecessor=a, successor=b, lag_wd=1)

    def form_data(self, org, unit):
        a, b = self._pair(unit, "新")
        return {"predecessor": a.pk, "successor": b.pk, "lag_wd": 2}

    def edit_data(self, org, obj):
        return {
            "predecessor": obj.predecessor_id,
            "successor": obj.successor_id,
            "lag_wd": 3,
            "_version": obj.version,
        }


class TestTemplateDependencyViews(TemplateDependencySample, ModelViewTests):
    pass


class TestTemplateDependencyAPI(TemplateDependencySample, ModelAPITests):
    pass


# --- plans ----------------------------------------------------------------------------------------------
class ProjectScheduleSample(FixedToday):
    model = ProjectSchedule
    role = Role.UNIT_HEAD
    #: The plan page adds its nodes, dependencies, baselines, the Gantt rows and the permission
    #: checks for the approve/re-plan/complete buttons to the generic detail page (a fixed number,
    #: whatever the number of nodes: see test_pages).
    detail_query_budget = 26

    def make(self, org, unit, n=0):
        return plan(unit, org.office, name=f"{unit.name}项目{n}")

    def form_data(self, org, unit):
        return {
            "project": project(unit, f"{unit.name}待编制项目").pk,
            "template": template().pk,
            "target_kind": "production",
            "target_date": "2021-06-30",
        }

    def edit_data(self, org, obj):
        return {
            "target_kind": "production",
            "target_date": "2021-07-15",
            "comments": "目标推后半个月",
            "_version": obj.version,
        }


class TestProjectScheduleViews(ProjectScheduleSample, ModelViewTests):
    pass


class TestProjectScheduleAPI(ProjectScheduleSample, ModelAPITests):
    pass


class ScheduleNodeSample(FixedToday):
    model = ScheduleNode
    role = Role.UNIT_HEAD

    def setUp(self):
        super().setUp()
        self.schedule(self.org, self.org.unit_a)  # its nodes exist before any count is taken

    def schedule(self, org, unit):
        existing = ProjectSchedule.objects.filter(project__responsible_unit=unit).first()
        return existing or plan(unit, org.office, name=f"{unit.name}节点项目")

    def make(self, org, unit, n=0):
        return ScheduleNode.objects.create(
            schedule=self.schedule(org, unit), name=f"补充节点{n}", duration_wd=2, sort_order=50 + n
        )

    def form_data(self, org, unit):
        return {
            "schedule": self.schedule(org, unit).pk,
            "name": "新增节点",
            "duration_wd": 4,
            "sort_order": 60,
        }

    def edit_data(self, org, obj):
        return {"name": obj.name, "duration_wd": 6, "sort_order": obj.sort_order, "_version": obj.version}


class TestScheduleNodeViews(ScheduleNodeSample, ModelViewTests):
    pass


class TestScheduleNodeAPI(ScheduleNodeSample, ModelAPITests):
    pass


class ScheduleDependencySample(FixedToday):
    model = ScheduleDependency
    role = Role.UNIT_HEAD

    def setUp(self):
        super().setUp()
        plan(self.org.unit_a, self.org.office, name=f"{self.org.unit_a.name}依赖项目")

    def _pair(self, org, unit, n):
        schedule = ProjectSchedule.objects.filter(project__responsible_unit=unit).first() or plan(
            unit, org.office, name=f"{unit.name}依赖项目"
        )
        a = ScheduleNode.objects.create(schedule=schedule, name=f"前{n}", duration_wd=1, sort_order=70)
        b = ScheduleNode.objects.create(schedule=schedule, name=f"后{n}", duration_wd=1, sort_order=71)
        return a, b

    def make(self, org, unit, n=0):
        a, b = self._pair(org, unit, n)
        return ScheduleDependency.objects.create(predecessor=a, successor=b, lag_wd=0)

    def form_data(self, org, unit):
        a, b = self._pair(org, unit, "新")
        return {"predecessor": a.pk, "successor": b.pk, "lag_wd": 1}

    def edit_data(self, org, obj):
        return {
            "predecessor": obj.predecessor_id,
            "successor": obj.successor_id,
            "lag_wd": 2,
            "_version": obj.version,
        }


class TestScheduleDependencyViews(ScheduleDependencySample, ModelViewTests):
    pass


class TestScheduleDependencyAPI(ScheduleDependencySample, ModelAPITests):
    pass


# --- zone maps ------------------------------------------------------------------------------------------
class ZoneMapSample(OfficeDataSample):
    model = ZoneMap

    def make(self, org, unit, n=0):
        zone_map = ZoneMap(name=f"{unit.name}地图{n}")
        zone_map.file = ContentFile(geojson_bytes(), name="zone.geojson")
        zone_map.full_clean()
        zone_map.save()
        return zone_map

    def form_data(self, org, unit):
        return {
            "name": "新区划",
            "file": SimpleUploadedFile("zone.geojson", geojson_bytes(), content_type="application/geo+json"),
            "is_active": "on",
        }

    def api_data(self, org, unit):
        return {"name": "接口区划", "geojson": geojson()}

    def edit_data(self, org, obj):
        return {"name": obj.name + "（改）", "is_active": "on", "_version": obj.version}


class TestZoneMapViews(ZoneMapSample, ModelViewTests):
    pass


class TestZoneMapAPI(ZoneMapSample, ModelAPITests):
    pass
