"""Workflow verbs of 督查通报: recompute and freeze the lights of a period, excuse a light, and
create, edit, generate and issue a bulletin.

Every verb runs in one transaction, checks the actor's permission again inside it, records an
audit event and sends its notifications after the transaction commits. Views, the API, the demo
and the jobs call these; none of them writes a light or a bulletin's status by hand.
"""

from __future__ import annotations

import datetime
import logging
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from chainlead.core import clock
from chainlead.core.audit import record_event
from chainlead.core.context import change_context, current
from chainlead.core.exceptions import ServiceError
from chainlead.core.models import NotificationLevel
from chainlead.core.notifications import notify
from chainlead.dispatch.choices import ItemKind, PeriodStatus
from chainlead.dispatch.models import Period
from chainlead.organization.choices import Role
from chainlead.organization.permissions import get_scope
from chainlead.supervision import lights as engine
from chainlead.supervision.choices import (
    COLOR_RANK,
    BulletinStatus,
    Component,
    LightColor,
    ScopeKind,
    SubjectKind,
)
from chainlead.supervision.models import Bulletin, BulletinTemplate, Light

logger = logging.getLogger(__name__)

FIELD_OF = {SubjectKind.PROJECT: "project_id", SubjectKind.TARGET: "target_id", SubjectKind.UNIT: "unit_id"}
#: How many earlier periods the consecutive-count (连续期数) looks back.
STREAK_WINDOW = 12
WRITE_FIELDS = [
    "color",
    "reason_code",
    "reason",
    "value",
    "figures",
    "computed_at",
    "subject_name",
    "responsible_unit",
    "is_frozen",
    "frozen_at",
    "previous_color",
    "streak",
]


@contextmanager
def _acting_as(by):
    ctx = current()
    if ctx.user is None and by is not None:
        with change_context(user=by, request_id=ctx.request_id, source=ctx.source, batch_id=ctx.batch_id):
            yield
    else:
        yield


def _is_office(by) -> bool:
    return by is not None and getattr(by, "is_authenticated", False) and get_scope(by).is_office


def _require_office(by, message: str) -> None:
    if by is not None and not _is_office(by):
        raise _forbidden(message)


def _forbidden(message):
    from chainlead.core.exceptions import ForbiddenAction

    return ForbiddenAction(message)


def light_period(period: Period) -> bool:
    """Lights hang on the monthly (or quarterly) periods of key projects."""
    return period.cycle.item_kind == ItemKind.PROJECT


def frozen_periods(cycle=None):
    qs = Period.objects.select_related("cycle").filter(lights__is_frozen=True).distinct()
    if cycle is not None:
        qs = qs.filter(cycle=cycle)
    return qs.order_by("start")


def is_frozen(period: Period) -> bool:
    return Light.objects.filter(period=period, is_frozen=True).exists()


def previous_frozen(period: Period) -> Period | None:
    return (
        Period.objects.filter(cycle_id=period.cycle_id, start__lt=period.start, lights__is_frozen=True)
        .order_by("-start")
        .first()
    )


# ================================================================================================
# lights
# ================================================================================================
def _subject_fields(kind: str, subject_id: int) -> dict:
    return {
        "project_id": subject_id if kind == SubjectKind.PROJECT else None,
        "target_id": subject_id if kind == SubjectKind.TARGET else None,
        "unit_id": subject_id if kind == SubjectKind.UNIT else None,
    }


def _write(period: Period, measured: list, *, freeze: bool, project_ids=None) -> list[tuple]:
    """Upsert the period's lights from the measurements, derive each subject's overall light
    (excuses kept), and return the overall colour changes [(light, old colour)]."""
    now = timezone.now()
    existing_qs = Light.objects.filter(period=period)
    if project_ids is not None:
        existing_qs = existing_qs.filter(subject_key__in=[f"project:{pk}" for pk in project_ids])
    existing = {(lt.subject_key, lt.component): lt for lt in existing_qs}
    previous: dict[tuple, Light] = {}
    earlier: dict[tuple, list[int]] = {}  # (subject, component) → effective ranks, newest first
    prev_period = previous_frozen(period) if freeze else None
    if prev_period is not None:
        recent = list(
            Period.objects.filter(cycle_id=period.cycle_id, start__lt=period.start, lights__is_frozen=True)
            .distinct()
            .order_by("-start")
            .values_list("pk", flat=True)[:STREAK_WINDOW]
        )
        order = {pk: i for i, pk in enumerate(recent)}
        rows = sorted(
            Light.objects.filter(period_id__in=recent).only(
                "period_id", "subject_key", "component", "color", "excused", "streak"
            ),
            key=lambda lt: order[lt.period_id],
        )
        for lt in rows:
            key = (lt.subject_key, lt.component)
            if lt.period_id == prev_period.pk:
                previous[key] = lt
            ranks = earlier.setdefault(key, [])
            if len(ranks) == order[lt.period_id]:  # no gap in the subject's history
                ranks.append(lt.rank)
    by_subject: dict[str, list] = {}
    meta: dict[str, tuple] = {}
    for m in measured:
        by_subject.setdefault(m.subject_key, []).append(m)
        meta[m.subject_key] = (m.subject_kind, m.subject_id, m.name, m.unit_id)
    to_create, to_update, changes = [], [], []
    seen = set()

    def put(key, component, color, reason_code, reason, value, figures, kind, sid, name, unit_id):
        seen.add((key, component))
        light = existing.get((key, component))
        prev = previous.get((key, component))
        if light is None:
            light = Light(
                period=period,
                subject_kind=kind,
                subject_key=key,
                component=component,
                **_subject_fields(kind, sid),
            )
            old = None
            to_create.append(light)
        else:
            old = light.effective_color
            to_update.append(light)
        light.subject_name = (name or "")[:200]
        light.responsible_unit_id = unit_id
        light.color, light.reason_code, light.reason = color, reason_code, (reason or "")[:300]
        light.value, light.figures, light.computed_at = value, figures, now
        if freeze:
            light.is_frozen, light.frozen_at = True, now
            light.previous_color = prev.effective_color if prev else ""
            light.streak = _streak(light.rank, earlier.get((key, component), []))
        if component == Component.OVERALL:
            base = light.previous_color if freeze else old
            if (
                base
                and base != light.effective_color
                or (not base and freeze and light.effective_color != LightColor.GREEN)
            ):
                changes.append((light, base or ""))
        return light

    for key, items in by_subject.items():
        kind, sid, name, unit_id = meta[key]
        comps = []
        for m in items:
            light = put(
                key,
                m.component,
                m.color,
                m.reason_code,
                m.reason,
                m.value,
                m.figures,
                kind,
                sid,
                name,
                unit_id,
            )
            comps.append(light)
        color, worst = engine.overall_of(comps)
        if worst is not None and color != LightColor.GREEN:
            reason = f"{Component(worst.component).label.split(' ', 1)[-1]}：{worst.reason}"
            code = worst.reason_code
        else:
            reason, code = _("各项指标正常"), "ok"
        gap = next((c.value for c in comps if c.component == "W1"), None)
        figures = next((c.figures for c in comps if c.component == "W1"), {})
        put(key, Component.OVERALL, color, code, reason, gap, figures, kind, sid, name, unit_id)
    if to_create:
        Light.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        Light.objects.bulk_update(to_update, WRITE_FIELDS, batch_size=500)
    stale = [lt.pk for k, lt in existing.items() if k not in seen and not lt.is_frozen]
    if stale:
        Light.objects.filter(pk__in=stale).delete()
    return changes


def _streak(rank: int, earlier: list[int]) -> int:
    """How many periods in a row, ending with this one, were at this colour or worse (for green:
    green), from the earlier ranks newest first."""
    n = 1
    for previous in earlier:
        if (previous >= rank) if rank else (previous == 0):
            n += 1
        else:
            break
    return n


def recompute_period(period: Period, *, by=None, project_ids=None, notify_changes: bool = True) -> dict:
    """Recompute the live lights of an open period (all subjects, or some projects after a report
    was approved). A frozen period is left alone."""
    with _acting_as(by), transaction.atomic():
        if by is not None:
            _require_office(by, _("只有领导小组办公室可以重算预警灯。"))
        if not light_period(period):
            raise ServiceError(_("{}不是项目调度期，预警灯按项目的月度调度期计算。").format(period))
        if is_frozen(period):
            raise ServiceError(_("{}的预警灯已冻结，不再重算。").format(period.label))
        measured = engine.measure(period, project_ids=project_ids)
        changes = _write(period, measured, freeze=False, project_ids=project_ids)
        if notify_changes:
            _notify_changes(period, changes)
    return {"lights": len(measured), "changed": len(changes)}


def freeze_period(period: Period, *, by=None, force: bool = False) -> dict:
    """Compute the period's lights as of its last day and freeze them (DOMAIN.md §5: "frozen per
    period for bulletins"). Only a closed period is frozen; freezing again needs ``force`` and is
    refused once a bulletin of the period has been issued."""
    with _acting_as(by), transaction.atomic():
        if by is not None:
            _require_office(by, _("只有领导小组办公室可以冻结预警灯。"))
        period = Period.objects.select_related("cycle").get(pk=period.pk)
        if not light_period(period):
            raise ServiceError(_("{}不是项目调度期。").format(period))
        if period.status != PeriodStatus.CLOSED:
            raise ServiceError(
                _("{}尚未关闭，不能冻结预警灯；请先在调度期页面关闭该期。").format(period.label)
            )
        if is_frozen(period):
            if not force:
                return {"lights": 0, "changed": 0, "skipped": True}
            if Bulletin.objects.filter(period=period, status=BulletinStatus.ISSUED).exists():
                raise ServiceError(_("{}已有印发的通报，预警灯不能重新冻结。").format(period.label))
            Light.objects.filter(period=period).update(is_frozen=False)
        measured = engine.measure(period, on=period.end)
        changes = _write(period, measured, freeze=True)
        counts = light_counts(period)
        record_event(
            period,
            "lights_frozen",
            by=by,
            message=_("红灯{red}个、黄灯{yellow}个、绿灯{green}个").format(**counts),
            data={"counts": counts},
        )
        _notify_changes(period, changes)
    return {"lights": len(measured), "changed": len(changes), "skipped": False}


def light_counts(period: Period, subject_kind: str = SubjectKind.PROJECT) -> dict:
    counts = {c.value: 0 for c in LightColor}
    for color, excused in Light.objects.filter(
        period=period, component=Component.OVERALL, subject_kind=subject_kind
    ).values_list("color", "excused"):
        counts[LightColor.GREEN if excused else color] += 1
    return counts


def _recipients(lights: list[Light]) -> dict[int, list]:
    """Per responsible unit: the unit's heads and reporters, plus the users named as the item's
    责任领导 / 责任人 (the responsibility triple)."""
    from chainlead.organization.models import RoleGrant, User

    unit_ids = {lt.responsible_unit_id for lt in lights if lt.responsible_unit_id}
    out: dict[int, list] = {u: [] for u in unit_ids}
    for grant in RoleGrant.objects.filter(
        unit_id__in=unit_ids, role__in=[Role.UNIT_HEAD, Role.REPORTER], user__is_active=True
    ).select_related("user"):
        if grant.user not in out[grant.unit_id]:
            out[grant.unit_id].append(grant.user)
    names = set()
    for lt in lights:
        subject = lt.project if lt.project_id else (lt.target if lt.target_id else None)
        if subject is not None:
            names |= {subject.responsible_leader, subject.responsible_person} - {""}
    if names:
        named = {u.name: u for u in User.objects.filter(name__in=names, is_active=True)}
        for lt in lights:
            subject = lt.project if lt.project_id else (lt.target if lt.target_id else None)
            if subject is None or not lt.responsible_unit_id:
                continue
            for n in (subject.responsible_leader, subject.responsible_person):
                if n in named and named[n] not in out[lt.responsible_unit_id]:
                    out[lt.responsible_unit_id].append(named[n])
    return out


def _notify_changes(period: Period, changes: list[tuple]) -> None:
    """A changed overall light is told to the responsibility triple (after the commit)."""
    if not changes:
        return
    lights = [lt for lt, _old in changes]
    ids = [lt.pk for lt in lights if lt.pk]

    def send():
        fresh = {
            lt.pk: lt
            for lt in Light.objects.filter(pk__in=ids).select_related("project", "target", "responsible_unit")
        }
        recipients = _recipients(list(fresh.values()))
        for light, old in changes:
            light = fresh.get(light.pk)
            if light is None or not light.responsible_unit_id:
                continue
            new = LightColor(light.effective_color).label
            title = (
                _("预警灯变化：{}由{}变为{}").format(light.subject_name, LightColor(old).label, new)
                if old
                else _("预警灯：{}亮{}").format(light.subject_name, new)
            )
            worse = not old or COLOR_RANK[LightColor(light.effective_color)] > COLOR_RANK[LightColor(old)]
            notify(
                recipients.get(light.responsible_unit_id, []),
                title,
                body=_("{}：{}").format(period.label, light.reason),
                url=light.get_absolute_url(),
                level=NotificationLevel.WARNING if worse else NotificationLevel.INFO,
                kind="supervision.light",
                dedupe_key=f"supervision.light.{period.pk}.{light.subject_key}.{light.effective_color}",
                email=worse,
                units=[light.responsible_unit] if worse and light.effective_color == LightColor.RED else (),
            )

    transaction.on_commit(send)


def _refresh_overall(light: Light) -> Light:
    """After an excuse: the subject's overall light is the worst of its effective components."""
    comps = list(
        Light.objects.filter(period_id=light.period_id, subject_key=light.subject_key).exclude(
            component=Component.OVERALL
        )
    )
    overall = Light.objects.filter(
        period_id=light.period_id, subject_key=light.subject_key, component=Component.OVERALL
    ).first()
    if overall is None:
        return light
    color, worst = engine.overall_of(comps)
    if worst is not None and color != LightColor.GREEN:
        overall.reason = f"{Component(worst.component).label.split(' ', 1)[-1]}：{worst.reason}"[:300]
        overall.reason_code = worst.reason_code
    else:
        overall.reason, overall.reason_code = _("各项指标正常（含已说明免亮的预警）"), "ok"
    overall.color = color
    overall.save()
    return overall


def excuse_light(light: Light, *, by, reason: str) -> Light:
    """Excuse a component light for a justified reason (有正当理由): it counts as green, the
    approver and reason are kept and audited (DOMAIN.md §5)."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("请填写正当理由：说明免亮必须写明理由，并由批准人负责。"), field="reason")
    with _acting_as(by), transaction.atomic():
        if by is None or not Light.objects.restrict(by, "approve").filter(pk=light.pk).exists():
            raise _forbidden(_("只有领导小组办公室或区领导可以批准说明免亮。"))
        fresh = Light.objects.select_for_update().get(pk=light.pk)
        if fresh.component == Component.OVERALL:
            raise ServiceError(_("综合灯不能直接免亮，请对具体的预警项（如W2按期开工）说明理由。"))
        if fresh.color == LightColor.GREEN:
            raise ServiceError(_("这盏灯是绿灯，无需说明免亮。"))
        if fresh.excused:
            raise ServiceError(
                _("这盏灯已于{}由{}批准免亮。").format(
                    timezone.localtime(fresh.excused_at).strftime("%Y-%m-%d %H:%M"), fresh.excused_by or ""
                )
            )
        fresh.excused, fresh.excused_by, fresh.excused_at = True, by, timezone.now()
        fresh.excuse_reason = reason[:300]
        fresh.save()
        overall = _refresh_overall(fresh)
        record_event(
            fresh,
            "light_excused",
            by=by,
            message=reason,
            data={"color": fresh.color, "overall": overall.color},
        )
    light.refresh_from_db()
    return light


def revoke_excuse(light: Light, *, by, reason: str) -> Light:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("请填写撤销免亮的原因。"), field="reason")
    with _acting_as(by), transaction.atomic():
        if by is None or not Light.objects.restrict(by, "approve").filter(pk=light.pk).exists():
            raise _forbidden(_("只有领导小组办公室或区领导可以撤销免亮。"))
        fresh = Light.objects.select_for_update().get(pk=light.pk)
        if not fresh.excused:
            raise ServiceError(_("这盏灯没有免亮，无需撤销。"))
        fresh.excused, fresh.excused_by, fresh.excused_at, fresh.excuse_reason = False, None, None, ""
        fresh.save()
        _refresh_overall(fresh)
        record_event(fresh, "light_excuse_revoked", by=by, message=reason)
    light.refresh_from_db()
    return light


# ================================================================================================
# bulletins
# ================================================================================================
def default_template() -> BulletinTemplate | None:
    return BulletinTemplate.objects.filter(is_default=True).first() or BulletinTemplate.objects.first()


def _check_scope(scope_kind, scope_unit, scope_chain):
    if scope_kind == ScopeKind.ZONE and scope_unit is None:
        raise ServiceError(_("按功能区通报时请选择功能区。"), field="scope_unit")
    if scope_kind == ScopeKind.CHAIN and scope_chain is None:
        raise ServiceError(_("按产业链通报时请选择产业链。"), field="scope_chain")


def create_bulletin(
    *,
    period: Period,
    by,
    scope_kind: str = ScopeKind.ALL,
    scope_unit=None,
    scope_chain=None,
    template: BulletinTemplate | None = None,
    generate: bool = True,
) -> Bulletin:
    """A new draft for a period and scope, filled from the template; the document is built by a
    job (``generate``). The period must be closed and its lights frozen."""
    with _acting_as(by), transaction.atomic():
        _require_office(by, _("只有领导小组办公室可以起草督查通报。"))
        period = Period.objects.select_related("cycle").get(pk=period.pk)
        _check_scope(scope_kind, scope_unit, scope_chain)
        if not light_period(period):
            raise ServiceError(_("请选择项目的调度期（月度或季度）。"), field="period")
        if period.status != PeriodStatus.CLOSED:
            raise ServiceError(
                _("{}尚未关闭：通报要以关闭并冻结后的数据为准，请先关闭该调度期。").format(period.label),
                field="period",
            )
        if not is_frozen(period):
            freeze_period(period, by=None)
        template = template or default_template()
        bulletin = Bulletin(
            period=period,
            scope_kind=scope_kind,
            scope_unit=scope_unit if scope_kind == ScopeKind.ZONE else None,
            scope_chain=scope_chain if scope_kind == ScopeKind.CHAIN else None,
            template=template,
            year=period.end.year,
        )
        if template is not None:
            bulletin.issuer, bulletin.issuer_code = template.issuer, template.issuer_code
            bulletin.signer, bulletin.addressee = template.signer or template.issuer, template.addressee
            bulletin.copy_to, bulletin.printer = template.copy_to, template.printer or template.issuer
        bulletin.title = _title(bulletin, template)
        bulletin.full_clean()
        bulletin.save()
        record_event(bulletin, "bulletin_drafted", by=by, message=str(bulletin.title))
        if generate:
            enqueue_generation(bulletin, by=by, fill_texts=True)
    return bulletin


def placeholders(bulletin: Bulletin) -> dict:
    end = bulletin.period.end
    month = end.month
    return {
        "period": bulletin.period.label,
        "range": f"{end.year}年1月" if month == 1 else f"{end.year}年1—{month}月",
        "scope": bulletin.scope_label,
        "year": end.year,
        "month": month,
    }


def _format(text: str, values: dict) -> str:
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError):
        return text


def _title(bulletin: Bulletin, template) -> str:
    pattern = template.title_pattern if template else "关于{scope}{range}重点项目推进情况的通报"
    return _format(pattern, placeholders(bulletin))[:200]


def enqueue_generation(bulletin: Bulletin, *, by=None, fill_texts: bool = False):
    from chainlead.core.jobs import enqueue_job

    job = enqueue_job(
        "supervision.generate_bulletin",
        label=_("生成督查通报：{}").format(bulletin.title)[:200],
        by=by,
        bulletin_id=bulletin.pk,
        fill_texts=fill_texts,
    )
    Bulletin.objects.filter(pk=bulletin.pk).update(job=job)
    bulletin.job = job
    return job


def _refuse_if_issued(bulletin: Bulletin) -> None:
    if Bulletin.objects.filter(pk=bulletin.pk, status=BulletinStatus.ISSUED).exists():
        raise ServiceError(
            _("通报{}已印发，已归档，不能再修改；如需更正，请另行起草通报。").format(
                Bulletin.objects.get(pk=bulletin.pk).doc_number
            )
        )


EDITABLE_FIELDS = (
    "title",
    "addressee",
    "basis_text",
    "overall_text",
    "good_text",
    "lagging_text",
    "problems_text",
    "requirements_text",
    "copy_to",
    "signer",
)


def save_bulletin(bulletin: Bulletin, *, by, regenerate: bool = True, **values) -> Bulletin:
    """Save edited text sections of a draft and rebuild its document."""
    with _acting_as(by), transaction.atomic():
        _require_office(by, _("只有领导小组办公室可以修改督查通报。"))
        _refuse_if_issued(bulletin)
        for name, value in values.items():
            if name not in EDITABLE_FIELDS:
                raise ServiceError(_("“{}”不能在这里修改。").format(name))
            setattr(bulletin, name, value)
        try:
            bulletin.full_clean()
        except ValidationError as exc:
            raise ServiceError("；".join(exc.messages))
        bulletin.save()
        record_event(bulletin, "bulletin_edited", by=by, data={"fields": sorted(values)})
        if regenerate:
            enqueue_generation(bulletin, by=by)
    return bulletin


def next_numbers(issuer_code: str, year: int) -> tuple[int, int]:
    """The next 发文序号 and 期号 of an issuer in a year (sequential, no gaps)."""
    agg = Bulletin.objects.filter(issuer_code=issuer_code, year=year, status=BulletinStatus.ISSUED).aggregate(
        n=Max("number"), i=Max("issue_no")
    )
    return (agg["n"] or 0) + 1, (agg["i"] or 0) + 1


def issue_bulletin(
    bulletin: Bulletin,
    *,
    by,
    on: datetime.date | None = None,
    number: int | None = None,
    issue_no: int | None = None,
    render: bool = False,
    pdf: bool | None = None,
) -> Bulletin:
    """Issue (印发) a draft: it gets the next 发文字号 of its issuer and year (or the one given,
    if free) and the next 期号, its document is rebuilt with them, and it becomes immutable."""
    with _acting_as(by), transaction.atomic():
        _require_office(by, _("只有领导小组办公室可以印发督查通报。"))
        fresh = Bulletin.objects.select_for_update().select_related("period__cycle").get(pk=bulletin.pk)
        _refuse_if_issued(fresh)
        if fresh.period.status != PeriodStatus.CLOSED:
            raise ServiceError(_("{}尚未关闭，不能印发该期通报；请先关闭调度期。").format(fresh.period.label))
        if not fresh.data:
            raise ServiceError(_("通报尚未生成（或正在生成），请等生成完成、核对内容后再印发。"))
        if not fresh.issuer_code:
            raise ServiceError(_("请先填写发文机关代字（如“西链办发”），才能编号印发。"))
        on = on or clock.today()
        year = fresh.year or fresh.period.end.year
        auto_number, auto_issue = next_numbers(fresh.issuer_code, year)
        if number is not None:
            if Bulletin.objects.filter(issuer_code=fresh.issuer_code, year=year, number=number).exists():
                raise ServiceError(
                    _("{}〔{}〕{}号已被使用。").format(fresh.issuer_code, year, number), field="number"
                )
        if (
            issue_no is not None
            and Bulletin.objects.filter(issuer_code=fresh.issuer_code, year=year, issue_no=issue_no).exists()
        ):
            raise ServiceError(_("{}年第{}期已被使用。").format(year, issue_no), field="issue_no")
        fresh.year, fresh.number = year, number or auto_number
        fresh.issue_no = issue_no or auto_issue
        fresh.status = BulletinStatus.ISSUED
        fresh.issued_on, fresh.issued_at, fresh.issued_by = on, timezone.now(), by
        fresh.save()
        record_event(
            fresh,
            "bulletin_issued",
            by=by,
            message=f"{fresh.doc_number} {fresh.issue_label}",
            data={"number": fresh.number, "issue_no": fresh.issue_no},
        )
        lagging = [row for row in fresh.data.get("lagging", [])]
        units = {row.get("unit_id") for row in lagging if row.get("unit_id")}
        if units:
            from chainlead.organization.models import RoleGrant

            users = [
                g.user
                for g in RoleGrant.objects.filter(unit_id__in=units, role=Role.UNIT_HEAD).select_related(
                    "user"
                )
            ]
            url = fresh.get_absolute_url()
            title = _("督查通报已印发：{}").format(fresh.doc_number)
            transaction.on_commit(
                lambda: notify(
                    users, title, body=str(fresh.title), url=url, kind="supervision.bulletin", email=False
                )
            )
        if render:
            build_now(fresh, pdf=pdf)
        else:
            enqueue_generation(fresh, by=by)
    bulletin.refresh_from_db()
    return bulletin


def build_now(
    bulletin: Bulletin, *, fill_texts: bool = False, pdf: bool | None = None, progress=None
) -> dict:
    """Build a bulletin in this process (the job's body; the demo and the benchmark call it
    directly): collect the frozen data of a draft, fill its texts when asked, write the files."""
    from chainlead.supervision import documents

    bulletin = Bulletin.objects.select_related("period__cycle", "scope_unit", "scope_chain", "template").get(
        pk=bulletin.pk
    )
    if not bulletin.is_issued:
        if progress:
            progress(0, _("正在汇总冻结的期末数据"))
        data = documents.collect(
            bulletin.period, bulletin.scope_kind, bulletin.scope_unit, bulletin.scope_chain
        )
        bulletin.data = data
        values = {"data": data}
        if fill_texts:
            texts = documents.default_texts(bulletin, data)
            for name, text in texts.items():
                setattr(bulletin, name, text)
            values.update(texts)
        Bulletin.objects.filter(pk=bulletin.pk).update(**values)
    if progress:
        progress(1, _("正在生成 Word 文件（GB/T 9704）"))
    result = documents.render(
        bulletin,
        pdf=pdf,
        progress=(lambda: progress(2, _("正在用 LibreOffice 转换 PDF"))) if progress else None,
    )
    return {**result, "url": bulletin.get_absolute_url(), "projects": len(bulletin.data.get("rows", []))}


def delete_bulletin(bulletin: Bulletin, *, by) -> None:
    with _acting_as(by), transaction.atomic():
        _require_office(by, _("只有领导小组办公室可以删除督查通报。"))
        _refuse_if_issued(bulletin)
        record_event(bulletin, "bulletin_deleted", by=by, message=str(bulletin.title))
        bulletin.delete()


# ================================================================================================
# the nightly run
# ================================================================================================
def current_light_period(today: datetime.date | None = None) -> Period | None:
    """The project period whose lights are live: the latest started period that is still open."""
    today = today or clock.today()
    return (
        Period.objects.select_related("cycle")
        .filter(
            cycle__item_kind=ItemKind.PROJECT,
            cycle__is_active=True,
            start__lte=today,
            status=PeriodStatus.OPEN,
        )
        .order_by("-start")
        .first()
    )


def run_nightly() -> dict:
    """Freeze the closed periods not yet frozen, then recompute the live period's lights."""
    frozen = 0
    for period in (
        Period.objects.select_related("cycle")
        .filter(cycle__item_kind=ItemKind.PROJECT, status=PeriodStatus.CLOSED)
        .exclude(lights__is_frozen=True)
        .order_by("start")
    ):
        if period.start.year < clock.today().year - 1:
            continue
        freeze_period(period)
        frozen += 1
    period = current_light_period()
    result = recompute_period(period) if period and not is_frozen(period) else {}
    return {"frozen": frozen, **result}
