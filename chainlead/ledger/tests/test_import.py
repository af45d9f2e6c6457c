"""The import service: row errors, all or nothing, updates instead of duplicates, stages, scope,
the change log's batch id and undo."""

import datetime
from decimal import Decimal

import pytest

from chainlead.core.exceptions import ServiceError
from chainlead.core.models import AuditEvent, ObjectChange
from chainlead.ledger import services
from chainlead.ledger.tests.helpers import commit, import_file, upload
from chainlead.ledger.tests.test_hostile import small_xlsx
from chainlead.projects.choices import Stage
from chainlead.projects.models import ContactRecord, KeyProject

pytestmark = pytest.mark.django_db

HEADER = (
    "序号",
    "项目名称",
    "项目代码",
    "建设单位",
    "责任单位",
    "总投资（万元）",
    "年度计划投资（万元）",
    "计划开工时间",
)


def rows(*data):
    return [HEADER, *data]


GOOD = (1, "★青岛芯片封测基地", "", "青岛芯恩集成电路有限公司", "发改局", "1.2亿", "3,000", "2021.3")


def test_row_errors_name_row_and_column_and_nothing_is_written(world, django_capture_on_commit_callbacks):
    data = small_xlsx(
        rows(
            GOOD,
            (2, "海洋装备产业园", "", "某投资公司", "区统计局", 5000, 100, "2021年5月"),
            (3, "光伏电站", "", "某公司", "发改局", "10万千瓦", "", ""),
            (4, "港口改造", "", "某公司", "发改局", 100, 500, "2021/13/40"),
        )
    )
    before = ObjectChange.objects.count()
    batch = upload(django_capture_on_commit_callbacks, data, "台账.xlsx", world.office)
    assert batch.status == "invalid"
    errors = batch.preview["errors"]
    assert "第3行，列“责任单位”：找不到单位“区统计局”" in errors
    assert "第4行，列“总投资（万元）”：“10万千瓦”是数量，不是金额" in errors
    assert "第5行，列“计划开工时间”：“2021/13/40”不是有效的日期" in errors
    assert (
        "第5行，列“年度计划投资（万元）”：年度计划投资（500.00万元）不能大于总投资（100.00万元）。" in errors
    )
    with pytest.raises(ServiceError):
        services.confirm(batch, by=world.office)
    assert KeyProject.objects.count() == 0
    assert ObjectChange.objects.count() == before


def test_an_error_in_the_last_row_writes_nothing(world, django_capture_on_commit_callbacks):
    good = [(i, f"项目{i}", "", "某公司", "发改局", 100 * i, 10, "2021.3") for i in range(1, 40)]
    batch = upload(django_capture_on_commit_callbacks, small_xlsx(rows(*good)), "台账.xlsx", world.office)
    assert batch.status == "ready"
    # The file changes between preview and commit (or the database does): the commit re-validates.
    bad = small_xlsx(rows(*good, (40, "最后一行", "", "某公司", "发改局", -5, "", "")))
    with batch.file.open("wb") as handle:
        handle.write(bad)
    before = ObjectChange.objects.count()
    batch = commit(django_capture_on_commit_callbacks, batch, world.office)
    assert batch.status == "invalid"
    assert "第41行，列“总投资（万元）”：金额不能为负数。" in batch.preview["errors"]
    assert KeyProject.objects.count() == 0
    assert ObjectChange.objects.count() == before


def test_values_are_normalised_and_logged_with_the_batch_id(world, django_capture_on_commit_callbacks):
    batch = import_file(django_capture_on_commit_callbacks, small_xlsx(rows(GOOD)), "台账.xlsx", world.office)
    project = KeyProject.objects.get()
    assert project.name == "青岛芯片封测基地"  # ★ stripped
    assert project.total_investment == Decimal("12000.00")  # 1.2亿 → 万元
    assert project.annual_plan == Decimal("3000.00")
    assert project.planned_start_on == datetime.date(2021, 3, 1)
    assert project.enterprise == world.enterprises["青岛芯恩集成电路有限公司"]
    assert project.responsible_unit == world.units["区发展和改革局"]  # by short name
    assert project.stage == Stage.LEAD and project.lead_on == datetime.date(2022, 6, 30)
    change = ObjectChange.objects.get(object_id=project.pk, action="create", content_type__model="keyproject")
    assert change.batch_id == str(batch.pk)
    assert change.source == "import" and change.user == world.office
    assert change.postchange_data["total_investment"] == "12000.00"
    assert project.history.count() == 1
    event = AuditEvent.objects.get(verb="imported")
    assert "新增 1 个项目" in event.message and event.user == world.office


def test_a_matching_row_updates_instead_of_duplicating(world, django_capture_on_commit_callbacks):
    existing = KeyProject.objects.create(
        name="青岛芯片封测基地",
        enterprise=world.enterprises["青岛芯恩集成电路有限公司"],
        responsible_unit=world.units["区发展和改革局"],
        total_investment=Decimal("10000"),
        annual_plan=Decimal("1000"),
        responsible_leader="张建国",
    )
    coded = KeyProject.objects.create(
        name="旧名称",
        project_code="2021-370211-04-01-123456",
        investor_name="某公司",
        responsible_unit=world.units["区发展和改革局"],
    )
    data = small_xlsx(
        rows(GOOD, (2, "港口改造（新名称）", "2021-370211-04-01-123456", "某公司", "发改局", 800, "—", ""))
    )
    batch = import_file(django_capture_on_commit_callbacks, data, "台账.xlsx", world.office)
    assert batch.status == "committed" and (batch.created_count, batch.updated_count) == (0, 2)
    assert KeyProject.objects.count() == 2
    existing.refresh_from_db()
    assert existing.total_investment == Decimal("12000.00") and existing.annual_plan == Decimal("3000.00")
    assert existing.responsible_leader == "张建国"  # not in the file: untouched
    coded.refresh_from_db()
    assert coded.name == "港口改造（新名称）" and coded.total_investment == Decimal("800.00")
    change = ObjectChange.objects.get(
        object_id=existing.pk, action="update", content_type__model="keyproject"
    )
    assert change.batch_id == str(batch.pk)
    assert change.prechange_data["total_investment"] == "10000.00"


def test_stage_column_sets_the_stage_and_its_date(world, django_capture_on_commit_callbacks):
    header = ("项目名称", "建设单位", "责任单位", "建设状态", "计划开工时间", "计划竣工时间")
    data = small_xlsx(
        [
            header,
            ("续建项目", "某公司", "发改局", "续建", "2021.3", "2023年底"),
            ("竣工项目", "某公司", "发改局", "竣工", "2020.3", "2022年3月"),
            ("明年开工", "某公司", "发改局", "新开工", "2022.9", "2024年底"),
            ("在谈项目", "某公司", "发改局", "在谈", "", ""),
        ]
    )
    batch = import_file(django_capture_on_commit_callbacks, data, "台账.xlsx", world.office)
    stages = dict(KeyProject.objects.values_list("name", "stage"))
    assert stages == {
        "续建项目": Stage.STARTED,
        "竣工项目": Stage.COMPLETED,
        "明年开工": Stage.LEAD,
        "在谈项目": Stage.NEGOTIATING,
    }
    started = KeyProject.objects.get(name="续建项目")
    assert started.started_on == datetime.date(2021, 3, 1) and started.lead_on == datetime.date(2021, 3, 1)
    assert KeyProject.objects.get(name="竣工项目").completed_on == datetime.date(2022, 3, 31)
    assert any("明年开工" not in w and "暂按“线索”导入" in w for w in batch.preview["warnings"])


def test_reporter_imports_only_for_own_unit(world, django_capture_on_commit_callbacks):
    data = small_xlsx(rows(GOOD, (2, "交通项目", "", "某公司", "交通局", 100, 10, "")))
    batch = upload(django_capture_on_commit_callbacks, data, "台账.xlsx", world.reporter)
    assert batch.status == "invalid"
    assert batch.preview["errors"] == [
        "第3行：您无权为“区交通运输局”导入或修改项目（只能导入本单位负责的项目）"
    ]
    batch = import_file(
        django_capture_on_commit_callbacks, small_xlsx(rows(GOOD)), "台账.xlsx", world.reporter
    )
    assert batch.status == "committed"
    from chainlead.core.exceptions import ForbiddenAction

    with pytest.raises(ForbiddenAction):
        services.upload(_file(small_xlsx(rows(GOOD))), by=world.viewer)


def _file(data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("台账.xlsx", data)


def test_default_unit_fills_a_missing_column(world, django_capture_on_commit_callbacks):
    data = small_xlsx([("项目名称", "建设单位", "总投资（亿元）"), ("某项目", "某公司", 0.5)])
    batch = upload(django_capture_on_commit_callbacks, data, "台账.xlsx", world.office)
    assert batch.status == "invalid"
    assert "缺少责任单位" in batch.preview["errors"][0]
    batch = import_file(
        django_capture_on_commit_callbacks,
        data,
        "台账.xlsx",
        world.office,
        default_unit=world.units["区交通运输局"],
    )
    project = KeyProject.objects.get()
    assert project.responsible_unit == world.units["区交通运输局"]
    assert project.total_investment == Decimal("5000.00")


def test_undo_deletes_created_and_restores_updated(world, client, django_capture_on_commit_callbacks):
    existing = KeyProject.objects.create(
        name="海洋装备产业园",
        investor_name="某投资公司",
        responsible_unit=world.units["区发展和改革局"],
        total_investment=Decimal("5000"),
    )
    data = small_xlsx(rows(GOOD, (2, "海洋装备产业园", "", "某投资公司", "发改局", 6000, 100, "")))
    batch = import_file(django_capture_on_commit_callbacks, data, "台账.xlsx", world.office)
    created = KeyProject.objects.get(name="青岛芯片封测基地")
    with django_capture_on_commit_callbacks(execute=True):
        services.undo(batch, by=world.office)
    batch.refresh_from_db()
    assert batch.status == "undone"
    assert not KeyProject.objects.filter(pk=created.pk).exists()
    existing.refresh_from_db()
    assert existing.total_investment == Decimal("5000.00") and existing.annual_plan == Decimal("0.00")
    undo_changes = ObjectChange.objects.filter(batch_id=str(batch.pk), source="import:undo")
    assert set(undo_changes.values_list("action", flat=True)) == {"delete", "update"}
    assert AuditEvent.objects.filter(verb="import_undone").exists()
    with pytest.raises(ServiceError):
        services.undo(batch, by=world.office)


def test_undo_is_refused_when_an_object_changed_after_the_import(world, django_capture_on_commit_callbacks):
    batch = import_file(django_capture_on_commit_callbacks, small_xlsx(rows(GOOD)), "台账.xlsx", world.office)
    project = KeyProject.objects.get()
    ContactRecord.objects.create(project=project, date=datetime.date(2022, 6, 1), summary="会谈")
    with pytest.raises(ServiceError) as exc:
        services.undo(batch, by=world.office)
    assert "项目“青岛芯片封测基地”在导入后又被修改过" in exc.value.message
    assert KeyProject.objects.filter(pk=project.pk).exists()
    batch.refresh_from_db()
    assert batch.status == "committed"


def test_duplicates_in_the_file_are_flagged_and_imported_once(world, django_capture_on_commit_callbacks):
    data = small_xlsx(
        rows(GOOD, (2, "▲ 青岛芯片封测基地", "", "青岛芯恩集成电路有限公司", "发改局", "1.2亿", 3000, ""))
    )
    batch = import_file(django_capture_on_commit_callbacks, data, "台账.xlsx", world.office)
    assert KeyProject.objects.count() == 1
    assert batch.preview["duplicates"][0].startswith("第3行与第2行是同一项目“青岛芯片封测基地”")
