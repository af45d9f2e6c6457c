"""Workflow verbs of a key project: the stage machine and the statistics side flags.

Every verb runs in one transaction, re-checks the actor's permission on the project, checks the
data and evidence the target stage needs (DOMAIN.md §3.1), records a ``StageChange`` and an
audit event. Views, the API, imports and commands all call these; none of them sets ``stage``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chainlead.core import clock
from chainlead.core.audit import record_event
from chainlead.core.exceptions import ForbiddenAction, ServiceError
from chainlead.organization.permissions import get_scope
from chainlead.projects.choices import (
    PRE_START_STAGES,
    STAGE_DATE_FIELD,
    STAGE_ORDER,
    STAGE_RANK,
    TERMINAL_STAGES,
    EvidenceKind,
    Stage,
)
from chainlead.projects.models import KeyProject, StageChange, StageEvidence
from chainlead.utilities.uploads import validate_upload


@dataclass(frozen=True)
class Requirement:
    """What a stage needs: project fields that must be filled, the fields the move may set, and
    evidence groups (each group is a set of alternative kinds; every group needs one file)."""

    fields: tuple[str, ...] = ()
    settable: tuple[str, ...] = ()
    evidence: tuple[tuple[str, ...], ...] = ()
    contact_record: bool = False
    enterprise_registered: bool = False


REQUIREMENTS: dict[str, Requirement] = {
    Stage.NEGOTIATING: Requirement(
        fields=("intended_investment", "responsible_leader", "responsible_person", "responsible_phone"),
        settable=("intended_investment", "responsible_leader", "responsible_person", "responsible_phone"),
        evidence=((EvidenceKind.MEETING_NOTE,),),
        contact_record=True,
    ),
    Stage.SIGNED: Requirement(
        fields=("agreement_type", "contracted_investment", "expected_output", "expected_tax"),
        settable=(
            "agreement_type",
            "contracted_investment",
            "expected_output",
            "expected_tax",
            "total_investment",
        ),
        evidence=((EvidenceKind.AGREEMENT,),),
    ),
    Stage.REGISTERED: Requirement(
        settable=("enterprise",),
        evidence=((EvidenceKind.LICENCE,),),
        enterprise_registered=True,
    ),
    Stage.STARTED: Requirement(
        fields=("project_code",),
        settable=("project_code", "construction_permit_no"),
        # A construction permit number, or else a start report plus time-stamped site photos.
    ),
    Stage.COMPLETED: Requirement(evidence=((EvidenceKind.ACCEPTANCE,),)),
    Stage.IN_PRODUCTION: Requirement(
        fields=("first_output",),
        settable=("first_output",),
        evidence=((EvidenceKind.PRODUCTION_NOTICE, EvidenceKind.FIRST_INVOICE),),
    ),
    Stage.AT_CAPACITY: Requirement(
        fields=("actual_output",),
        settable=("actual_output",),
        evidence=((EvidenceKind.OUTPUT_STATS,),),
    ),
}


@dataclass
class EvidenceFile:
    kind: str
    file: object  # an UploadedFile
    description: str = ""
    captured_at: datetime.datetime | None = None


@dataclass
class Move:
    """How a requested move is classified."""

    kind: str  # forward | hold | resume | terminate | correction
    to: str
    notes: list[str] = field(default_factory=list)


def forward_targets(project: KeyProject) -> set[str]:
    """The stages one forward step away (SIGNED and REGISTERED may come in either order)."""
    stage = project.stage
    if stage == Stage.LEAD:
        return {Stage.NEGOTIATING}
    if stage == Stage.NEGOTIATING:
        return {Stage.SIGNED, Stage.REGISTERED}
    if stage == Stage.SIGNED:
        return {Stage.REGISTERED} | ({Stage.STARTED} if project.registered_on else set())
    if stage == Stage.REGISTERED:
        return {Stage.STARTED} | (set() if project.signed_on else {Stage.SIGNED})
    if stage in (Stage.STARTED, Stage.COMPLETED, Stage.IN_PRODUCTION):
        return {STAGE_ORDER[STAGE_RANK[stage] + 1]}
    return set()


def classify(project: KeyProject, to: str) -> Move:
    """Classify a requested move, or raise ServiceError saying what is allowed instead."""
    stage = project.stage
    labels = dict(Stage.choices)
    if to not in labels:
        raise ServiceError(_("未知的阶段“{}”。").format(to), field="to")
    if to == stage:
        raise ServiceError(_("项目已处于“{}”阶段。").format(labels[to]), field="to")
    if stage == Stage.ON_HOLD:
        if to == project.stage_before_hold:
            return Move("resume", to)
        if to == Stage.TERMINATED and project.stage_before_hold in PRE_START_STAGES:
            return Move("terminate", to)
        raise ServiceError(
            _("暂缓的项目只能恢复到暂缓前的“{}”阶段，或在开工前终止。").format(
                labels.get(project.stage_before_hold, "")
            ),
            field="to",
        )
    if to == Stage.ON_HOLD:
        if stage in TERMINAL_STAGES:
            raise ServiceError(_("“{}”的项目不能暂缓。").format(labels[stage]), field="to")
        return Move("hold", to)
    if to == Stage.TERMINATED:
        if stage not in PRE_START_STAGES:
            raise ServiceError(_("项目已开工，不能再终止；可以暂缓。"), field="to")
        return Move("terminate", to)
    if to in forward_targets(project):
        return Move("forward", to)
    if stage == Stage.TERMINATED:
        if to in PRE_START_STAGES:  # a project is only ever terminated before it starts
            return Move("correction", to)
    elif STAGE_RANK.get(to, 99) < STAGE_RANK.get(stage, -1) or {stage, to} == {
        Stage.SIGNED,
        Stage.REGISTERED,
    }:
        return Move("correction", to)
    allowed = "、".join(str(labels[s]) for s in sorted(forward_targets(project), key=STAGE_RANK.get)) or _(
        "无"
    )
    raise ServiceError(
        _("不能从“{}”直接变为“{}”：阶段只能逐级推进。下一步可以是：{}。").format(
            labels[stage], labels[to], allowed
        ),
        field="to",
    )


def allowed_moves(project: KeyProject, user) -> list[tuple[str, str]]:
    """(stage, kind) the user may request now, for the stage form's choices."""
    out = []
    office = get_scope(user).is_office
    for stage in Stage.values:
        try:
            move = classify(project, stage)
        except ServiceError:
            continue
        if move.kind == "correction" and not office:
            continue
        out.append((stage, move.kind))
    return out


def _check_permission(project: KeyProject, by) -> None:
    if by is None or not KeyProject.objects.restrict(by, "change").filter(pk=project.pk).exists():
        if by is not None and KeyProject.objects.restrict(by, "view").filter(pk=project.pk).exists():
            raise ForbiddenAction(_("您可以查看但不能推进这个项目的阶段。"))
        raise KeyProject.DoesNotExist


def _label(field_name: str) -> str:
    return str(KeyProject._meta.get_field(field_name).verbose_name)


def _evidence_kinds(project: KeyProject, stage: str, new: list[EvidenceFile]) -> set[str]:
    have = set(StageEvidence.objects.filter(project=project, stage=stage).values_list("kind", flat=True))
    return have | {e.kind for e in new}


def _check_requirements(project: KeyProject, to: str, evidence: list[EvidenceFile]) -> None:
    req = REQUIREMENTS.get(to)
    if req is None:
        return
    missing = [f for f in req.fields if getattr(project, f) in (None, "")]
    if req.contact_record and not project.contact_records.exists():
        raise ServiceError(
            _("进入洽谈阶段前，须至少有一条对接记录（拜访、会谈或电话）。请先添加对接记录。"), field="contact"
        )
    if req.enterprise_registered:
        enterprise = project.enterprise
        if enterprise is None:
            raise ServiceError(_("注册阶段须选择已注册的项目企业。"), field="enterprise")
        if not enterprise.credit_code or enterprise.registered_capital is None:
            raise ServiceError(
                _("企业“{}”缺少统一社会信用代码或注册资本，请先在企业档案中补全。").format(enterprise),
                field="enterprise",
            )
    if missing:
        raise ServiceError(
            _("进入该阶段须先填写：{}。").format("、".join(_label(f) for f in missing)), field=missing[0]
        )
    kinds = _evidence_kinds(project, to, evidence)
    labels = dict(EvidenceKind.choices)
    for group in req.evidence:
        if not kinds & set(group):
            names = _("或").join(str(labels[k]) for k in group)
            raise ServiceError(_("须上传证明材料：{}。").format(names), field="evidence")
    if to == Stage.STARTED and not project.construction_permit_no:
        if not ({EvidenceKind.START_REPORT} <= kinds and EvidenceKind.SITE_PHOTO in kinds):
            raise ServiceError(
                _("开工须填写施工许可证号，或上传开工报告和带拍摄时间的现场照片（场地平整不算开工）。"),
                field="construction_permit_no",
            )
        photos = [e for e in evidence if e.kind == EvidenceKind.SITE_PHOTO]
        stored = StageEvidence.objects.filter(project=project, stage=to, kind=EvidenceKind.SITE_PHOTO)
        if (
            photos
            and any(e.captured_at is None for e in photos)
            and not stored.exclude(captured_at=None).exists()
        ):
            raise ServiceError(_("现场照片须有拍摄时间。"), field="evidence")


def _check_date(project: KeyProject, to: str, on: datetime.date, kind: str) -> None:
    if on is None:
        raise ServiceError(_("请填写节点日期。"), field="on")
    if on > clock.today():
        raise ServiceError(
            _("节点日期（{}）不能晚于今天：请填写实际发生的日期。").format(on.strftime("%Y-%m-%d")),
            field="on",
        )
    if kind == "forward":
        previous = [project.stage_date(s) for s in STAGE_ORDER[: STAGE_RANK[to]] if project.stage_date(s)]
        if previous and on < max(previous):
            raise ServiceError(
                _("节点日期（{}）不能早于上一阶段的日期（{}）。").format(
                    on.strftime("%Y-%m-%d"), max(previous).strftime("%Y-%m-%d")
                ),
                field="on",
            )


def _save_evidence(project, stage, evidence: list[EvidenceFile], by) -> None:
    for item in evidence:
        try:
            validate_upload(item.file)
        except ValidationError as exc:
            raise ServiceError(exc.messages[0], field="evidence")
        record = StageEvidence(
            project=project,
            stage=stage,
            kind=item.kind,
            original_name=getattr(item.file, "name", "")[:200],
            description=item.description,
            captured_at=item.captured_at,
            uploaded_by=by,
        )
        record.file.save(getattr(item.file, "name", "evidence"), item.file, save=False)
        record.save()


def advance_stage(
    project: KeyProject,
    to: str,
    *,
    on: datetime.date,
    by,
    data: dict | None = None,
    evidence: list[EvidenceFile] | None = None,
    reason: str = "",
) -> KeyProject:
    """Move ``project`` to stage ``to`` as of the milestone date ``on``.

    - forward one step (SIGNED/REGISTERED in either order): the stage's data and evidence are required;
    - ON_HOLD from any non-terminal stage, back to the stage before it; TERMINATED before STARTED:
      a reason is required;
    - anything backwards is a correction: only the office, with a reason; the dates of the stages
      after ``to`` are cleared.
    """
    data = dict(data or {})
    evidence = list(evidence or [])
    reason = (reason or "").strip()
    with transaction.atomic():
        project = KeyProject.objects.select_for_update().get(pk=project.pk)
        _check_permission(project, by)
        move = classify(project, to)
        from_stage = project.stage
        if move.kind == "correction":
            if not get_scope(by).is_office:
                raise ForbiddenAction(_("阶段回退（更正）只能由领导小组办公室操作。"))
        if move.kind in ("correction", "hold", "terminate") and not reason:
            raise ServiceError(_("请填写原因。"), field="reason")
        _check_date(project, to, on, move.kind)

        settable = set(REQUIREMENTS.get(to, Requirement()).settable) if move.kind == "forward" else set()
        unknown = set(data) - settable
        if unknown:
            raise ServiceError(_("这一步不能修改：{}。").format("、".join(unknown)), field=sorted(unknown)[0])
        for key, value in data.items():
            setattr(project, key, value)

        if move.kind == "forward":
            setattr(project, STAGE_DATE_FIELD[to], on)
            project.stage = to
        elif move.kind == "hold":
            project.stage_before_hold = from_stage
            project.on_hold_on = on
            project.hold_reason = reason
            project.stage = Stage.ON_HOLD
        elif move.kind == "resume":
            project.stage = project.stage_before_hold
            project.stage_before_hold = ""
            project.on_hold_on = None
            project.hold_reason = ""
        elif move.kind == "terminate":
            project.terminated_on = on
            project.terminated_reason = reason
            project.stage = Stage.TERMINATED
        elif move.kind == "correction":
            rank = STAGE_RANK[to]
            for stage in STAGE_ORDER[rank + 1 :]:
                setattr(project, STAGE_DATE_FIELD[stage], None)
            if {from_stage, to} == {Stage.SIGNED, Stage.REGISTERED}:
                setattr(project, STAGE_DATE_FIELD[from_stage], None)
            project.terminated_on = None
            project.terminated_reason = ""
            project.stage_before_hold = ""
            project.on_hold_on = None
            project.hold_reason = ""
            if project.stage_date(to) is None:
                setattr(project, STAGE_DATE_FIELD[to], on)
            project.stage = to

        try:
            project.full_clean()
        except ValidationError as exc:
            field_name, messages = next(iter(exc.message_dict.items()))
            raise ServiceError("；".join(messages), field=field_name)
        if move.kind == "forward":
            _check_requirements(project, to, evidence)
        _save_evidence(project, to if move.kind == "forward" else project.stage, evidence, by)
        project.save()
        StageChange.objects.create(
            project=project,
            from_stage=from_stage,
            to_stage=project.stage,
            on=on,
            is_correction=move.kind == "correction",
            reason=reason,
            by=by,
        )
        record_event(
            project,
            "stage_changed",
            by=by,
            message=f"{Stage(from_stage).label} → {Stage(project.stage).label}"
            + (f"：{reason}" if reason else ""),
            data={"from": from_stage, "to": project.stage, "on": on.isoformat(), "kind": move.kind},
        )
    return project


def add_evidence(project: KeyProject, *, stage: str, files: list[EvidenceFile], by) -> None:
    """Attach more evidence to a stage already reached (e.g. photos after the move)."""
    with transaction.atomic():
        project = KeyProject.objects.select_for_update().get(pk=project.pk)
        _check_permission(project, by)
        _save_evidence(project, stage, files, by)


def mark_fai_in_db(project: KeyProject, *, month: datetime.date, by) -> KeyProject:
    """The project entered the fixed-asset-investment statistics (入库纳统), allowed from 开工."""
    with transaction.atomic():
        project = KeyProject.objects.select_for_update().get(pk=project.pk)
        _check_permission(project, by)
        if (
            project.stage == Stage.TERMINATED
            or STAGE_RANK.get(project.stage, -1) < STAGE_RANK[Stage.STARTED]
            and not (project.stage == Stage.ON_HOLD and project.started_on)
        ):
            raise ServiceError(_("项目开工后才能入库纳统（先入库，后有数）。"), field="fai_month")
        month = month.replace(day=1)
        if project.started_on and month < project.started_on.replace(day=1):
            raise ServiceError(_("入库月份不能早于开工月份。"), field="fai_month")
        project.fai_in_db = True
        project.fai_month = month
        project.full_clean()
        project.save()
        record_event(project, "fai_in_db", by=by, message=month.strftime("%Y-%m"))
    return project


def mark_enterprise_in_stats(project: KeyProject, *, month: datetime.date, category: str, by) -> KeyProject:
    """The project's enterprise entered the 四上 statistics (企业纳统); the enterprise record follows."""
    from chainlead.enterprises.choices import StatsCategory, StatsStatus

    with transaction.atomic():
        project = KeyProject.objects.select_for_update().get(pk=project.pk)
        _check_permission(project, by)
        if category not in StatsCategory.values:
            raise ServiceError(_("请选择四上类别。"), field="stats_category")
        enterprise = project.enterprise
        if enterprise is None or not enterprise.credit_code:
            raise ServiceError(_("项目企业须已注册（有统一社会信用代码）才能纳统。"), field="enterprise")
        month = month.replace(day=1)
        project.enterprise_in_stats = True
        project.stats_month = month
        project.stats_category = category
        project.full_clean()
        project.save()
        enterprise.stats_status = StatsStatus.IN_STATS
        enterprise.stats_category = category
        enterprise.stats_entered_on = month
        enterprise.full_clean()
        enterprise.save()
        record_event(
            project, "enterprise_in_stats", by=by, message=f"{month:%Y-%m} {StatsCategory(category).label}"
        )
    return project
