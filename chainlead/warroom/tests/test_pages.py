"""The plan page and its buttons, the baselines' refusals, the Gantt export, the map and the
three boards, as a user sees them."""

import datetime
import io
import json

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chainlead.core.models import AuditEvent
from chainlead.organization.choices import Role, UnitKind
from chainlead.organization.models import Unit
from chainlead.targets.models import AttackTarget, Campaign, TargetMonthPlan
from chainlead.utilities.testing.base import Org, count_queries, make_user, max_queries
from chainlead.warroom import services
from chainlead.warroom.choices import NodeStatus, ScheduleStatus
from chainlead.warroom.models import Baseline, ScheduleNode
from chainlead.warroom.tests.factories import nodes_by_name, plan, template

D = datetime.date
PDF = b"%PDF-1.4\n" + b"0" * 64

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return Org(role=Role.UNIT_HEAD)


@pytest.fixture
def today(settings):
    settings.CHAINLEAD_TODAY = D(2021, 2, 1)
    return settings.CHAINLEAD_TODAY


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# --- the plan page --------------------------------------------------------------------------------------
def test_plan_page_shows_the_schedule_and_the_warnings(client, org, settings):
    settings.CHAINLEAD_TODAY = D(2021, 2, 9)
    schedule = plan(org.unit_a, org.insider, tpl=template("超长审批", approval_days=(50, 60)))
    client.force_login(org.insider)
    html = page(client, schedule.get_absolute_url())
    assert 'id="infeasible-alert"' in html and "计划不可行" in html
    assert "主流程审批合计 50 个工作日，超过社会投资项目 45 个工作日的上限" in html
    assert html.count('data-node="') == 5
    assert html.count("data-critical") >= 3
    assert 'id="approve-button"' in html and 'id="replan-button"' not in html
    assert html.count("data-complete-node") == 2 * 5  # the table, and the cards shown on phones
    # A viewer reads the plan but gets no buttons.
    client.force_login(org.viewer_a)
    html = page(client, schedule.get_absolute_url())
    assert "approve-button" not in html and "data-complete-node" not in html


def test_plan_page_queries_do_not_grow_with_the_nodes(client, org, today):
    schedule = plan(org.unit_a, org.insider)
    services.approve_baseline(schedule, by=org.insider)
    client.force_login(org.insider)
    url = schedule.get_absolute_url()
    client.get(url)
    few = count_queries(lambda: client.get(url))
    services.replan(schedule, by=org.insider, reason="加节点")
    for n in range(6):
        ScheduleNode.objects.create(schedule=schedule, name=f"补充{n}", duration_wd=1, sort_order=90 + n)
    services.recompute(schedule)
    client.get(url)
    many = count_queries(lambda: client.get(url))
    assert few == many, f"{few} → {many}"
    with max_queries(26):
        client.get(url)


def test_complete_approve_and_replan_through_the_page(client, org, today, settings):
    schedule = plan(org.unit_a, org.insider)
    client.force_login(org.insider)
    response = client.post(
        reverse("warroom:projectschedule_approve", args=[schedule.pk]), {"reason": "指挥部审定"}, follow=True
    )
    assert "已批准为基线1" in response.content.decode()
    settings.CHAINLEAD_TODAY = D(2021, 2, 5)
    node = nodes_by_name(schedule)["前期手续"]
    response = client.post(
        reverse("warroom:schedulenode_complete", args=[node.pk]),
        {"actual_finish": "2021-02-04", "evidence": SimpleUploadedFile("批复.pdf", PDF)},
        follow=True,
    )
    assert "已填报“前期手续”于 2021-02-04 完成（按期完成）" in response.content.decode()
    node.refresh_from_db()
    assert node.status == NodeStatus.DONE_ON_TIME and node.evidence
    evidence = client.get(reverse("warroom:schedulenode_evidence", args=[node.pk]))
    assert evidence.status_code == 200
    client.force_login(org.outsider)
    assert client.get(reverse("warroom:schedulenode_evidence", args=[node.pk])).status_code == 404
    client.force_login(org.insider)
    # A re-plan without a reason is refused with a message; with one it is done and audited.
    replan = reverse("warroom:projectschedule_replan", args=[schedule.pk])
    response = client.post(replan, {"target_kind": "production", "target_date": "2021-03-01"}, follow=True)
    assert "调整原因" in response.content.decode()
    schedule.refresh_from_db()
    assert schedule.status == ScheduleStatus.APPROVED
    client.post(replan, {"target_kind": "production", "target_date": "2021-03-01", "reason": "设备延期"})
    schedule.refresh_from_db()
    assert schedule.status == ScheduleStatus.REPLANNING and schedule.target_date == D(2021, 3, 1)
    assert AuditEvent.objects.filter(verb="replanned", user=org.insider, message="设备延期").exists()
    # The edit form of an approved plan also asks for the reason.
    services.approve_baseline(schedule, by=org.insider)
    schedule.refresh_from_db()
    response = client.post(
        reverse("warroom:projectschedule_edit", args=[schedule.pk]),
        {"target_kind": "production", "target_date": "2021-03-10", "_version": schedule.version},
    )
    assert response.status_code == 200 and "调整计划必须填写原因" in str(response.context["form"].errors)


def test_reporter_may_complete_but_not_approve(client, org, today):
    reporter = make_user("reporter_a", unit=org.unit_a, roles=[(Role.REPORTER, org.unit_a)])
    schedule = plan(org.unit_a, org.insider)
    client.force_login(reporter)
    html = page(client, schedule.get_absolute_url())
    assert "approve-button" not in html and "data-complete-node" in html
    response = client.post(reverse("warroom:projectschedule_approve", args=[schedule.pk]), {"reason": ""})
    assert response.status_code == 403
    assert not Baseline.objects.exists()
    client.force_login(org.outsider)
    assert client.post(reverse("warroom:projectschedule_approve", args=[schedule.pk])).status_code == 404


def test_approved_plan_refuses_node_and_dependency_edits(client, org, today):
    schedule = plan(org.unit_a, org.insider)
    services.approve_baseline(schedule, by=org.insider)
    node = nodes_by_name(schedule)["主体施工"]
    client.force_login(org.insider)
    response = client.post(
        reverse("warroom:schedulenode_edit", args=[node.pk]),
        {"name": node.name, "duration_wd": 9, "sort_order": node.sort_order, "_version": node.version},
    )
    assert response.status_code == 200 and "调整计划" in str(response.context["form"].errors)
    dep = schedule.dependencies.first()
    response = client.post(reverse("warroom:scheduledependency_delete", args=[dep.pk]), follow=True)
    assert "不能删除依赖关系" in response.content.decode()
    assert schedule.dependencies.filter(pk=dep.pk).exists()


# --- baselines: read only everywhere ----------------------------------------------------------------------
def test_baseline_pages_api_and_admin_refuse_changes(client, org, today):
    schedule = plan(org.unit_a, org.insider)
    baseline = services.approve_baseline(schedule, by=org.insider)
    client.force_login(org.office)
    html = page(client, baseline.get_absolute_url())
    assert "已批准，不可修改" in html and 'id="edit-button"' not in html and 'id="delete-button"' not in html
    for name in ("baseline_edit", "baseline_delete"):
        response = client.post(reverse(f"warroom:{name}", args=[baseline.pk]))
        assert response.status_code == 403
        assert "基线一经批准即不可修改或删除" in response.content.decode()
    api = reverse("warroom-api:baseline-detail", args=[baseline.pk])
    assert client.get(api).json()["number"] == 1
    for method in ("patch", "put", "delete"):
        response = getattr(client, method)(api, json.dumps({"reason": "改"}), content_type="application/json")
        assert response.status_code == 403, method
        assert "不可修改或删除" in response.json()["detail"]
    response = client.post(
        reverse("warroom-api:baseline-list"),
        json.dumps({"schedule": schedule.pk}),
        content_type="application/json",
    )
    assert response.status_code == 403
    admin_url = reverse("admin:warroom_baseline_change", args=[baseline.pk])
    assert client.get(admin_url).status_code == 200
    assert client.post(admin_url, {"reason": "改"}).status_code == 403
    assert client.post(reverse("admin:warroom_baseline_delete", args=[baseline.pk])).status_code == 403
    baseline.refresh_from_db()
    assert Baseline.objects.count() == 1 and baseline.reason == ""


def test_baseline_list_is_scoped(client, org, today):
    mine = services.approve_baseline(plan(org.unit_a, org.insider, name="甲"), by=org.insider)
    theirs = services.approve_baseline(plan(org.unit_b, org.office, name="乙"), by=org.office)
    client.force_login(org.insider)
    response = client.get(reverse("warroom:baseline_list"))
    pks = {row.record.pk for row in response.context["table"].rows}
    assert mine.pk in pks and theirs.pk not in pks
    assert client.get(theirs.get_absolute_url()).status_code == 404


# --- Gantt ------------------------------------------------------------------------------------------------
def test_gantt_xlsx_is_an_editable_table(client, org, settings):
    settings.CHAINLEAD_TODAY = D(2021, 2, 1)
    schedule = plan(org.unit_a, org.insider)
    services.approve_baseline(schedule, by=org.insider)
    settings.CHAINLEAD_TODAY = D(2021, 2, 10)
    services.complete_node(
        nodes_by_name(schedule)["前期手续"], finished_on=D(2021, 2, 10), note="完成", by=org.insider
    )
    client.force_login(org.insider)
    response = client.get(reverse("warroom:projectschedule_gantt_xlsx", args=[schedule.pk]))
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = wb.active
    assert ws.title == "甘特图"
    header_row = next(r for r in range(1, 15) if ws.cell(r, 2).value == "节点")
    headers = [ws.cell(header_row, c).value for c in range(1, 17)]
    assert headers == [
        "序号", "节点", "责任部门", "工期（工作日）", "最早开始", "最早完成", "最迟开始", "最迟完成",
        "总时差（工作日）", "关键节点", "基线开始", "基线完成", "实际开始", "实际完成", "偏差（工作日）", "状态",
    ]  # fmt: skip
    rows = {ws.cell(r, 2).value: r for r in range(header_row + 2, ws.max_row + 1)}
    r = rows["前期手续"]
    assert ws.cell(r, 4).value == 2
    assert ws.cell(r, 8).value.date() == D(2021, 2, 8)  # latest finish
    assert ws.cell(r, 12).value.date() == D(2021, 2, 8)  # baseline finish
    assert ws.cell(r, 14).value.date() == D(2021, 2, 10)  # actual finish
    assert ws.cell(r, 15).value == 2 and ws.cell(r, 16).value == "逾期完成"
    assert ws.cell(rows["主体施工"], 10).value == "是"
    # The bar area: week columns after the table, coloured cells where the node runs.
    week_cells = [ws.cell(header_row + 1, c).value for c in range(17, ws.max_column + 1)]
    assert week_cells[0] and all(len(v) == 5 for v in week_cells)  # "MM-DD" week starts
    fills = [ws.cell(rows["主体施工"], c).fill.fgColor.rgb for c in range(17, ws.max_column + 1)]
    assert any(f and f.endswith("D63939") for f in fills)  # critical path in red
    fills = [ws.cell(r, c).fill.fgColor.rgb for c in range(17, ws.max_column + 1)]
    assert any(f and f.endswith("2FB344") for f in fills)  # actual work in green
    assert ws.freeze_panes is not None and ws.auto_filter.ref


def test_portfolio_gantt_filters_and_exports(client, org, today):
    zone = Unit.objects.create(name="一号片区", kind=UnitKind.AREA, parent=org.unit_a)
    inside = plan(org.unit_a, org.insider, name="片区内项目", area=zone)
    plan(org.unit_a, org.insider, name="片区外项目")
    client.force_login(org.insider)
    response = client.get(reverse("warroom:gantt"))
    assert sorted(r["label"] for r in response.context["gantt"]["rows"]) == ["片区内项目", "片区外项目"]
    response = client.get(reverse("warroom:gantt") + f"?zone={zone.pk}")
    rows = response.context["gantt"]["rows"]
    assert [r["label"] for r in rows] == ["片区内项目"] and rows[0]["url"] == inside.get_absolute_url()
    assert rows[0]["plan"] == ["2021-02-01", "2021-02-09"]
    response = client.get(reverse("warroom:gantt") + f"?zone={zone.pk}&export=xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["项目甘特图", "全部节点"]
    ws = wb["项目甘特图"]
    assert any(ws.cell(r, 2).value == "片区内项目" for r in range(1, ws.max_row + 1))
    assert not any(ws.cell(r, 2).value == "片区外项目" for r in range(1, ws.max_row + 1))
    client.force_login(org.outsider)
    assert client.get(reverse("warroom:gantt")).context["row_count"] == 0


# --- the map ----------------------------------------------------------------------------------------------------
def test_map_markers_are_coloured_and_filtered(client, org, settings):
    from chainlead.projects.choices import Stage

    settings.CHAINLEAD_TODAY = D(2021, 3, 20)
    zone = Unit.objects.create(name="一号片区", kind=UnitKind.AREA, parent=org.unit_a)
    late = plan(org.unit_a, org.insider, name="逾期项目", area=zone, latitude=35.95, longitude=120.05)
    services.approve_baseline(late, by=org.insider)
    from chainlead.warroom.tests.factories import project

    project(org.unit_a, "在谈项目", stage=Stage.NEGOTIATING, latitude=35.96, longitude=120.06)
    project(org.unit_a, "未落位项目")
    client.force_login(org.insider)
    config = client.get(reverse("warroom:map")).context["config"]
    assert config["count"] == 2 and config["unplaced"] == 1
    names = {g["name"]: [d["name"] for d in g["data"]] for g in config["series"]}
    assert names == {"线索": ["逾期项目"], "洽谈": ["在谈项目"]}
    marker = config["series"][0]["data"][0]
    assert marker["url"] == late.project.get_absolute_url() and marker["value"] == [120.05, 35.95]
    config = client.get(reverse("warroom:map") + "?color=light").context["config"]
    assert {g["name"]: [d["name"] for d in g["data"]] for g in config["series"]} == {
        "红灯": ["逾期项目"],
        "无计划": ["在谈项目"],
    }
    config = client.get(reverse("warroom:map") + f"?zone={zone.pk}&stage=lead").context["config"]
    assert config["count"] == 1
    client.force_login(org.outsider)
    assert client.get(reverse("warroom:map")).context["config"]["count"] == 0


def test_place_a_project_from_the_map(client, org, today):
    from chainlead.warroom.tests.factories import project

    p = project(org.unit_a, "待落位项目")
    client.force_login(org.insider)
    response = client.post(
        reverse("warroom:map_place"),
        {"project": p.pk, "latitude": "35.951234", "longitude": "120.101234"},
        headers={"Accept": "application/json"},
    )
    assert response.json()["ok"] is True
    p.refresh_from_db()
    assert str(p.latitude) == "35.951234"
    response = client.post(
        reverse("warroom:map_place"),
        {"project": p.pk, "latitude": "120.1", "longitude": "35.9"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400 and "纬度" in response.json()["message"]
    client.force_login(org.outsider)
    response = client.post(
        reverse("warroom:map_place"), {"project": p.pk, "latitude": "36", "longitude": "120"}
    )
    p.refresh_from_db()
    assert str(p.latitude) == "35.951234"


# --- the three boards ----------------------------------------------------------------------------------------------
@pytest.fixture
def zone_setup(org, settings):
    """An area with a battle zone: two plans (one with a node done on time this month, one overdue)
    and an attack target with this month's plan."""
    settings.CHAINLEAD_TODAY = D(2021, 2, 1)
    area = Unit.objects.create(name="测试片区", kind=UnitKind.AREA, parent=org.unit_a)
    bz = Unit.objects.create(name="一号战区", kind=UnitKind.BATTLE_ZONE, parent=area)
    dept = Unit.objects.create(name="区自然资源局", kind=UnitKind.DEPARTMENT)
    good = plan(org.unit_a, org.insider, name="顺利项目", area=bz, target=D(2021, 3, 31))
    late = plan(org.unit_a, org.insider, name="滞后项目", area=bz, target=D(2021, 2, 22))
    ScheduleNode.objects.filter(schedule=late, name="前期手续").update(owner_department=dept)
    for s in (good, late):
        services.approve_baseline(s, by=org.insider)
    settings.CHAINLEAD_TODAY = D(2021, 2, 26)
    services.complete_node(
        nodes_by_name(good)["前期手续"], finished_on=D(2021, 2, 5), note="完成", by=org.insider
    )
    services.recompute([good, late])
    campaign = Campaign.objects.create(name="项目建设攻坚战", area=area, year=2021)
    target = AttackTarget.objects.create(
        battle_zone=bz, campaign=campaign, number=1, title="推动3个项目开工", goal_value=3, goal_unit="个",
        deadline=D(2021, 6, 30), responsible_unit=bz, responsible_leader="王指挥", responsible_person="李四",
    )  # fmt: skip
    TargetMonthPlan.objects.create(
        target=target, month=D(2021, 2, 1), planned_value=1, milestone="完成施工许可"
    )
    return {"area": area, "bz": bz, "good": good, "late": late, "dept": dept}


def test_boards_show_deployment_progress_and_support(client, org, zone_setup):
    bz = zone_setup["bz"]
    client.force_login(org.insider)
    response = client.get(reverse("warroom:board", args=[bz.pk]))
    ctx = response.context
    html = response.content.decode()
    # 作战部署图: targets with who answers for them, and February's deployment.
    assert "推动3个项目开工" in html and "王指挥" in html and "完成施工许可" in html
    assert [t.title for t in ctx["month_targets"]] == ["推动3个项目开工"]
    # 作战进度图: a red flag for the node done on time this month, black flags for the overdue ones.
    rows = {r.project.name: r for r in ctx["progress"]}
    assert [n.name for n in rows["顺利项目"].done_this_month] == ["前期手续"] and rows[
        "顺利项目"
    ].red_flags == 1
    assert {n.name for n in rows["滞后项目"].overdue} == {"前期手续", "开工", "主体施工", "设备安装", "投产"}
    assert ctx["black_flags"] == 5 and html.count("data-black-flag") == 5
    # 作战保障图: open nodes grouped by the department that must deliver them, overdue first.
    groups = {g["owner"]: g for g in ctx["support"]}
    assert [n.name for n in groups["区自然资源局"]["nodes"]] == ["前期手续"]
    assert groups["区自然资源局"]["overdue"] == 1
    assert ctx["support"][0]["owner"] == "区自然资源局"
    # The area's board covers its battle zones too.
    response = client.get(reverse("warroom:board", args=[zone_setup["area"].pk]) + "?tab=all")
    assert response.context["project_count"] == 2 and "wr-print-all" in response.content.decode()


def test_board_scope_and_index(client, org, zone_setup):
    client.force_login(org.outsider)
    assert client.get(reverse("warroom:board", args=[zone_setup["bz"].pk])).status_code == 404
    client.force_login(org.insider)
    rows = {r["zone"].name: r for r in client.get(reverse("warroom:board_index")).context["rows"]}
    assert rows["一号战区"]["projects"] == 2 and rows["一号战区"]["targets"] == 1
    assert rows["测试片区"]["targets"] == 1 and rows["一号战区"]["overdue"] == 5


def test_dashboard_panels_render(client, org, zone_setup, rf):
    from django.template.loader import render_to_string

    from chainlead.dashboard.panels import DashboardContext, panels_for

    panels = {p.key: p for p in panels_for(org.insider)}
    assert {"warroom_map", "warroom_overdue_nodes"} <= set(panels)
    dash = DashboardContext(user=org.insider, period_start=D(2021, 1, 1), period_end=D(2021, 2, 26))
    request = rf.get("/")
    request.user = org.insider
    ctx = panels["warroom_overdue_nodes"].context(request, dash)
    assert ctx["total"] == 5 and ctx["nodes"][0].overdue_days == 18  # 前期手续 due 2/8
    html = render_to_string(panels["warroom_overdue_nodes"].template, ctx, request=request)
    assert "滞后项目" in html
    ctx = panels["warroom_map"].context(request, dash)
    assert ctx["config"]["count"] == 0  # no project of the zone has coordinates yet
    html = render_to_string(panels["warroom_map"].template, ctx, request=request)
    assert 'data-zone-map="panel-map-config"' in html and "data-echarts-src" in html
