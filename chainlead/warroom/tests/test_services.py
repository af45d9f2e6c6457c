"""The workflow verbs: apply a template, complete a node, approve a baseline, re-plan; what they
refuse, who may call them, and what they leave in the audit log."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from chainlead.core.exceptions import ServiceError
from chainlead.core.models import AuditEvent, HolidayOverride
from chainlead.core.models.notifications import Notification
from chainlead.organization.choices import Role
from chainlead.utilities.testing.base import Org, assert_logged, make_user
from chainlead.warroom import services
from chainlead.warroom.choices import NodeStatus, ScheduleStatus
from chainlead.warroom.models import (
    Baseline,
    BaselineImmutable,
    BaselineNode,
    ScheduleDependency,
    ScheduleNode,
    TemplateDependency,
    TemplateNode,
)
from chainlead.warroom.tests.factories import nodes_by_name, plan, project, template

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


def test_apply_template_copies_nodes_and_works_back_from_the_target(org, today, settings):
    """The Spring Festival example of test_engine, through the service: 投产 by 2/22 → the chain
    S → 开工 → X → E must start by 2/7 (Sunday, 调休); forecast from 2/1 finishes 2/9."""
    schedule = plan(org.unit_a, org.insider)
    n = nodes_by_name(schedule)
    assert set(n) == {"前期手续", "开工", "主体施工", "设备安装", "投产"}
    assert schedule.dependencies.count() == 5
    assert (n["前期手续"].late_start, n["前期手续"].late_finish) == (D(2021, 2, 7), D(2021, 2, 8))
    assert (n["主体施工"].late_start, n["主体施工"].late_finish) == (D(2021, 2, 9), D(2021, 2, 20))
    assert n["开工"].late_start == n["开工"].late_finish == D(2021, 2, 9)
    assert (n["投产"].early_start, n["投产"].late_finish) == (D(2021, 2, 9), D(2021, 2, 22))
    assert [n[k].slack_wd for k in ("前期手续", "主体施工", "设备安装", "投产")] == [5, 5, 6, 5]
    assert n["主体施工"].is_critical and not n["设备安装"].is_critical
    assert schedule.feasible and schedule.forecast_date == D(2021, 2, 9)
    assert schedule.status == ScheduleStatus.DRAFT
    # Without a baseline the due date is the plan's latest finish. 2/8 is 6 working days after 2/1
    # (2/2–2/5, the Sunday 2/7, 2/8): not due yet; on 2/3 it is 4 away: due soon.
    assert n["前期手续"].due_on == D(2021, 2, 8) and n["前期手续"].status == NodeStatus.NOT_DUE
    settings.CHAINLEAD_TODAY = D(2021, 2, 3)
    services.recompute(schedule)
    assert nodes_by_name(schedule)["前期手续"].status == NodeStatus.DUE_SOON
    event = AuditEvent.objects.get(verb="schedule_applied")
    assert event.user == org.insider and "投产" in event.message


def test_apply_refuses_a_project_outside_the_users_units(org, today):
    with pytest.raises(PermissionDenied):
        services.apply_template(
            project(org.unit_a, "甲局项目"),
            template(),
            target_kind="production",
            target_date=D(2021, 3, 1),
            by=org.outsider,
        )


def test_apply_refuses_a_cycle_naming_its_nodes_and_saves_nothing(org, today):
    t = template("带环模板")
    nodes = {x.name: x for x in t.nodes.all()}
    # The model check refuses the cycle…
    dep = TemplateDependency(predecessor=nodes["投产"], successor=nodes["前期手续"])
    with pytest.raises(ValidationError) as exc:
        dep.full_clean()
    assert "前期手续 → 开工 → 主体施工 → 投产 → 前期手续" in str(exc.value)
    # …and a cycle that got in another way (an import) is refused when the template is applied.
    TemplateDependency.objects.bulk_create(
        [TemplateDependency(template=t, predecessor=nodes["投产"], successor=nodes["前期手续"])]
    )
    p = project(org.unit_a)
    with pytest.raises(ServiceError) as exc:
        services.apply_template(p, t, target_kind="production", target_date=D(2021, 3, 1), by=org.insider)
    assert "循环" in exc.value.message and "前期手续" in exc.value.message and "投产" in exc.value.message
    assert not ScheduleNode.objects.filter(schedule__project=p).exists()


def test_negative_duration_is_refused(org, today):
    node = TemplateNode(template=template(), name="负工期", duration_wd=-3)
    with pytest.raises(ValidationError) as exc:
        node.full_clean()
    assert "工期不能为负数" in str(exc.value)
    schedule = plan(org.unit_a, org.insider)
    x = nodes_by_name(schedule)["主体施工"]
    x.duration_wd = -1
    with pytest.raises(ValidationError):
        x.full_clean()
    # Durations and dates that would run off the working-day calendar are refused too.
    x.duration_wd = 5000
    with pytest.raises(ValidationError) as exc:
        x.full_clean()
    assert "不能超过1000个工作日" in str(exc.value)
    with pytest.raises(ServiceError) as exc:
        services.complete_node(x, finished_on=D(1999, 5, 1), note="年份写错", by=org.insider)
    assert "请检查年份" in exc.value.message


def test_template_without_the_target_node_is_refused(org, today):
    t = template()
    TemplateNode.objects.filter(template=t, milestone="production").update(milestone="")
    with pytest.raises(ServiceError) as exc:
        services.apply_template(
            project(org.unit_a, "另一个"),
            t,
            target_kind="production",
            target_date=D(2021, 3, 1),
            by=org.insider,
        )
    assert "投产节点" in exc.value.message and exc.value.field == "target_kind"


def test_infeasible_plan_is_saved_flagged_and_names_the_nodes(org, settings):
    settings.CHAINLEAD_TODAY = D(2021, 2, 9)
    schedule = plan(org.unit_a, org.insider)
    assert not schedule.feasible and schedule.shortfall_wd == 2
    message = services.infeasible_message(schedule)
    assert "至少差 2 个工作日" in message
    assert "“前期手续”（最迟开始 2021-02-07，已过 2 个工作日）" in message


def test_complete_node_records_dates_evidence_and_recomputes(org, today, settings):
    schedule = plan(org.unit_a, org.insider)
    services.approve_baseline(schedule, by=org.insider)
    s = nodes_by_name(schedule)["前期手续"]
    settings.CHAINLEAD_TODAY = D(2021, 2, 10)
    evidence = SimpleUploadedFile("批复.pdf", PDF)
    done = services.complete_node(s, finished_on=D(2021, 2, 10), evidence=evidence, by=org.insider)
    assert done.actual_finish == D(2021, 2, 10)
    # Started by default on the day its duration works back to: 2/9 (2/9, 2/10).
    assert done.actual_start == D(2021, 2, 9)
    assert done.evidence.name.endswith(".pdf")
    # Due 2/8 in baseline 1: done late, two working days after the approved date.
    assert done.status == NodeStatus.DONE_LATE
    assert done.variance_wd == 2
    # The successor now starts after the actual finish: 开工 on 2/18 (after the holiday).
    assert nodes_by_name(schedule)["开工"].early_start == D(2021, 2, 18)
    assert_logged(done, action="update", user=org.insider)
    event = AuditEvent.objects.get(verb="node_completed", object_id=done.pk)
    assert event.user == org.insider and "超过完成时限" in event.message


def test_complete_node_refuses_bad_input_and_saves_nothing(org, today):
    s = nodes_by_name(plan(org.unit_a, org.insider))["前期手续"]
    with pytest.raises(ServiceError) as exc:
        services.complete_node(s, finished_on=D(2021, 1, 29), by=org.insider)
    assert exc.value.field == "evidence"
    with pytest.raises(ServiceError) as exc:
        services.complete_node(s, finished_on=D(2021, 3, 1), note="提前填报", by=org.insider)
    assert "不能晚于今天" in exc.value.message
    with pytest.raises(ServiceError) as exc:
        services.complete_node(
            s, finished_on=D(2021, 1, 20), started_on=D(2021, 1, 25), note="日期颠倒", by=org.insider
        )
    assert exc.value.field == "actual_start"
    with pytest.raises(ServiceError) as exc:
        services.complete_node(
            s,
            finished_on=D(2021, 1, 20),
            evidence=SimpleUploadedFile("x.exe", b"MZ" + b"0" * 40),
            by=org.insider,
        )
    assert exc.value.field == "evidence"
    s.refresh_from_db()
    assert s.actual_finish is None and not AuditEvent.objects.filter(verb="node_completed").exists()


def test_complete_node_permissions(org, today):
    schedule = plan(org.unit_a, org.insider)
    s = nodes_by_name(schedule)["前期手续"]
    for user in (org.outsider, org.viewer_a, org.nobody):
        with pytest.raises(PermissionDenied):
            services.complete_node(s, finished_on=D(2021, 1, 29), note="已完成", by=user)
    # The owner department may report its own node.
    owner = make_user("owner", unit=org.unit_b, roles=[(Role.REPORTER, org.unit_b)])
    ScheduleNode.objects.filter(pk=s.pk).update(owner_department=org.unit_b)
    services.complete_node(s, finished_on=D(2021, 1, 29), note="已取得批复", by=owner)
    assert ScheduleNode.objects.get(pk=s.pk).actual_finish == D(2021, 1, 29)


def test_baseline_is_numbered_and_judges_on_time(org, today, settings):
    schedule = plan(org.unit_a, org.insider, target=D(2021, 3, 31))
    first = services.approve_baseline(schedule, by=org.insider, reason="指挥部审定")
    assert (first.number, schedule.status) == (1, ScheduleStatus.APPROVED)
    assert first.nodes.count() == 5
    assert BaselineNode.objects.get(baseline=first, name="投产").late_finish == D(2021, 3, 31)
    with pytest.raises(ServiceError):
        services.approve_baseline(schedule, by=org.insider)
    # A re-plan moves the target earlier; the due dates stay those of baseline 1 until approved.
    services.replan(schedule, by=org.insider, reason="提前投产", target_date=D(2021, 3, 15))
    e = nodes_by_name(schedule)["投产"]
    assert e.late_finish == D(2021, 3, 15) and e.due_on == D(2021, 3, 31)
    second = services.approve_baseline(schedule, by=org.insider)
    assert second.number == 2 and second.reason == "提前投产"
    e.refresh_from_db()
    assert e.due_on == D(2021, 3, 15) and e.baseline_finish == D(2021, 3, 15)
    assert list(schedule.baselines.values_list("number", flat=True)) == [2, 1]
    # Baseline 1 still says what was approved first.
    assert BaselineNode.objects.get(baseline=first, name="投产").late_finish == D(2021, 3, 31)


def test_baselines_cannot_be_changed_or_deleted(org, today):
    schedule = plan(org.unit_a, org.insider)
    baseline = services.approve_baseline(schedule, by=org.insider)
    node = baseline.nodes.first()
    baseline.reason = "改写"
    with pytest.raises(BaselineImmutable):
        baseline.save()
    with pytest.raises(BaselineImmutable):
        baseline.delete()
    with pytest.raises(BaselineImmutable):
        Baseline.objects.filter(pk=baseline.pk).update(reason="改写")
    with pytest.raises(BaselineImmutable):
        Baseline.objects.filter(pk=baseline.pk).delete()
    node.late_finish = D(2030, 1, 1)
    with pytest.raises(BaselineImmutable):
        node.save()
    with pytest.raises(BaselineImmutable):
        BaselineNode.objects.filter(baseline=baseline).update(late_finish=D(2030, 1, 1))
    baseline.refresh_from_db()
    assert baseline.reason == ""
    # Neither can the plan or its baselined nodes be deleted under it.
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        schedule.delete()
    with pytest.raises(ProtectedError):
        ScheduleNode.objects.get(pk=node.node_id).delete()


def test_approved_plan_changes_only_through_a_replan_with_a_reason(org, today):
    schedule = plan(org.unit_a, org.insider)
    services.approve_baseline(schedule, by=org.insider)
    x = nodes_by_name(schedule)["主体施工"]
    x.duration_wd = 8
    with pytest.raises(ValidationError) as exc:
        x.full_clean()
    assert "调整计划" in str(exc.value)
    with pytest.raises(ServiceError) as exc:
        services.replan(schedule, by=org.insider, reason="  ", target_date=D(2021, 3, 1))
    assert exc.value.field == "reason"
    with pytest.raises(ServiceError) as exc:
        services.change_target(
            schedule, target_kind="production", target_date=D(2021, 3, 1), by=org.insider, reason=""
        )
    assert exc.value.field == "reason"
    with pytest.raises(PermissionDenied):
        services.replan(schedule, by=org.viewer_a, reason="想改", target_date=D(2021, 3, 1))
    services.replan(schedule, by=org.insider, reason="设备到货推迟", target_date=D(2021, 3, 1))
    assert schedule.status == ScheduleStatus.REPLANNING and schedule.replan_reason == "设备到货推迟"
    x.refresh_from_db()
    x.duration_wd = 8
    x.full_clean()
    x.save()
    event = AuditEvent.objects.get(verb="replanned")
    assert event.message == "设备到货推迟"
    assert event.data["before"]["target_date"] == "2021-02-22"
    assert event.data["after"]["target_date"] == "2021-03-01"


def test_target_earlier_than_the_actual_dates_allow_is_refused(org, today, settings):
    schedule = plan(org.unit_a, org.insider)
    services.approve_baseline(schedule, by=org.insider)
    settings.CHAINLEAD_TODAY = D(2021, 2, 19)
    n = nodes_by_name(schedule)
    services.complete_node(n["前期手续"], finished_on=D(2021, 2, 18), note="手续齐全", by=org.insider)
    # After 2/18: 开工 2/19, X 2/19–2/24 (5 WD), E 2/25 at the earliest.
    with pytest.raises(ServiceError) as exc:
        services.replan(schedule, by=org.insider, reason="试试", target_date=D(2021, 2, 24))
    assert "早于实际进度所允许的最早日期 2021-02-25" in exc.value.message
    schedule.refresh_from_db()
    assert schedule.target_date == D(2021, 2, 22) and schedule.status == ScheduleStatus.APPROVED
    services.replan(schedule, by=org.insider, reason="顺延", target_date=D(2021, 2, 25))


def test_holiday_override_moves_the_plan(org, today):
    """The office declares 2/8 a local day off: the latest start of the chain moves a day earlier."""
    before = nodes_by_name(plan(org.unit_a, org.insider, name="甲"))["前期手续"].late_start
    HolidayOverride.objects.create(date=D(2021, 2, 8), is_workday=False, name="地方假日")
    after = nodes_by_name(plan(org.unit_a, org.insider, name="乙"))["前期手续"].late_start
    assert (before, after) == (D(2021, 2, 7), D(2021, 2, 5))


def test_approval_caps_warn(org, today):
    from chainlead.projects.choices import InvestmentNature

    social = plan(org.unit_a, org.insider, name="社会", tpl=template("长审批", approval_days=(20, 30)))
    assert (social.approval_wd, social.whole_approval_wd) == (20, 50)
    assert services.approval_check(social) == []
    long = template("超长审批", approval_days=(50, 60))
    social = plan(org.unit_a, org.insider, name="社会2", tpl=long)
    warnings = services.approval_check(social)
    assert "主流程审批合计 50 个工作日，超过社会投资项目 45 个工作日的上限" in warnings[0]
    assert "全流程审批合计 110 个工作日，超过 100 个工作日的上限" in warnings[1]
    gov = plan(org.unit_a, org.insider, name="政府", tpl=long, investment_nature=InvestmentNature.GOVERNMENT)
    assert len(services.approval_check(gov)) == 1  # 50 ≤ 70; the whole process still exceeds 100


def test_node_statuses_for_the_warning_lights(org, settings):
    settings.CHAINLEAD_TODAY = D(2021, 3, 20)
    schedule = plan(org.unit_a, org.insider)
    services.approve_baseline(schedule, by=org.insider)
    overdue = services.node_statuses(schedule.project.__class__.objects.all())
    names = {o.name: o.days_overdue for o in overdue[schedule.project_id]}
    # 前期手续 was due 2/8: 40 calendar days before 3/20; 投产 due 2/22: 26 days.
    assert names["前期手续"] == 40 and names["投产"] == 26
    assert services.light_for(overdue[schedule.project_id]) == "red"
    on_day = services.node_statuses(schedule.project.__class__.objects.all(), on=D(2021, 2, 15))
    assert {o.name: o.days_overdue for o in on_day[schedule.project_id]} == {"前期手续": 7, "开工": 6}
    assert services.light_for(on_day[schedule.project_id]) == "yellow"
    assert services.project_lights(schedule.project.__class__.objects.all(), on=D(2021, 2, 1)) == {
        schedule.project_id: "green"
    }


def test_the_alarm_when_a_target_can_no_longer_be_met(org, settings, django_capture_on_commit_callbacks):
    settings.CHAINLEAD_TODAY = D(2021, 2, 1)
    schedule = plan(org.unit_a, org.insider)
    services.approve_baseline(schedule, by=org.insider)
    assert not Notification.objects.exists()
    settings.CHAINLEAD_TODAY = D(2021, 2, 9)
    from chainlead.core.jobs import periodic_jobs

    with django_capture_on_commit_callbacks(execute=True):
        periodic_jobs()["warroom.recompute"]()
    schedule.refresh_from_db()
    assert not schedule.feasible
    alarm = Notification.objects.get(user=org.insider, kind="warroom.infeasible")
    assert "已无法按期实现投产目标" in alarm.title and "至少差 2 个工作日" in alarm.body
    # The nightly run repeated does not alarm twice.
    ProjectScheduleModel = schedule.__class__
    ProjectScheduleModel.objects.filter(pk=schedule.pk).update(feasible=True)
    with django_capture_on_commit_callbacks(execute=True):
        periodic_jobs()["warroom.recompute"].__wrapped__()  # the next night's run
    assert Notification.objects.filter(kind="warroom.infeasible").count() == 1


def test_dependency_cycle_in_a_plan_is_refused_naming_the_nodes(org, today):
    schedule = plan(org.unit_a, org.insider)
    n = nodes_by_name(schedule)
    dep = ScheduleDependency(predecessor=n["投产"], successor=n["开工"])
    with pytest.raises(ValidationError) as exc:
        dep.full_clean()
    assert "开工 → 主体施工 → 投产 → 开工" in str(exc.value)


def test_reopen_node_needs_a_reason(org, today):
    s = nodes_by_name(plan(org.unit_a, org.insider))["前期手续"]
    services.complete_node(s, finished_on=D(2021, 1, 29), note="完成", by=org.insider)
    with pytest.raises(ServiceError):
        services.reopen_node(s, by=org.insider, reason="")
    services.reopen_node(s, by=org.insider, reason="误报")
    s.refresh_from_db()
    assert s.actual_finish is None
    assert AuditEvent.objects.get(verb="node_reopened").message == "误报"


def test_place_project_checks_china_and_permissions(org, today):
    p = project(org.unit_a)
    with pytest.raises(ServiceError) as exc:
        services.place_project(p, latitude="200", longitude="120.1", by=org.insider)
    assert exc.value.field == "latitude"
    with pytest.raises(PermissionDenied):
        services.place_project(p, latitude="35.9", longitude="120.1", by=org.outsider)
    services.place_project(p, latitude="35.95", longitude="120.12", by=org.insider)
    p.refresh_from_db()
    assert (str(p.latitude), str(p.longitude)) == ("35.950000", "120.120000")
    assert_logged(p, action="update", user=org.insider)
    assert AuditEvent.objects.filter(verb="placed_on_map", object_id=p.pk).exists()


def test_the_shipped_templates(org, today):
    """DOMAIN §3.3: the industrial template's approvals before 开工 add up to 28 working days
    (≤ 45); the government variant's to 57 (≤ 70). Both are installed into a fresh database."""
    from chainlead.projects.choices import InvestmentNature
    from chainlead.warroom.models import ScheduleTemplate

    industrial = ScheduleTemplate.objects.get(name="社会投资工业项目（倒排工期）")
    government = ScheduleTemplate.objects.get(name="政府投资项目（倒排工期）")
    assert industrial.nodes.count() == 15 and government.nodes.count() == 14
    p = plan(org.unit_a, org.insider, name="工业", tpl=industrial, target=D(2022, 12, 30))
    assert (p.approval_wd, p.whole_approval_wd, p.feasible) == (28, 38, True)
    assert services.approval_check(p) == []
    g = plan(
        org.unit_a, org.insider, name="政府", tpl=government, target=D(2022, 12, 30),
        investment_nature=InvestmentNature.GOVERNMENT,
    )  # fmt: skip
    assert (g.approval_wd, g.whole_approval_wd) == (57, 67) and services.approval_check(g) == []
    # Parallel branches: land supply runs beside the filing, the design beside the land.
    n = nodes_by_name(p)
    assert n["土地供应（供地方案至出让合同）"].is_critical and not n["企业投资项目备案"].is_critical
