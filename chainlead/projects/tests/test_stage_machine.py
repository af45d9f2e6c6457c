"""The stage machine (DOMAIN.md §3.1): a test for every allowed and every forbidden transition,
the data and evidence each stage needs, corrections, and the side flags."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction

from chainlead.core.exceptions import ForbiddenAction, ServiceError
from chainlead.core.models import AuditEvent
from chainlead.projects.choices import EvidenceKind, Stage
from chainlead.projects.models import KeyProject, StageChange, StageEvidence
from chainlead.projects.services import advance_stage, mark_enterprise_in_stats, mark_fai_in_db
from chainlead.projects.tests.factories import DATA_FOR, EVIDENCE_FOR, enterprise, project, upload
from chainlead.utilities.testing.base import Org, assert_logged

pytestmark = pytest.mark.django_db

S = Stage
FWD, HOLD, RESUME, TERM, CORR = "forward", "hold", "resume", "terminate", "correction"
PRE = [S.LEAD, S.NEGOTIATING, S.SIGNED, S.REGISTERED]
MAIN = [S.LEAD, S.NEGOTIATING, S.SIGNED, S.REGISTERED, S.STARTED, S.COMPLETED, S.IN_PRODUCTION, S.AT_CAPACITY]

# Written out by hand from DOMAIN.md §3.1, independently of services.classify.
# (SIGNED here has no registration yet; REGISTERED has no signing yet.)
ALLOWED = {
    S.LEAD: {S.NEGOTIATING: FWD, S.ON_HOLD: HOLD, S.TERMINATED: TERM},
    S.NEGOTIATING: {S.SIGNED: FWD, S.REGISTERED: FWD, S.LEAD: CORR, S.ON_HOLD: HOLD, S.TERMINATED: TERM},
    S.SIGNED: {S.REGISTERED: FWD, S.LEAD: CORR, S.NEGOTIATING: CORR, S.ON_HOLD: HOLD, S.TERMINATED: TERM},
    S.REGISTERED: {
        S.STARTED: FWD,
        S.SIGNED: FWD,
        S.LEAD: CORR,
        S.NEGOTIATING: CORR,
        S.ON_HOLD: HOLD,
        S.TERMINATED: TERM,
    },
    S.STARTED: {S.COMPLETED: FWD, **{s: CORR for s in PRE}, S.ON_HOLD: HOLD},
    S.COMPLETED: {S.IN_PRODUCTION: FWD, **{s: CORR for s in [*PRE, S.STARTED]}, S.ON_HOLD: HOLD},
    S.IN_PRODUCTION: {
        S.AT_CAPACITY: FWD,
        **{s: CORR for s in [*PRE, S.STARTED, S.COMPLETED]},
        S.ON_HOLD: HOLD,
    },
    S.AT_CAPACITY: {s: CORR for s in MAIN[:-1]},
    S.ON_HOLD: {S.NEGOTIATING: RESUME, S.TERMINATED: TERM},  # held while negotiating
    S.TERMINATED: {s: CORR for s in PRE},
}


@pytest.fixture
def org():
    return Org()


def make_in(org, stage):
    if stage == S.REGISTERED:
        p = project(org.unit_a, stage=S.NEGOTIATING)
        p.registered_on = datetime.date(2021, 4, 1)
        p.stage = S.REGISTERED
        p.enterprise = enterprise()
        p.save()
        return p
    if stage == S.ON_HOLD:
        p = project(org.unit_a, stage=S.NEGOTIATING)
        p.stage, p.stage_before_hold, p.on_hold_on, p.hold_reason = (
            S.ON_HOLD,
            S.NEGOTIATING,
            datetime.date(2021, 5, 1),
            "等用地",
        )
        p.save()
        return p
    if stage == S.TERMINATED:
        p = project(org.unit_a, stage=S.NEGOTIATING)
        p.stage, p.terminated_on, p.terminated_reason = S.TERMINATED, datetime.date(2021, 5, 1), "流失"
        p.save()
        return p
    p = project(org.unit_a, stage=stage)
    if stage in (S.STARTED, S.COMPLETED, S.IN_PRODUCTION, S.AT_CAPACITY):
        p.enterprise = enterprise()
        p.save()
    return p


def try_move(org, p, to):
    kind = ALLOWED[p.stage].get(to)
    user = org.office if kind == CORR else org.insider
    data = DATA_FOR.get(to, {}) if kind == FWD else {}
    if kind == FWD and to == S.REGISTERED and p.enterprise is None:
        data = {"enterprise": enterprise(99)}
    evidence = [upload(k) for k in EVIDENCE_FOR.get(to, [])] if kind == FWD else []
    with transaction.atomic():
        return advance_stage(
            p,
            to,
            on=datetime.date(2021, 11, 20),
            by=user,
            data=data,
            evidence=evidence,
            reason="测试原因" if kind in (CORR, HOLD, TERM) else "",
        )


@pytest.mark.parametrize("from_stage", list(ALLOWED))
@pytest.mark.parametrize("to_stage", list(S.values))
def test_every_transition(org, from_stage, to_stage):
    p = make_in(org, from_stage)
    before = (p.stage, p.version)
    expected = ALLOWED[from_stage].get(to_stage)
    if expected is None:
        with pytest.raises(ServiceError):
            try_move(org, p, to_stage)
        p.refresh_from_db()
        assert (p.stage, p.version) == before, "a refused move must change nothing"
        assert not StageChange.objects.filter(project=p).exists()
        return
    moved = try_move(org, p, to_stage)
    p.refresh_from_db()
    assert p.stage == moved.stage
    if expected == HOLD:
        assert p.stage == S.ON_HOLD and p.stage_before_hold == from_stage
    else:
        assert p.stage == to_stage
    change = StageChange.objects.get(project=p)
    assert change.from_stage == from_stage and change.is_correction == (expected == CORR)
    assert AuditEvent.objects.filter(verb="stage_changed", object_id=p.pk).exists()
    assert_logged(p, action="update")


def test_signed_then_registered_can_start(org):
    p = project(org.unit_a, stage=S.SIGNED, enterprise=enterprise())
    advance_stage(
        p, S.REGISTERED, on=datetime.date(2021, 5, 1), by=org.insider, evidence=[upload(EvidenceKind.LICENCE)]
    )
    p.refresh_from_db()
    assert p.stage == S.REGISTERED and p.signed_on and p.registered_on
    # Already signed: REGISTERED → SIGNED would now be a correction, not a step.
    with pytest.raises(ForbiddenAction):
        advance_stage(p, S.SIGNED, on=datetime.date(2021, 5, 2), by=org.insider, reason="x")
    advance_stage(p, S.STARTED, on=datetime.date(2021, 6, 1), by=org.insider, data=DATA_FOR[S.STARTED])
    p.refresh_from_db()
    assert p.stage == S.STARTED


def test_signed_without_registration_cannot_start(org):
    p = project(org.unit_a, stage=S.SIGNED)
    with pytest.raises(ServiceError) as exc:
        advance_stage(p, S.STARTED, on=datetime.date(2021, 6, 1), by=org.insider, data=DATA_FOR[S.STARTED])
    assert "逐级推进" in exc.value.message and "注册" in exc.value.message


@pytest.mark.parametrize(
    "to, missing_message",
    [
        (S.SIGNED, "协议扫描件"),
        (S.COMPLETED, "竣工验收记录"),
        (S.IN_PRODUCTION, "试生产通知或首笔销售发票"),
        (S.AT_CAPACITY, "统计或审计数据"),
    ],
)
def test_a_move_without_its_evidence_is_refused(org, to, missing_message):
    previous = {
        S.SIGNED: S.NEGOTIATING,
        S.COMPLETED: S.STARTED,
        S.IN_PRODUCTION: S.COMPLETED,
        S.AT_CAPACITY: S.IN_PRODUCTION,
    }[to]
    p = make_in(org, previous)
    with pytest.raises(ServiceError) as exc:
        advance_stage(p, to, on=datetime.date(2021, 11, 1), by=org.insider, data=DATA_FOR.get(to, {}))
    assert missing_message in exc.value.message
    p.refresh_from_db()
    assert p.stage == previous


def test_signing_needs_its_data(org):
    p = project(org.unit_a, stage=S.NEGOTIATING)
    with pytest.raises(ServiceError) as exc:
        advance_stage(
            p,
            S.SIGNED,
            on=datetime.date(2021, 5, 1),
            by=org.insider,
            evidence=[upload(EvidenceKind.AGREEMENT)],
        )
    for label in ("协议类型", "合同投资", "达产后年产值", "达产后年税收"):
        assert label in exc.value.message
    assert not StageEvidence.objects.filter(project=p).exists(), "nothing is saved when the move fails"


def test_negotiation_needs_a_contact_record(org):
    p = project(org.unit_a, stage=S.LEAD)
    p.contact_records.all().delete()
    with pytest.raises(ServiceError) as exc:
        advance_stage(
            p,
            S.NEGOTIATING,
            on=datetime.date(2021, 3, 1),
            by=org.insider,
            data={
                "intended_investment": Decimal(5000),
                "responsible_leader": "王",
                "responsible_person": "李",
                "responsible_phone": "13800000000",
            },
            evidence=[upload(EvidenceKind.MEETING_NOTE)],
        )
    assert "对接记录" in exc.value.message


def test_registration_needs_a_registered_enterprise(org):
    p = project(org.unit_a, stage=S.SIGNED)
    with pytest.raises(ServiceError) as exc:
        advance_stage(
            p,
            S.REGISTERED,
            on=datetime.date(2021, 5, 1),
            by=org.insider,
            evidence=[upload(EvidenceKind.LICENCE)],
        )
    assert "已注册的项目企业" in exc.value.message


def test_start_without_permit_needs_report_and_timed_photos(org):
    p = make_in(org, S.REGISTERED)
    data = {"project_code": "2021-370211-04-01-777777"}
    with pytest.raises(ServiceError) as exc:
        advance_stage(p, S.STARTED, on=datetime.date(2021, 6, 1), by=org.insider, data=data)
    assert "施工许可证号" in exc.value.message and "场地平整不算开工" in exc.value.message
    advance_stage(
        p,
        S.STARTED,
        on=datetime.date(2021, 6, 1),
        by=org.insider,
        data=data,
        evidence=[upload(EvidenceKind.START_REPORT), upload(EvidenceKind.SITE_PHOTO)],
    )
    p.refresh_from_db()
    assert p.stage == S.STARTED
    assert set(p.evidence.values_list("kind", flat=True)) == {
        EvidenceKind.START_REPORT,
        EvidenceKind.SITE_PHOTO,
    }


def test_milestone_date_cannot_be_in_the_future_or_before_the_last_stage(org):
    p = project(org.unit_a, stage=S.NEGOTIATING)
    future = datetime.date.today() + datetime.timedelta(days=3)
    with pytest.raises(ServiceError) as exc:
        advance_stage(p, S.SIGNED, on=future, by=org.insider, evidence=[upload(EvidenceKind.AGREEMENT)])
    assert "不能晚于今天" in exc.value.message
    with pytest.raises(ServiceError) as exc:
        advance_stage(
            p,
            S.SIGNED,
            on=datetime.date(2020, 1, 1),
            by=org.insider,
            evidence=[upload(EvidenceKind.AGREEMENT)],
        )
    assert "不能早于上一阶段的日期" in exc.value.message


def test_fake_evidence_file_is_refused(org):
    p = project(org.unit_a, stage=S.NEGOTIATING)
    fake = upload(EvidenceKind.AGREEMENT, name="协议.pdf", content=b"MZ\x90\x00 this is an exe")
    with pytest.raises(ServiceError) as exc:
        advance_stage(
            p,
            S.SIGNED,
            on=datetime.date(2021, 5, 1),
            by=org.insider,
            data=DATA_FOR[S.SIGNED],
            evidence=[fake],
        )
    assert "请勿只改扩展名" in exc.value.message
    p.refresh_from_db()
    assert p.stage == S.NEGOTIATING


def test_correction_is_office_only_with_reason_and_clears_later_dates(org):
    p = make_in(org, S.STARTED)
    with pytest.raises(ForbiddenAction):
        advance_stage(p, S.SIGNED, on=datetime.date(2021, 3, 1), by=org.insider, reason="录错了")
    with pytest.raises(ServiceError) as exc:
        advance_stage(p, S.SIGNED, on=datetime.date(2021, 3, 1), by=org.office)
    assert "原因" in exc.value.message
    advance_stage(p, S.SIGNED, on=datetime.date(2021, 3, 1), by=org.office, reason="开工日期录错，退回核实")
    p.refresh_from_db()
    assert p.stage == S.SIGNED and p.started_on is None and p.registered_on is None and p.signed_on
    change = StageChange.objects.get(project=p)
    assert change.is_correction and change.reason == "开工日期录错，退回核实"


def test_hold_and_resume(org):
    p = make_in(org, S.STARTED)
    advance_stage(p, S.ON_HOLD, on=datetime.date(2021, 7, 1), by=org.insider, reason="资金未到位")
    p.refresh_from_db()
    assert p.stage == S.ON_HOLD and p.stage_before_hold == S.STARTED and p.hold_reason == "资金未到位"
    with pytest.raises(ServiceError):
        advance_stage(
            p, S.TERMINATED, on=datetime.date(2021, 7, 2), by=org.insider, reason="x"
        )  # already started
    advance_stage(p, S.STARTED, on=datetime.date(2021, 8, 1), by=org.insider)
    p.refresh_from_db()
    assert p.stage == S.STARTED and p.started_on and not p.stage_before_hold


def test_out_of_scope_user_cannot_move_and_viewer_gets_403(org):
    p = make_in(org, S.NEGOTIATING)
    with pytest.raises(KeyProject.DoesNotExist):
        advance_stage(
            p,
            S.SIGNED,
            on=datetime.date(2021, 5, 1),
            by=org.outsider,
            evidence=[upload(EvidenceKind.AGREEMENT)],
        )
    with pytest.raises(ForbiddenAction):
        advance_stage(
            p,
            S.SIGNED,
            on=datetime.date(2021, 5, 1),
            by=org.viewer_a,
            evidence=[upload(EvidenceKind.AGREEMENT)],
        )


def test_fai_flag_from_start_only(org):
    p = make_in(org, S.SIGNED)
    with pytest.raises(ServiceError) as exc:
        mark_fai_in_db(p, month=datetime.date(2021, 6, 1), by=org.insider)
    assert "开工后" in exc.value.message
    p = make_in(org, S.STARTED)
    mark_fai_in_db(p, month=datetime.date(2021, 11, 15), by=org.insider)
    p.refresh_from_db()
    assert p.fai_in_db and p.fai_month == datetime.date(2021, 11, 1)


def test_enterprise_stats_flag_updates_the_enterprise(org):
    p = make_in(org, S.IN_PRODUCTION)
    mark_enterprise_in_stats(p, month=datetime.date(2021, 10, 9), category="industry", by=org.insider)
    p.refresh_from_db()
    p.enterprise.refresh_from_db()
    assert p.enterprise_in_stats and p.stats_month == datetime.date(2021, 10, 1)
    assert p.enterprise.stats_status == "in_stats" and p.enterprise.stats_category == "industry"
    assert_logged(p.enterprise, action="update")
