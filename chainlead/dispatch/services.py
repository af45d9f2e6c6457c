"""Workflow verbs of regular dispatch (定期调度) and cross-department linkage (部门联动).

Every verb is a function with keyword-only arguments that runs in one transaction, checks the
actor's permission again inside it (the page that offered the button may be stale), records an
audit event, and sends its notifications after the transaction commits. Views, the API, the demo
and the daily job all call these; none of them moves a status by hand.

Sections: periods · reports (figures, photos, submit/approve/return) · tracking (填报率,
freshness) · problems · factor requests · meetings and decisions · the daily run (reminders and
escalation).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, DecimalField, Max, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chainlead.core import clock
from chainlead.core.audit import record_event
from chainlead.core.context import change_context, current
from chainlead.core.exceptions import ConflictError, ForbiddenAction, ServiceError
from chainlead.core.models import NotificationLevel
from chainlead.core.notifications import notify
from chainlead.core.workdays import WorkCalendar
from chainlead.dispatch.choices import (
    ACCEPTED_REPORT_STATES,
    ACTIVE_PROBLEM_STATES,
    COUNTED_REPORT_STATES,
    EDITABLE_REPORT_STATES,
    DecisionStatus,
    FactorStatus,
    Frequency,
    ItemKind,
    MeetingStatus,
    PeriodStatus,
    ProblemLevel,
    ProblemStatus,
    ReportStatus,
    StepVerb,
)
from chainlead.dispatch.models import (
    Decision,
    DispatchMeeting,
    FactorRequest,
    Period,
    Problem,
    ProblemCoHandler,
    ProblemStep,
    ProgressReport,
    ReportingCycle,
    ReportPhoto,
    TotalInvestmentChange,
)
from chainlead.organization.choices import Role
from chainlead.organization.models import Unit, User
from chainlead.organization.permissions import get_scope

ZERO = Decimal(0)
CENT = Decimal("0.01")
ZERO_SUM = Value(Decimal(0), output_field=DecimalField(max_digits=18, decimal_places=2))

#: Working-day time limits (DOMAIN.md §4.4), overridable in settings.
LEAD_REPLY_WORKDAYS = getattr(settings, "DISPATCH_LEAD_REPLY_WORKDAYS", 7)
COHANDLER_REPLY_WORKDAYS = getattr(settings, "DISPATCH_COHANDLER_REPLY_WORKDAYS", 3)
#: After an escalation, the next level gets this many working days before the next one.
ESCALATION_WORKDAYS = getattr(settings, "DISPATCH_ESCALATION_WORKDAYS", 3)
#: "已逾期" reminders are sent for periods whose deadline passed at most this many days ago.
OVERDUE_REMINDER_DAYS = 31
#: A confirmed (销号) problem may be reopened within this many calendar days.
REOPEN_WITHIN_DAYS = 30



# ================================================================================================
# helpers
# ================================================================================================
@contextmanager
def _acting_as(by):
    """Attribute the writes to ``by`` when no request or job has named the user (shell, tests,
    demo); inside a request the open change context already names them."""
    ctx = current()
    if ctx.user is None and by is not None:
        with change_context(user=by, request_id=ctx.request_id, source=ctx.source, batch_id=ctx.batch_id):
            yield
    else:
        yield


def _service_error(exc: ValidationError) -> ServiceError:
    if hasattr(exc, "error_dict"):
        name, errors = next(iter(exc.error_dict.items()))
        messages = [m for e in errors for m in e.messages]
        return ServiceError("；".join(messages), field=None if name == "__all__" else name)
    return ServiceError("；".join(exc.messages))


def _full_clean(obj, **kwargs) -> None:
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        raise _service_error(exc)


def acts_for(by, model, action: str, unit_id) -> bool:
    """Does ``by`` hold a role granting ``action`` on ``model`` in ``unit_id`` (or everywhere)?"""
    if by is None or not getattr(by, "is_authenticated", False):
        return False
    scope = get_scope(by)
    if not scope.can(model, action):
        return False
    units = scope.units_for(model, action)
    return units is None or (unit_id is not None and unit_id in units)


def _require(model, obj, by, action: str, message: str) -> None:
    """Refuse (403) unless ``by`` may ``action`` this object (restrict() re-checked now)."""
    # restrict() may add DISTINCT, which PostgreSQL refuses with FOR UPDATE: check, then lock.
    if by is None or not model.objects.restrict(by, action).filter(pk=obj.pk).exists():
        raise ForbiddenAction(message)


def _locked(model, pk):
    return model.objects.select_for_update().get(pk=pk)


def _check_version(caller, fresh) -> None:
    """The caller's instance was read at an older version than the row now (optimistic lock)."""
    expected = getattr(caller, "_loaded_version", None)
    if caller is not fresh and expected is not None and expected != fresh.version:
        raise ConflictError(fresh)


def _report_conflict(caller, fresh, verb: str) -> None:
    """A workflow step on a report the user saw at an older version (the version the page or the
    API's If-Match declared): someone edited, submitted, returned or approved it since. Acting on
    content the user has not seen is refused."""
    expected = getattr(caller, "_declared_version", None)
    if caller is not fresh and expected is not None and expected != fresh.version:
        raise ConflictError(
            fresh,
            _(
                "{}失败：进度报告“{}”在您打开之后已被他人修改或处理（现在的状态是“{}”）。"
                "您的操作没有生效，请查看最新内容后再{}。"
            ).format(verb, fresh, fresh.get_status_display(), verb),
        )


def _refresh(target, fresh, fields) -> None:
    """Let the caller's instance see what was saved (and the new version)."""
    if target is fresh:
        return
    for name in (*fields, "version", "last_updated"):
        setattr(target, name, getattr(fresh, name))
    target._loaded_version = fresh.version


def users_with_roles(units, roles, *, inherit: bool = True) -> list[User]:
    """Active users holding one of ``roles`` on one of ``units``; with ``inherit``, a unit without
    such a user falls back to its nearest ancestor that has one (a battle zone → its area)."""
    units = [u for u in units if u is not None]
    if not units:
        return []
    found: dict[int, User] = {}
    for unit in units:
        chain = [unit]
        if inherit:
            ids = [int(x) for x in unit.path.strip("/").split("/") if x] if unit.path else [unit.pk]
            ancestors = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
            chain = [ancestors[i] for i in reversed(ids) if i in ancestors] or [unit]
        for candidate in chain:
            users = list(
                User.objects.filter(
                    is_active=True, grants__unit=candidate, grants__role__in=list(roles)
                ).distinct()
            )
            if users:
                for user in users:
                    found[user.pk] = user
                break
    return list(found.values())


def office_users() -> list[User]:
    return list(User.objects.filter(is_active=True, grants__role=Role.OFFICE_ADMIN).distinct())


def _notify_later(users_fn, title: str, **kwargs) -> None:
    """Notify after commit: nothing is sent for a step that was rolled back. ``users_fn`` is called
    then, so it sees the committed state."""

    def send():
        users = users_fn() if callable(users_fn) else users_fn
        notify(users, title, **kwargs)

    transaction.on_commit(send)


def _aware(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time), timezone.get_current_timezone())


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


# ================================================================================================
# periods
# ================================================================================================
def period_bounds(frequency: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The period of ``frequency`` that contains ``day``: an ISO week (Mon–Sun), a month or a quarter."""
    if frequency == Frequency.WEEKLY:
        start = day - datetime.timedelta(days=day.weekday())
        return start, start + datetime.timedelta(days=6)
    if frequency == Frequency.QUARTERLY:
        first = 3 * ((day.month - 1) // 3) + 1
        start = day.replace(month=first, day=1)
    else:
        start = day.replace(day=1)
        first = day.month
    months = 3 if frequency == Frequency.QUARTERLY else 1
    year, month = divmod(first - 1 + months, 12)
    end = datetime.date(start.year + year, month + 1, 1) - datetime.timedelta(days=1)
    return start, end


def due_at_for(cycle: ReportingCycle, start: datetime.date, end: datetime.date, cal: WorkCalendar):
    """The deadline of a period under the cycle's rule (DOMAIN.md §4.1)."""
    if cycle.frequency == Frequency.WEEKLY:
        day = start + datetime.timedelta(days=cycle.deadline_weekday)
        if not cal.is_workday(day):
            earlier = cal.previous_workday(day)
            day = earlier if earlier >= start else cal.next_workday(day)
    else:
        day = cal.add(end, cycle.deadline_workdays)
    return _aware(day, cycle.deadline_time)


def ensure_periods(*, until: datetime.date | None = None, cycles=None) -> list[Period]:
    """Create the missing periods of the active cycles, from each cycle's start up to the period
    that contains ``until`` (default today). Idempotent; returns the periods created."""
    until = until or clock.today()
    cal = WorkCalendar.load()
    created: list[Period] = []
    cycles = list(cycles) if cycles is not None else list(ReportingCycle.objects.filter(is_active=True))
    for cycle in cycles:
        have = set(Period.objects.filter(cycle=cycle).values_list("start", flat=True))
        start, end = period_bounds(cycle.frequency, cycle.starts_on)
        while start <= until:
            if start not in have:
                period = Period(cycle=cycle, start=start, end=end, due_at=due_at_for(cycle, start, end, cal))
                period.full_clean(validate_unique=False, validate_constraints=False)
                created.append(period)
            start, end = period_bounds(cycle.frequency, end + datetime.timedelta(days=1))
    if created:
        Period.objects.bulk_create(created)
    return created


def current_period(kind: str, day: datetime.date | None = None) -> Period | None:
    """The period of the active cycle for ``kind`` that contains ``day`` (default today)."""
    day = day or clock.today()
    return (
        Period.objects.select_related("cycle")
        .filter(cycle__item_kind=kind, cycle__is_active=True, start__lte=day, end__gte=day)
        .first()
    )


def latest_due_period(kind: str, day: datetime.date | None = None) -> Period | None:
    """The latest period of ``kind`` that has ended on or before ``day`` (the one being reported now)."""
    day = day or clock.today()
    return (
        Period.objects.select_related("cycle")
        .filter(cycle__item_kind=kind, cycle__is_active=True, end__lt=day)
        .order_by("-start")
        .first()
    )


def close_period(period: Period, *, by) -> Period:
    """Close a period: no new or changed reports; its approved reports become locked."""
    with _acting_as(by), transaction.atomic():
        _require(Period, period, by, "change", _("只有领导小组办公室可以关闭调度期。"))
        fresh = _locked(Period, period.pk)
        if fresh.status == PeriodStatus.CLOSED:
            raise ServiceError(_("{}已经关闭。").format(fresh.label))
        fresh.status = PeriodStatus.CLOSED
        fresh.closed_at = timezone.now()
        fresh.closed_by = by
        fresh.save()
        locked = ProgressReport.objects.filter(period=fresh, status=ReportStatus.APPROVED).update(
            status=ReportStatus.LOCKED
        )
        open_left = ProgressReport.objects.filter(period=fresh, status__in=EDITABLE_REPORT_STATES).count()
        record_event(
            fresh,
            "period_closed",
            by=by,
            message=_("锁定已审核报告 {} 份；未提交的草稿/退回报告 {} 份不再能提交。").format(
                locked, open_left
            ),
            data={"locked": locked, "open_left": open_left},
        )
    _refresh(period, fresh, ("status", "closed_at", "closed_by"))
    return fresh


def reopen_period(period: Period, *, by, reason: str) -> Period:
    """Open a closed period again (a correction); its locked reports go back to approved."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("请填写重新开放的原因。"), field="reason")
    with _acting_as(by), transaction.atomic():
        _require(Period, period, by, "change", _("只有领导小组办公室可以重新开放调度期。"))
        fresh = _locked(Period, period.pk)
        if fresh.status == PeriodStatus.OPEN:
            raise ServiceError(_("{}尚未关闭。").format(fresh.label))
        fresh.status = PeriodStatus.OPEN
        fresh.closed_at = None
        fresh.closed_by = None
        fresh.save()
        ProgressReport.objects.filter(period=fresh, status=ReportStatus.LOCKED).update(
            status=ReportStatus.APPROVED
        )
        record_event(fresh, "period_reopened", by=by, message=reason)
    _refresh(period, fresh, ("status", "closed_at", "closed_by"))
    return fresh


# ================================================================================================
# which items must report
# ================================================================================================
def expected_projects(period: Period):
    """Key projects under construction during the period: started by its end, not completed before
    its start, neither terminated nor on hold since before it."""
    from chainlead.projects.choices import Stage
    from chainlead.projects.models import KeyProject

    return (
        KeyProject.objects.filter(started_on__isnull=False, started_on__lte=period.end)
        .exclude(completed_on__lt=period.start)
        .exclude(stage=Stage.TERMINATED)
        .exclude(stage=Stage.ON_HOLD, on_hold_on__lt=period.start)
    )


def expected_targets(period: Period):
    """Attack targets still being fought for during the period (not cancelled, not done before it)."""
    from chainlead.targets.choices import TargetStatus
    from chainlead.targets.models import AttackTarget

    return (
        AttackTarget.objects.exclude(status=TargetStatus.CANCELLED)
        .exclude(done_on__lt=period.start)
        .filter(campaign__year__lte=period.end.year)
    )


def expected_items(period: Period):
    """The items that owe a report for the period."""
    if period.cycle.item_kind == ItemKind.PROJECT:
        return expected_projects(period)
    return expected_targets(period)


def item_field(kind: str) -> str:
    return "project" if kind == ItemKind.PROJECT else "target"


@dataclass
class ItemStatus:
    """Where one expected item stands in a period (for 填报, 填报情况 and the unit page)."""

    item: object
    unit: Unit
    report: ProgressReport | None
    due_at: datetime.datetime

    @property
    def unit_id(self) -> int:
        return self.unit.pk

    @property
    def state(self) -> str:
        """missing | draft | returned | submitted | approved | locked."""
        return self.report.status if self.report else "missing"

    @property
    def submitted(self) -> bool:
        return bool(self.report and self.report.status in COUNTED_REPORT_STATES)

    @property
    def overdue(self) -> bool:
        return not self.submitted and clock.now() > self.due_at

    @property
    def late(self) -> bool:
        return bool(self.report and self.report.is_late)


def period_items(period: Period, *, units=None) -> list[ItemStatus]:
    """Every expected item of the period with its report (if any), optionally only for ``units``
    (unit ids). Two queries."""
    kind = period.cycle.item_kind
    items = expected_items(period).select_related("responsible_unit")
    if units is not None:
        items = items.filter(responsible_unit__in=units)
    fname = item_field(kind)
    reports = {
        getattr(r, f"{fname}_id"): r
        for r in ProgressReport.objects.filter(period=period, **{f"{fname}__isnull": False}).select_related(
            "submitted_by"
        )
    }
    return [ItemStatus(item, item.responsible_unit, reports.get(item.pk), period.due_at) for item in items]


# ================================================================================================
# reports: figures
# ================================================================================================
@dataclass
class Figures:
    """The cumulative figures of a report, computed from the item's earlier counted reports."""

    ytd_before: Decimal
    since_before: Decimal
    ytd: Decimal
    since_start: Decimal
    annual_plan: Decimal
    cap: Decimal | None  # the total investment the since-start figure may not exceed (projects)
    earlier_reports: int


def investment_cap(project) -> Decimal:
    """The project's total investment, or the latest filed change of it if that is higher."""
    filed = (
        TotalInvestmentChange.objects.filter(project=project)
        .order_by("-filed_on", "-pk")
        .values_list("new_total", flat=True)
    ).first()
    total = project.total_investment or ZERO
    return max(total, filed) if filed is not None else total


def _same_item(report) -> Q:
    return Q(project_id=report.project_id) if report.project_id else Q(target_id=report.target_id)


def compute_figures(report: ProgressReport) -> Figures:
    """ytd = this year's counted earlier reports + this period; since-start = all counted earlier
    reports + the opening balance (on the item's first report) + this period."""
    period = report.period
    earlier = ProgressReport.objects.filter(
        _same_item(report), status__in=COUNTED_REPORT_STATES, period__end__lt=period.start
    ).exclude(pk=report.pk)
    agg = earlier.aggregate(
        ytd=Coalesce(Sum("period_completed", filter=Q(period__end__year=period.end.year)), ZERO_SUM),
        total=Coalesce(Sum("period_completed"), ZERO_SUM),
        opening=Coalesce(Sum("opening_balance"), ZERO_SUM),
        n=Count("pk"),
    )
    own = report.period_completed or ZERO
    opening = report.opening_balance or ZERO
    # SQLite sums decimals in floating point: round back to cents.
    ytd_before = Decimal(agg["ytd"]).quantize(CENT)
    since_before = (Decimal(agg["total"]) + Decimal(agg["opening"])).quantize(CENT)
    if report.project_id:
        plan = report.project.annual_plan or ZERO
        cap = investment_cap(report.project)
    else:
        plan = report.target.goal_value or ZERO
        cap = None
    return Figures(
        ytd_before=ytd_before,
        since_before=since_before,
        ytd=ytd_before + own,
        since_start=since_before + opening + own,
        annual_plan=plan,
        cap=cap,
        earlier_reports=agg["n"],
    )


def _wan(value) -> str:
    return f"{Decimal(value):,.2f}"


def ytd_decrease_message(before: Decimal, entered: Decimal) -> str:
    return _(
        "本年累计完成不能减少：截至上期本年已累计 {} ，本次填写 {} 。如上期数据有误，请联系审核人退回上期报告更正。"
    ).format(_wan(before), _wan(entered))


def derive_period_completed(report: ProgressReport, ytd: Decimal) -> tuple[Decimal | None, str | None]:
    """The period figure implied by a year-to-date figure the reporter typed, or a message why the
    year-to-date figure cannot be right (it would go down)."""
    figures = compute_figures(report)
    if ytd < figures.ytd_before:
        return None, ytd_decrease_message(figures.ytd_before, ytd)
    return ytd - figures.ytd_before, None


def _check_figures(report: ProgressReport, figures: Figures, *, ytd_entered: Decimal | None) -> None:
    if report.period_completed is not None and report.period_completed < 0:
        raise ServiceError(_("本期完成不能为负数：累计完成投资不能减少。"), field="period_completed")
    if ytd_entered is not None:
        if ytd_entered < figures.ytd_before:
            raise ServiceError(ytd_decrease_message(figures.ytd_before, ytd_entered), field="ytd_completed")
        if ytd_entered != figures.ytd:
            raise ServiceError(
                _(
                    "本期完成（{}）与本年累计（{}）对不上：截至上期本年已累计 {}，两者之差应等于本期完成。请只填其中一项，或改正其中一项。"
                ).format(_wan(report.period_completed), _wan(ytd_entered), _wan(figures.ytd_before)),
                field="period_completed",
            )
    if report.opening_balance and figures.earlier_reports:
        raise ServiceError(
            _("“开工至上年底累计”只能在该项目的第一份报告中填写；本项目已有更早的报告。"),
            field="opening_balance",
        )
    if figures.cap is not None and figures.since_start > figures.cap:
        raise ServiceError(
            _(
                "开工以来累计完成投资（{}万元）将超过项目总投资（{}万元）。如总投资已调整，请先办理总投资调整备案。"
            ).format(_wan(figures.since_start), _wan(figures.cap)),
            field="period_completed",
        )


def _apply_figures(report: ProgressReport, figures: Figures) -> None:
    report.ytd_completed = figures.ytd
    report.since_start_completed = figures.since_start
    report.annual_plan = figures.annual_plan


def recompute_later(report: ProgressReport) -> int:
    """Recompute the stored cumulative figures of the item's later reports after ``report``'s
    figures or status changed ("the period sums match"). Refuses (rolls back) if a later report
    would then exceed the total investment. Returns how many reports changed."""
    later = list(
        ProgressReport.objects.filter(_same_item(report), period__start__gt=report.period.end)
        .exclude(pk=report.pk)
        .select_related("period__cycle", "project", "target")
        .order_by("period__start")
    )
    changed = []
    for other in later:
        figures = compute_figures(other)
        if (
            figures.cap is not None
            and figures.since_start > figures.cap
            and other.status in COUNTED_REPORT_STATES
        ):
            raise ServiceError(
                _(
                    "这样修改后，{}的报告开工以来累计（{}万元）将超过项目总投资（{}万元）。请核对本期数据，或先办理总投资调整备案。"
                ).format(other.period.label, _wan(figures.since_start), _wan(figures.cap)),
                field="period_completed",
            )
        if (other.ytd_completed, other.since_start_completed) != (figures.ytd, figures.since_start):
            other.ytd_completed = figures.ytd
            other.since_start_completed = figures.since_start
            changed.append(other)
    if changed:
        ProgressReport.objects.bulk_update(changed, ["ytd_completed", "since_start_completed"])
    return len(changed)


# ================================================================================================
# reports: workflow
# ================================================================================================
def _editable_or_error(report: ProgressReport, period: Period) -> None:
    if report.pk and report.status not in EDITABLE_REPORT_STATES:
        if report.status in (ReportStatus.APPROVED, ReportStatus.LOCKED):
            raise ServiceError(
                _("该报告已审核通过（{}），不能再修改。如需更正，请联系领导小组办公室退回。").format(
                    report.get_status_display()
                ),
                code="approved",
            )
        raise ServiceError(
            _("该报告已提交、正在审核，不能修改；如需修改，请联系审核人退回。"), code="submitted"
        )
    if period.status != PeriodStatus.OPEN:
        raise ServiceError(
            _("{}已关闭，不能再填报或修改报告。").format(period.label), field="period", code="closed"
        )


def start_report(*, period: Period, by, project=None, target=None) -> ProgressReport:
    """The item's report for the period: the existing one, or a new draft (one tap to fill)."""
    if (project is None) == (target is None):
        raise ServiceError(_("请选择一个项目或一个攻坚目标。"), field="project")
    item = project or target
    kind = ItemKind.PROJECT if project is not None else ItemKind.TARGET
    if period.cycle.item_kind != kind:
        raise ServiceError(
            _("{}是{}的调度期，不能填报{}。").format(
                period.label, ItemKind(period.cycle.item_kind).label, ItemKind(kind).label
            ),
            field="period",
        )
    lookup = {"period": period, item_field(kind): item}
    existing = ProgressReport.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    if not acts_for(by, ProgressReport, "add", item.responsible_unit_id):
        raise ForbiddenAction(_("您不是“{}”的填报人员，不能填报它的进度。").format(item))
    if period.status != PeriodStatus.OPEN:
        raise ServiceError(_("{}已关闭，不能再填报。").format(period.label), field="period", code="closed")
    report = ProgressReport(responsible_unit_id=item.responsible_unit_id, **lookup)
    with _acting_as(by):
        try:
            with transaction.atomic():
                _apply_figures(report, compute_figures(report))
                _full_clean(report)
                report.save()
        except IntegrityError:  # two taps at once: the other one created it
            return ProgressReport.objects.get(**lookup)
    return report


@dataclass
class PhotoUpload:
    file: object
    taken_at: datetime.datetime | None = None
    caption: str = ""


def _prepare_photos(photos) -> list:
    """Check and re-encode every uploaded photo before anything is written."""
    from chainlead.dispatch.photos import process_photo

    prepared = []
    for upload in photos:
        try:
            processed = process_photo(upload.file)
        except ValidationError as exc:
            raise ServiceError(exc.messages[0], field="photos", code="photo")
        captured = processed.captured_at or upload.taken_at
        if captured is None:
            raise ServiceError(
                _("照片“{}”里没有记录拍摄时间，请在“拍摄时间”里填写。").format(processed.original_name),
                field="photos",
                code="photo_time",
            )
        if _local_date(captured) > clock.today():
            raise ServiceError(
                _("照片“{}”的拍摄时间（{}）晚于今天，请核对。").format(
                    processed.original_name, timezone.localtime(captured).strftime("%Y-%m-%d %H:%M")
                ),
                field="photos",
            )
        prepared.append((upload, processed, captured))
    return prepared


def _store_photos(report: ProgressReport, prepared, by) -> list[ReportPhoto]:
    stored = []
    for upload, processed, captured in prepared:
        photo = ReportPhoto(
            report=report,
            original_name=processed.original_name,
            caption=upload.caption[:200],
            captured_at=captured,
            captured_from_exif=processed.captured_at is not None,
            width=processed.width,
            height=processed.height,
            uploaded_by=by,
        )
        photo.image.save(processed.content.name, processed.content, save=False)
        photo.save()
        stored.append(photo)
    return stored


def save_report(
    report: ProgressReport,
    *,
    by,
    ytd_completed: Decimal | None = None,
    photos=(),
    photo_times: dict | None = None,
    remove_photos=(),
) -> ProgressReport:
    """Save a report's content (new or draft/returned), with its photos.

    ``report`` carries the reporter's input (a form's or serializer's instance, with the version the
    reporter opened). ``ytd_completed``, if the reporter typed a year-to-date figure, is checked
    against the computed one. Refused for a closed period, an approved or submitted report, a
    figure that would make the cumulative go down or exceed the total investment."""
    photo_times = photo_times or {}
    prepared = _prepare_photos(photos)
    # If anything below refuses, the transaction rolls back: give the caller's instance its
    # version back so that it can be corrected and saved again.
    version, loaded = report.version, getattr(report, "_loaded_version", None)
    try:
        return _save_report(
            report,
            by=by,
            ytd_completed=ytd_completed,
            prepared=prepared,
            photo_times=photo_times,
            remove_photos=remove_photos,
        )
    except Exception:
        report.version = version
        if loaded is not None:
            report._loaded_version = loaded
        raise


def _save_report(report, *, by, ytd_completed, prepared, photo_times, remove_photos) -> ProgressReport:
    with _acting_as(by), transaction.atomic():
        is_new = report.pk is None
        item = report.project if report.project_id else report.target
        if item is None:
            raise ServiceError(_("请选择一个项目或一个攻坚目标。"), field="project")
        if is_new:
            report.responsible_unit_id = item.responsible_unit_id
            if not acts_for(by, ProgressReport, "add", report.responsible_unit_id):
                raise ForbiddenAction(_("您不是“{}”的填报人员，不能填报它的进度。").format(item))
        else:
            _require(ProgressReport, report, by, "change", _("您可以查看但不能修改这份报告。"))
            # The status as stored now (someone may have submitted or approved it meanwhile).
            stored = ProgressReport.objects.select_for_update().get(pk=report.pk)
            report.status = stored.status
        period = Period.objects.select_related("cycle").get(pk=report.period_id)
        report.period = period
        kind = ItemKind.PROJECT if report.project_id else ItemKind.TARGET
        if period.cycle.item_kind != kind:
            raise ServiceError(
                _("{}是{}的调度期，不能填报{}。").format(
                    period.label, ItemKind(period.cycle.item_kind).label, ItemKind(kind).label
                ),
                field="period",
            )
        _editable_or_error(report, period)
        figures = compute_figures(report)
        _check_figures(report, figures, ytd_entered=ytd_completed)
        _apply_figures(report, figures)
        _full_clean(report)
        report.save()
        if remove_photos:
            for photo in ReportPhoto.objects.filter(report=report, pk__in=list(remove_photos)):
                photo.delete()
        for photo in ReportPhoto.objects.filter(report=report, pk__in=list(photo_times)):
            moment = photo_times[photo.pk]
            if moment and moment != photo.captured_at:
                if _local_date(moment) > clock.today():
                    raise ServiceError(_("照片的拍摄时间不能晚于今天。"), field="photos")
                photo.captured_at = moment
                photo.captured_from_exif = False
                photo.save()
        _store_photos(report, prepared, by)
    return report


def _reviewers(report: ProgressReport):
    return lambda: users_with_roles([report.responsible_unit], [Role.UNIT_HEAD])


def _reporters(report: ProgressReport):
    def users():
        people = users_with_roles([report.responsible_unit], [Role.REPORTER], inherit=False)
        if report.submitted_by and report.submitted_by not in people:
            people.append(report.submitted_by)
        return people

    return users


def submit_report(report: ProgressReport, *, by, at: datetime.datetime | None = None) -> ProgressReport:
    """draft/returned → submitted. Late if first submitted after the period's deadline."""
    with _acting_as(by), transaction.atomic():
        _require(
            ProgressReport,
            report,
            by,
            "submit",
            _("您不能提交这份报告（只有该单位的填报员或负责人可以提交）。"),
        )
        fresh = ProgressReport.objects.select_for_update().select_related("period__cycle").get(pk=report.pk)
        _report_conflict(report, fresh, _("提交"))
        _editable_or_error(fresh, fresh.period)
        if not fresh.progress_text.strip():
            raise ServiceError(_("请填写形象进度后再提交。"), field="progress_text")
        at = at or clock.now()
        figures = compute_figures(fresh)
        _check_figures(fresh, figures, ytd_entered=None)
        _apply_figures(fresh, figures)
        previous = fresh.status
        fresh.status = ReportStatus.SUBMITTED
        fresh.submitted_at = at
        fresh.submitted_by = by
        if fresh.first_submitted_at is None:
            fresh.first_submitted_at = at
            fresh.is_late = at > fresh.period.due_at
        fresh.save()
        recompute_later(fresh)
        late = fresh.is_late
        record_event(
            fresh,
            "submitted",
            by=by,
            unit=fresh.responsible_unit,
            message=(_("重新提交") if previous == ReportStatus.RETURNED else _("提交"))
            + (_("（迟报）") if late else ""),
            data={
                "late": late,
                "period": fresh.period_id,
                "ytd": str(fresh.ytd_completed),
                "at": at.isoformat(),
            },
        )
        _notify_later(
            _reviewers(fresh),
            _("待审核：{}").format(fresh),
            body=_("{}提交了进度报告，请审核。").format(by),
            url=reverse("dispatch:review"),
            kind="dispatch.review",
        )
    _refresh(
        report,
        fresh,
        (
            "status",
            "submitted_at",
            "submitted_by",
            "first_submitted_at",
            "is_late",
            "ytd_completed",
            "since_start_completed",
            "annual_plan",
        ),
    )
    return fresh


def approve_report(report: ProgressReport, *, by, comment: str = "", at: datetime.datetime | None = None):
    """submitted → approved (→ locked at once if its period is already closed)."""
    with _acting_as(by), transaction.atomic():
        _require(
            ProgressReport, report, by, "approve", _("只有填报单位负责人或领导小组办公室可以审核这份报告。")
        )
        fresh = ProgressReport.objects.select_for_update().select_related("period__cycle").get(pk=report.pk)
        _report_conflict(report, fresh, _("审核"))
        if fresh.status != ReportStatus.SUBMITTED:
            raise ServiceError(
                _("只有待审核的报告才能审核通过，这份报告的状态是“{}”。").format(fresh.get_status_display())
            )
        fresh.status = ReportStatus.APPROVED if fresh.period.is_open else ReportStatus.LOCKED
        fresh.reviewed_at = at or clock.now()
        fresh.reviewed_by = by
        fresh.review_comment = (comment or "").strip()[:300]
        fresh.save()
        record_event(
            fresh, "approved", by=by, message=fresh.review_comment, data={"at": fresh.reviewed_at.isoformat()}
        )
        _notify_later(
            _reporters(fresh),
            _("已审核通过：{}").format(fresh),
            url=fresh.get_absolute_url(),
            kind="dispatch.approved",
            email=False,
        )
    _refresh(report, fresh, ("status", "reviewed_at", "reviewed_by", "review_comment"))
    return fresh


def return_report(report: ProgressReport, *, by, reason: str, at: datetime.datetime | None = None):
    """submitted → returned, with the reason. The office may also return an approved report of an
    open period for correction."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("请填写退回原因，填报人才知道要改什么。"), field="reason")
    with _acting_as(by), transaction.atomic():
        _require(
            ProgressReport, report, by, "approve", _("只有填报单位负责人或领导小组办公室可以退回这份报告。")
        )
        fresh = ProgressReport.objects.select_for_update().select_related("period__cycle").get(pk=report.pk)
        _report_conflict(report, fresh, _("退回"))
        if not fresh.period.is_open:
            raise ServiceError(_("{}已关闭，退回后无法再修改；请先重新开放该期。").format(fresh.period.label))
        if fresh.status == ReportStatus.APPROVED and not get_scope(by).is_office:
            raise ServiceError(_("已审核通过的报告只能由领导小组办公室退回更正。"))
        if fresh.status not in (ReportStatus.SUBMITTED, ReportStatus.APPROVED):
            raise ServiceError(
                _("只有待审核的报告才能退回，这份报告的状态是“{}”。").format(fresh.get_status_display())
            )
        fresh.status = ReportStatus.RETURNED
        fresh.return_reason = reason[:300]
        fresh.reviewed_at = at or clock.now()
        fresh.reviewed_by = by
        fresh.save()
        recompute_later(fresh)
        record_event(fresh, "returned", by=by, message=reason, data={"at": fresh.reviewed_at.isoformat()})
        _notify_later(
            _reporters(fresh),
            _("报告被退回：{}").format(fresh),
            body=_("退回原因：{}").format(reason),
            url=reverse("dispatch:progressreport_edit", args=[fresh.pk]),
            level=NotificationLevel.WARNING,
            kind="dispatch.returned",
            units=[fresh.responsible_unit],
        )
    _refresh(report, fresh, ("status", "return_reason", "reviewed_at", "reviewed_by"))
    return fresh


def file_investment_change(change: TotalInvestmentChange, *, by) -> TotalInvestmentChange:
    """Record a filed change of a project's total investment (the project's own record is kept;
    the reports may now accumulate up to the new total)."""
    with _acting_as(by), transaction.atomic():
        if not acts_for(by, TotalInvestmentChange, "add", change.project.responsible_unit_id):
            raise ForbiddenAction(_("您只能为本单位负责的项目办理总投资调整备案。"))
        change.old_total = change.project.total_investment or ZERO
        _full_clean(change)
        change.save()
        record_event(
            change.project,
            "investment_change_filed",
            by=by,
            message=_("总投资 {} → {} 万元：{}").format(
                _wan(change.old_total), _wan(change.new_total), change.reason
            ),
        )
    return change


# ================================================================================================
# tracking: 填报率, late list, freshness
# ================================================================================================
@dataclass
class RateRow:
    unit: Unit
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    approved: int = 0
    returned: int = 0
    items: list = field(default_factory=list)

    @property
    def rate(self) -> Decimal | None:
        """填报率 = submitted / expected, in %."""
        if not self.expected:
            return None
        return (Decimal(self.submitted) * 100 / self.expected).quantize(Decimal("0.1"))

    @property
    def on_time_rate(self) -> Decimal | None:
        if not self.expected:
            return None
        return (Decimal(self.on_time) * 100 / self.expected).quantize(Decimal("0.1"))


def reporting_rate(period: Period, *, units=None) -> list[RateRow]:
    """填报率 of each unit for ``period``: expected items, submitted (on time / late), missing,
    approved. Ordered by unit. ``units`` limits to unit ids."""
    rows: dict[int, RateRow] = {}
    for status in period_items(period, units=units):
        row = rows.setdefault(status.unit_id, RateRow(unit=status.unit))
        row.expected += 1
        row.items.append(status)
        report = status.report
        if status.submitted:
            row.submitted += 1
            if report.is_late:
                row.late += 1
            else:
                row.on_time += 1
            if report.status in ACCEPTED_REPORT_STATES:
                row.approved += 1
        else:
            row.missing += 1
            if report is not None and report.status == ReportStatus.RETURNED:
                row.returned += 1
    return sorted(rows.values(), key=lambda r: (r.unit.path, r.unit.name))


def period_summary(period: Period, *, units=None) -> dict:
    rows = reporting_rate(period, units=units)
    total = RateRow(unit=None)
    for row in rows:
        for name in ("expected", "submitted", "on_time", "late", "missing", "approved", "returned"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return {"rows": rows, "total": total}


def late_list(period: Period, *, units=None) -> list[ItemStatus]:
    """Items of the period reported late, or not reported although the deadline has passed."""
    out = [s for s in period_items(period, units=units) if s.late or s.overdue]
    return sorted(out, key=lambda s: (s.submitted, s.unit_id))


@dataclass
class FreshnessRow:
    unit: Unit
    last_submitted: datetime.datetime | None
    last_approved: datetime.datetime | None
    late_count: int
    missing_now: int

    @property
    def days_since(self) -> int | None:
        if self.last_submitted is None:
            return None
        return (clock.today() - _local_date(self.last_submitted)).days

    @property
    def level(self) -> str:
        """green / yellow / red: fresh within a month / within two / older or never."""
        days = self.days_since
        if days is None or days > 62:
            return "red"
        if days > 35 or self.missing_now:
            return "yellow"
        return "green"


def freshness(*, units=None, year: int | None = None) -> list[FreshnessRow]:
    """How fresh each unit's data is: its last submitted and last approved report, its late
    reports this year and the items it has not reported although the deadline passed."""
    year = year or clock.today().year
    qs = ProgressReport.objects.filter(status__in=COUNTED_REPORT_STATES)
    if units is not None:
        qs = qs.filter(responsible_unit__in=units)
    stats = {
        row["responsible_unit"]: row
        for row in qs.values("responsible_unit").annotate(
            last_submitted=Max("submitted_at"),
            last_approved=Max("reviewed_at", filter=Q(status__in=ACCEPTED_REPORT_STATES)),
            late=Count("pk", filter=Q(is_late=True, period__end__year=year)),
        )
    }
    missing: dict[int, int] = defaultdict(int)
    now = clock.now()
    for period in Period.objects.select_related("cycle").filter(
        status=PeriodStatus.OPEN, cycle__is_active=True, due_at__lt=now
    ):
        for status in period_items(period, units=units):
            if not status.submitted:
                missing[status.unit_id] += 1
    ids = set(stats) | set(missing)
    unit_map = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
    rows = [
        FreshnessRow(
            unit=unit_map[pk],
            last_submitted=stats.get(pk, {}).get("last_submitted"),
            last_approved=stats.get(pk, {}).get("last_approved"),
            late_count=stats.get(pk, {}).get("late", 0),
            missing_now=missing.get(pk, 0),
        )
        for pk in ids
        if pk in unit_map
    ]
    return sorted(rows, key=lambda r: (r.unit.path, r.unit.name))


# ================================================================================================
# problems (部门联动)
# ================================================================================================
def _step(
    problem: Problem, verb: str, *, by, from_status: str, note: str = "", on=None, unit=None
) -> ProblemStep:
    step = ProblemStep(
        problem=problem,
        verb=verb,
        from_status=from_status,
        to_status=problem.status,
        level=problem.level,
        on=on or clock.today(),
        by=by if getattr(by, "is_authenticated", False) else None,
        unit=unit if unit is not None else getattr(by, "unit", None),
        note=note,
    )
    step.save()
    record_event(
        problem,
        verb,
        by=by,
        unit=step.unit,
        message=note,
        data={"from": from_status, "to": problem.status, "level": problem.level, "step": step.pk},
    )
    return step


def _problem_for_change(problem: Problem) -> Problem:
    return Problem.objects.select_for_update().get(pk=problem.pk)


def _resolve_unit(value, field_name: str, label: str) -> Unit:
    if isinstance(value, Unit):
        pk = value.pk
    else:
        try:
            pk = int(value)
        except (TypeError, ValueError):
            raise ServiceError(_("{}“{}”无效，请从列表中选择单位。").format(label, value), field=field_name)
    unit = Unit.objects.filter(pk=pk).first()
    if unit is None:
        raise ServiceError(
            _("{}（编号 {}）不存在，可能已被删除，请重新选择。").format(label, pk),
            field=field_name,
            code="unit",
        )
    if not unit.is_active:
        raise ServiceError(
            _("{}“{}”已停用，请选择其他单位。").format(label, unit), field=field_name, code="unit"
        )
    return unit


def _next_problem_number(year: int) -> str:
    prefix = f"{year}-"
    last = (
        Problem.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    seq = int(last.split("-")[1]) + 1 if last else 1
    return f"{prefix}{seq:03d}"


def _unit_people(units):
    return lambda: users_with_roles(units, [Role.UNIT_HEAD, Role.REPORTER], inherit=True)


def raise_problem(
    *,
    title: str,
    category: str,
    raised_by_unit,
    by,
    description: str = "",
    project=None,
    target=None,
    report: ProgressReport | None = None,
    on: datetime.date | None = None,
) -> Problem:
    """Raise a problem (RAISED), from a report or on its own; the office then routes it."""
    problem = Problem(
        title=(title or "").strip(),
        category=category,
        description=description or "",
        project=project,
        target=target,
        report=report,
        raised_by_unit=raised_by_unit,
        raised_on=on or clock.today(),
    )
    return create_problem(problem, by=by)


def create_problem(problem: Problem, *, by) -> Problem:
    """Save a new problem built by a form or serializer (the same checks as ``raise_problem``)."""
    with _acting_as(by), transaction.atomic():
        if problem.raised_by_unit_id is None:
            raise ServiceError(_("请选择提出单位。"), field="raised_by_unit")
        if not acts_for(by, Problem, "add", problem.raised_by_unit_id):
            raise ForbiddenAction(_("您只能以自己负责的单位的名义提出问题。"))
        if problem.report_id:
            report = problem.report
            problem.project = problem.project or report.project
            problem.target = problem.target or report.target
        problem.raised_by = by if getattr(by, "is_authenticated", False) else None
        problem.status = ProblemStatus.RAISED
        problem.level = ProblemLevel.PERSON
        problem.number = _next_problem_number((problem.raised_on or clock.today()).year)
        _full_clean(problem)
        problem.save()
        _step(
            problem,
            StepVerb.RAISED,
            by=by,
            from_status="",
            note=problem.title,
            on=problem.raised_on,
            unit=problem.raised_by_unit,
        )
        _notify_later(
            office_users,
            _("新问题待分派：{}").format(problem),
            body=_("{}提出，类别：{}。").format(problem.raised_by_unit, problem.get_category_display()),
            url=problem.get_absolute_url(),
            kind="dispatch.problem",
        )
    return problem


def assign_problem(
    problem: Problem, *, lead_unit, by, cohandlers=(), on: datetime.date | None = None, note: str = ""
):
    """Route a problem to a lead department and co-handling departments (RAISED → ASSIGNED; an
    ASSIGNED problem may be re-routed). Due dates are counted in working days."""
    with _acting_as(by), transaction.atomic():
        if not get_scope(by).is_office:
            raise ForbiddenAction(_("问题由领导小组办公室分派。"))
        lead = _resolve_unit(lead_unit, "lead_unit", _("牵头单位"))
        co_units = []
        for value in cohandlers or ():
            unit = _resolve_unit(value, "cohandlers", _("配合单位"))
            if unit.pk == lead.pk:
                raise ServiceError(
                    _("“{}”已是牵头单位，不能同时作为配合单位。").format(unit), field="cohandlers"
                )
            if unit not in co_units:
                co_units.append(unit)
        fresh = _problem_for_change(problem)
        if fresh.status not in (ProblemStatus.RAISED, ProblemStatus.ASSIGNED):
            raise ServiceError(
                _("问题已在“{}”状态，不能再分派。").format(fresh.get_status_display()), field="lead_unit"
            )
        on = on or clock.today()
        cal = WorkCalendar.load()
        previous = fresh.status
        fresh.lead_unit = lead
        fresh.status = ProblemStatus.ASSIGNED
        fresh.assigned_on = on
        fresh.due_on = cal.add(on, LEAD_REPLY_WORKDAYS)
        fresh.next_escalation_on = fresh.due_on
        _full_clean(fresh)
        fresh.save()
        co_due = cal.add(on, COHANDLER_REPLY_WORKDAYS)
        keep = {u.pk for u in co_units}
        for old in ProblemCoHandler.objects.filter(problem=fresh).exclude(unit__in=keep):
            old.delete()
        existing = set(ProblemCoHandler.objects.filter(problem=fresh).values_list("unit_id", flat=True))
        for unit in co_units:
            if unit.pk not in existing:
                ProblemCoHandler.objects.create(problem=fresh, unit=unit, due_on=co_due)
        names = "、".join(str(u) for u in co_units) or _("无")
        _step(
            fresh,
            StepVerb.ASSIGNED,
            by=by,
            from_status=previous,
            on=on,
            note=(
                _("牵头：{}；配合：{}；牵头单位{}前答复，配合单位{}前答复。").format(
                    lead, names, fresh.due_on.isoformat(), co_due.isoformat()
                )
                + (f" {note}" if note else "")
            ),
        )
        _notify_later(
            _unit_people([lead]),
            _("请牵头办理：{}").format(fresh),
            body=_("请于{}前答复（{}个工作日）。").format(fresh.due_on.isoformat(), LEAD_REPLY_WORKDAYS),
            url=fresh.get_absolute_url(),
            kind="dispatch.problem",
            units=[lead],
        )
        if co_units:
            _notify_later(
                _unit_people(co_units),
                _("请配合办理：{}").format(fresh),
                body=_("请于{}前提出会办意见（{}个工作日）。").format(
                    co_due.isoformat(), COHANDLER_REPLY_WORKDAYS
                ),
                url=fresh.get_absolute_url(),
                kind="dispatch.problem",
                units=co_units,
            )
    _refresh(problem, fresh, ("lead_unit", "status", "assigned_on", "due_on", "next_escalation_on"))
    return fresh


def _require_lead(problem: Problem, by) -> None:
    if not acts_for(by, Problem, "change", problem.lead_unit_id):
        raise ForbiddenAction(_("只有牵头单位可以办理这个问题。"))


def start_problem(problem: Problem, *, by, on: datetime.date | None = None, note: str = "") -> Problem:
    """The lead department takes it up: ASSIGNED/REOPENED → IN_PROGRESS."""
    with _acting_as(by), transaction.atomic():
        fresh = _problem_for_change(problem)
        _require_lead(fresh, by)
        if fresh.status not in (ProblemStatus.ASSIGNED, ProblemStatus.REOPENED):
            raise ServiceError(_("问题在“{}”状态，不能开始办理。").format(fresh.get_status_display()))
        previous = fresh.status
        fresh.status = ProblemStatus.IN_PROGRESS
        fresh.save()
        _step(fresh, StepVerb.STARTED, by=by, from_status=previous, on=on, note=note, unit=fresh.lead_unit)
    _refresh(problem, fresh, ("status",))
    return fresh


def reply_problem(
    problem: Problem, *, unit, reply: str, by, on: datetime.date | None = None
) -> ProblemCoHandler:
    """A co-handling department gives its opinion (会办答复)."""
    reply = (reply or "").strip()
    if not reply:
        raise ServiceError(_("请填写会办意见。"), field="reply")
    with _acting_as(by), transaction.atomic():
        fresh = _problem_for_change(problem)
        unit = _resolve_unit(unit, "unit", _("配合单位"))
        co = ProblemCoHandler.objects.filter(problem=fresh, unit=unit).first()
        if co is None:
            raise ServiceError(_("“{}”不是这个问题的配合单位。").format(unit), field="unit")
        if not acts_for(by, Problem, "change", unit.pk):
            raise ForbiddenAction(_("只有配合单位“{}”可以答复。").format(unit))
        if fresh.status not in ACTIVE_PROBLEM_STATES:
            raise ServiceError(_("问题在“{}”状态，不再需要会办答复。").format(fresh.get_status_display()))
        co.reply = reply
        co.replied_on = on or clock.today()
        co.replied_by = by
        co.save()
        late = bool(co.due_on and co.replied_on > co.due_on)
        _step(
            fresh,
            StepVerb.REPLIED,
            by=by,
            from_status=fresh.status,
            on=co.replied_on,
            note=f"{unit}：{reply}" + (_("（超时答复）") if late else ""),
            unit=unit,
        )
        _notify_later(
            _unit_people([fresh.lead_unit]),
            _("配合单位已答复：{}").format(fresh),
            body=f"{unit}：{reply}",
            url=fresh.get_absolute_url(),
            kind="dispatch.problem",
            email=False,
        )
    return co


def resolve_problem(problem: Problem, *, resolution: str, by, on: datetime.date | None = None) -> Problem:
    """The lead department answers: IN_PROGRESS → RESOLVED; the raising unit then confirms."""
    resolution = (resolution or "").strip()
    if not resolution:
        raise ServiceError(_("请填写办理结果。"), field="resolution")
    with _acting_as(by), transaction.atomic():
        fresh = _problem_for_change(problem)
        _require_lead(fresh, by)
        if fresh.status != ProblemStatus.IN_PROGRESS:
            raise ServiceError(
                _("问题在“{}”状态，须先“开始办理”才能办结。").format(fresh.get_status_display())
            )
        on = on or clock.today()
        fresh.status = ProblemStatus.RESOLVED
        fresh.resolution = resolution
        fresh.resolved_on = on
        fresh.save()
        late = bool(fresh.due_on and on > fresh.due_on)
        _step(
            fresh,
            StepVerb.RESOLVED,
            by=by,
            from_status=ProblemStatus.IN_PROGRESS,
            on=on,
            note=resolution + (_("（超过答复时限）") if late else ""),
            unit=fresh.lead_unit,
        )
        _notify_later(
            _unit_people([fresh.raised_by_unit]),
            _("问题已办结，请确认销号：{}").format(fresh),
            body=resolution,
            url=fresh.get_absolute_url(),
            kind="dispatch.problem",
        )
    _refresh(problem, fresh, ("status", "resolution", "resolved_on"))
    return fresh


def _require_raiser(problem: Problem, by) -> None:
    if not (get_scope(by).is_office if by else False) and not acts_for(
        by, Problem, "change", problem.raised_by_unit_id
    ):
        raise ForbiddenAction(_("只有提出单位或领导小组办公室可以确认或重新打开这个问题。"))


def confirm_problem(problem: Problem, *, by, on: datetime.date | None = None, note: str = "") -> Problem:
    """The raising unit is satisfied: RESOLVED → CONFIRMED (销号)."""
    with _acting_as(by), transaction.atomic():
        fresh = _problem_for_change(problem)
        _require_raiser(fresh, by)
        if fresh.status != ProblemStatus.RESOLVED:
            raise ServiceError(
                _("只有已办结的问题才能销号，这个问题在“{}”状态。").format(fresh.get_status_display())
            )
        on = on or clock.today()
        fresh.status = ProblemStatus.CONFIRMED
        fresh.confirmed_on = on
        fresh.save()
        _step(fresh, StepVerb.CONFIRMED, by=by, from_status=ProblemStatus.RESOLVED, on=on, note=note)
    _refresh(problem, fresh, ("status", "confirmed_on"))
    return fresh


def reopen_problem(problem: Problem, *, reason: str, by, on: datetime.date | None = None) -> Problem:
    """Not solved after all: RESOLVED → REOPENED, or CONFIRMED → REOPENED within 30 days. The lead
    department gets a new time limit."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("请填写重新办理的原因。"), field="reason")
    with _acting_as(by), transaction.atomic():
        fresh = _problem_for_change(problem)
        _require_raiser(fresh, by)
        on = on or clock.today()
        if fresh.status == ProblemStatus.CONFIRMED:
            if fresh.confirmed_on and (on - fresh.confirmed_on).days > REOPEN_WITHIN_DAYS:
                raise ServiceError(
                    _("问题已于{}销号，超过{}天不能再重新打开；如问题再次出现，请提出新问题。").format(
                        fresh.confirmed_on.isoformat(), REOPEN_WITHIN_DAYS
                    )
                )
        elif fresh.status != ProblemStatus.RESOLVED:
            raise ServiceError(
                _("只有已办结或已销号的问题才能重新办理，这个问题在“{}”状态。").format(
                    fresh.get_status_display()
                )
            )
        previous = fresh.status
        cal = WorkCalendar.load()
        fresh.status = ProblemStatus.REOPENED
        fresh.reopened_count += 1
        fresh.due_on = cal.add(on, LEAD_REPLY_WORKDAYS)
        fresh.next_escalation_on = fresh.due_on
        fresh.confirmed_on = None
        fresh.save()
        _step(fresh, StepVerb.REOPENED, by=by, from_status=previous, on=on, note=reason)
        _notify_later(
            _unit_people([fresh.lead_unit]),
            _("问题重新办理：{}").format(fresh),
            body=_("原因：{}。请于{}前答复。").format(reason, fresh.due_on.isoformat()),
            url=fresh.get_absolute_url(),
            level=NotificationLevel.WARNING,
            kind="dispatch.problem",
            units=[fresh.lead_unit],
        )
    _refresh(problem, fresh, ("status", "reopened_count", "due_on", "next_escalation_on", "confirmed_on"))
    return fresh


def escalation_recipients(problem: Problem, level: int) -> list[User]:
    """Who a problem goes to at ``level``: the lead unit's head (2); the chain leader of the
    project's chain, or the project's responsible leader, or the district leaders (3); the office
    and the principal leaders, as a supervision order (4)."""
    if level <= ProblemLevel.UNIT_HEAD:
        people = users_with_roles([problem.lead_unit or problem.raised_by_unit], [Role.UNIT_HEAD])
        return people or office_users()
    if level == ProblemLevel.LEADER:
        from chainlead.chains.choices import ChainRoleKind
        from chainlead.chains.models import ChainRole

        project = problem.project
        people: list[User] = []
        if project is not None and project.chain_id:
            people = [
                r.user
                for r in ChainRole.objects.filter(
                    chain_id=project.chain_id,
                    kind__in=[ChainRoleKind.CHAIN_LEADER, ChainRoleKind.DEPUTY_CHAIN_LEADER],
                    user__isnull=False,
                    user__is_active=True,
                ).select_related("user")
            ]
        item = problem.project or problem.target
        if not people and item is not None and item.responsible_leader:
            people = list(User.objects.filter(is_active=True, name=item.responsible_leader))
        if not people:
            people = list(
                User.objects.filter(
                    is_active=True, grants__role__in=[Role.LEADER, Role.CHAIN_LEADER]
                ).distinct()
            )
        return people
    principal = list(User.objects.filter(is_active=True, grants__role=Role.LEADER).distinct())
    return list({u.pk: u for u in [*office_users(), *principal]}.values())


def _supervision_number(year: int) -> str:
    count = (
        Problem.objects.filter(level=ProblemLevel.PRINCIPAL, escalated_on__year=year)
        .exclude(supervision_no="")
        .count()
    )
    return _("督办〔{}〕{}号").format(year, count + 1)


def escalate_problem(
    problem: Problem, *, by=None, on: datetime.date | None = None, reason: str = ""
) -> Problem:
    """Move an open problem one level up the ladder (automatically when overdue, or by the office).
    Level 4 is a supervision order (督办) with a number."""
    with _acting_as(by), transaction.atomic():
        if by is not None and not get_scope(by).is_office:
            raise ForbiddenAction(_("只有领导小组办公室可以手动升级问题。"))
        fresh = _problem_for_change(problem)
        if fresh.status not in ACTIVE_PROBLEM_STATES:
            raise ServiceError(_("问题在“{}”状态，不需要升级。").format(fresh.get_status_display()))
        if fresh.level >= ProblemLevel.PRINCIPAL:
            raise ServiceError(_("问题已是主要领导督办，不能再升级。"))
        on = on or clock.today()
        cal = WorkCalendar.load()
        previous_level = fresh.level
        fresh.level = previous_level + 1
        fresh.escalated_on = on
        fresh.next_escalation_on = cal.add(on, ESCALATION_WORKDAYS)
        if fresh.level == ProblemLevel.PRINCIPAL and not fresh.supervision_no:
            fresh.supervision_no = _supervision_number(on.year)
        fresh.save()
        overdue_days = cal.between(fresh.due_on, on) if fresh.due_on and fresh.due_on < on else 0
        why = reason or (
            _("超过答复时限 {} 个工作日，自动升级。").format(overdue_days)
            if overdue_days
            else _("升级协调。")
        )
        level_label = ProblemLevel(fresh.level).label
        note = _("{} → {}：{}").format(ProblemLevel(previous_level).label, level_label, why)
        if fresh.level == ProblemLevel.PRINCIPAL:
            note += _("（{}）").format(fresh.supervision_no)
        _step(
            fresh,
            StepVerb.ESCALATED,
            by=by,
            from_status=fresh.status,
            on=on,
            note=note,
            unit=getattr(by, "unit", None),
        )
        recipients = escalation_recipients(fresh, fresh.level)
        title = (
            _("督办：{}（{}）").format(fresh, fresh.supervision_no)
            if fresh.level == ProblemLevel.PRINCIPAL
            else _("问题升级至{}：{}").format(level_label, fresh)
        )
        _notify_later(
            list(recipients) + list(users_with_roles([fresh.lead_unit], [Role.UNIT_HEAD])),
            title,
            body=why,
            url=fresh.get_absolute_url(),
            level=NotificationLevel.DANGER,
            kind="dispatch.escalated",
            units=[fresh.lead_unit] if fresh.lead_unit_id else [],
        )
    _refresh(problem, fresh, ("level", "escalated_on", "next_escalation_on", "supervision_no"))
    return fresh


def comment_problem(problem: Problem, *, note: str, by, on: datetime.date | None = None) -> ProblemStep:
    """A leader's instruction (批示) or the office's remark; the lead unit is told."""
    note = (note or "").strip()
    if not note:
        raise ServiceError(_("请填写批示或意见。"), field="note")
    with _acting_as(by), transaction.atomic():
        scope = get_scope(by) if by else None
        if scope is None or not (
            scope.is_oversight
            or acts_for(by, Problem, "change", problem.lead_unit_id)
            or acts_for(by, Problem, "change", problem.raised_by_unit_id)
        ):
            raise ForbiddenAction(_("您不能对这个问题发表批示或意见。"))
        fresh = _problem_for_change(problem)
        step = _step(fresh, StepVerb.COMMENTED, by=by, from_status=fresh.status, on=on, note=note)
        if fresh.lead_unit_id:
            _notify_later(
                _unit_people([fresh.lead_unit]),
                _("{}对问题作出批示：{}").format(by, fresh),
                body=note,
                url=fresh.get_absolute_url(),
                kind="dispatch.problem",
            )
    return step


def overdue_problems(today: datetime.date | None = None):
    today = today or clock.today()
    return Problem.objects.filter(status__in=list(ACTIVE_PROBLEM_STATES), due_on__lt=today)


def escalate_overdue(today: datetime.date | None = None) -> int:
    """Escalate every active problem whose next escalation check has passed (one level per run)."""
    today = today or clock.today()
    count = 0
    for problem in Problem.objects.filter(
        status__in=list(ACTIVE_PROBLEM_STATES),
        next_escalation_on__lt=today,
        level__lt=ProblemLevel.PRINCIPAL,
    ).order_by("pk"):
        escalate_problem(problem, by=None, on=today)
        count += 1
    return count


# ================================================================================================
# factor requests (要素保障)
# ================================================================================================
def factor_status(requested: Decimal, granted: Decimal | None) -> str:
    if granted is None:
        return FactorStatus.PENDING
    if granted <= 0:
        return FactorStatus.DECLINED
    if granted < requested:
        return FactorStatus.PARTIAL
    return FactorStatus.GRANTED


def grant_factor(
    request: FactorRequest, *, amount, by, on: datetime.date | None = None, reply: str = ""
) -> FactorRequest:
    """The department records what it granted (0 = declined, with the reason in ``reply``)."""
    try:
        amount = Decimal(str(amount))
    except Exception:
        raise ServiceError(_("保障数量“{}”不是有效的数字。").format(amount), field="amount_granted")
    if amount < 0:
        raise ServiceError(_("保障数量不能为负数。"), field="amount_granted")
    on = on or clock.today()
    if on > clock.today():
        raise ServiceError(_("保障日期不能晚于今天。"), field="granted_on")
    with _acting_as(by), transaction.atomic():
        fresh = FactorRequest.objects.select_for_update().get(pk=request.pk)
        if not (get_scope(by).is_office if by else False) and not acts_for(
            by, FactorRequest, "change", fresh.department_id
        ):
            raise ForbiddenAction(
                _("只有保障部门“{}”或领导小组办公室可以登记保障情况。").format(fresh.department)
            )
        if on < fresh.requested_on:
            raise ServiceError(_("保障日期不能早于申请日期。"), field="granted_on")
        if amount == 0 and not reply.strip():
            raise ServiceError(_("未予保障时请说明原因。"), field="reply")
        fresh.amount_granted = amount
        fresh.granted_on = on
        fresh.reply = reply.strip()
        fresh.status = factor_status(fresh.amount_requested, amount)
        _full_clean(fresh)
        fresh.save()
        record_event(
            fresh,
            "granted",
            by=by,
            message=_("{}：申请{}，保障{}{}。").format(
                fresh.get_kind_display(), _wan(fresh.amount_requested), _wan(amount), fresh.measure
            ),
            data={"status": fresh.status, "amount": str(amount)},
        )
        _notify_later(
            _unit_people([fresh.project.responsible_unit]),
            _("要素保障{}：{}").format(fresh.get_status_display(), fresh),
            body=fresh.reply,
            url=fresh.get_absolute_url(),
            kind="dispatch.factor",
            email=False,
        )
    _refresh(request, fresh, ("amount_granted", "granted_on", "reply", "status"))
    return fresh


ROLLUP_GROUPS = {
    "chain": ("project__chain", "project__chain__name"),
    "zone": ("project__area", "project__area__name"),
    "department": ("department", "department__name"),
}


def factor_rollup(queryset, by: str) -> list[dict]:
    """Totals of factor requests grouped by chain, zone (the project's area) or department, with
    requested/granted amounts and counts per kind. One query."""
    key, label = ROLLUP_GROUPS[by]
    rows: dict = {}
    for row in (
        queryset.order_by()
        .values(key, label, "kind")
        .annotate(
            n=Count("pk"),
            requested=Coalesce(Sum("amount_requested"), ZERO_SUM),
            granted=Coalesce(Sum("amount_granted"), ZERO_SUM),
            pending=Count("pk", filter=Q(status=FactorStatus.PENDING)),
        )
    ):
        group = rows.setdefault(
            row[key],
            {"key": row[key], "label": row[label] or _("（未指定）"), "kinds": {}, "n": 0, "pending": 0},
        )
        group["kinds"][row["kind"]] = {
            "n": row["n"],
            "requested": Decimal(row["requested"]).quantize(CENT),
            "granted": Decimal(row["granted"]).quantize(CENT),
        }
        group["n"] += row["n"]
        group["pending"] += row["pending"]
    return sorted(rows.values(), key=lambda g: (-g["n"], str(g["label"])))


# ================================================================================================
# meetings and decisions
# ================================================================================================
def previous_meeting(meeting: DispatchMeeting) -> DispatchMeeting | None:
    """The meeting before this one (by date, then by creation for meetings on the same day)."""
    earlier = Q(held_on__lt=meeting.held_on)
    if meeting.pk is not None:
        earlier |= Q(held_on=meeting.held_on, pk__lt=meeting.pk)
    else:
        earlier |= Q(held_on=meeting.held_on)
    qs = DispatchMeeting.objects.filter(earlier)
    if meeting.pk is not None:
        qs = qs.exclude(pk=meeting.pk)
    return qs.order_by("-held_on", "-pk").first()


def _require_office(by, message: str) -> None:
    if by is None or not get_scope(by).is_office:
        raise ForbiddenAction(message)


def prepare_agenda(meeting: DispatchMeeting, *, by, limit: int = 15) -> DispatchMeeting:
    """Build the agenda: the previous meeting's open decisions, the lagging projects of the period
    reviewed, overdue problems and overdue attack targets (stored on the meeting)."""
    from chainlead.dispatch import queries

    with _acting_as(by), transaction.atomic():
        _require_office(by, _("调度会议程由领导小组办公室生成。"))
        fresh = DispatchMeeting.objects.select_for_update().get(pk=meeting.pk)
        if fresh.status == MeetingStatus.HELD:
            raise ServiceError(_("会议已召开，议程不再重新生成。"))
        fresh.previous = previous_meeting(fresh)
        period = fresh.period or latest_due_period(ItemKind.PROJECT, fresh.held_on)
        if fresh.period is None and period is not None:
            fresh.period = period
        fresh.agenda_built_at = timezone.now()
        fresh.save()
        lagging = queries.lagging_projects(period, limit=limit) if period else []
        fresh.projects.set([row.project for row in lagging])
        fresh.problems.set(
            list(
                Problem.objects.filter(
                    Q(status__in=list(ACTIVE_PROBLEM_STATES), due_on__lt=fresh.held_on)
                    | Q(level__gte=ProblemLevel.LEADER, status__in=list(ACTIVE_PROBLEM_STATES))
                ).order_by("-level", "due_on")[: limit * 2]
            )
        )
        from chainlead.targets.models import AttackTarget
        from chainlead.targets.queries import overdue_q

        fresh.targets.set(
            list(AttackTarget.objects.filter(overdue_q(fresh.held_on)).order_by("deadline")[:limit])
        )
        record_event(
            fresh,
            "agenda_built",
            by=by,
            message=_("滞后项目 {} 个，超期问题 {} 个。").format(len(lagging), fresh.problems.count()),
        )
    _refresh(meeting, fresh, ("previous", "period", "agenda_built_at"))
    return fresh


def add_decision(decision: Decision, *, by) -> Decision:
    """Record a decision (议定事项) of a meeting, numbered after the meeting's last one."""
    with _acting_as(by), transaction.atomic():
        _require_office(by, _("议定事项由领导小组办公室记录。"))
        if decision.meeting_id is None:
            raise ServiceError(_("请选择调度会。"), field="meeting")
        last = Decision.objects.filter(meeting_id=decision.meeting_id).aggregate(m=Max("number"))["m"] or 0
        if decision.pk is None:
            decision.number = last + 1
            decision.status = DecisionStatus.OPEN
        _full_clean(decision)
        decision.save()
        _notify_later(
            _unit_people([decision.owner_unit]),
            _("调度会议定事项：{}").format(decision),
            body=_("请于{}前落实。").format(decision.deadline.isoformat()),
            url=decision.get_absolute_url(),
            kind="dispatch.decision",
            units=[decision.owner_unit],
        )
    return decision


def _require_decision_owner(decision: Decision, by) -> None:
    _require(Decision, decision, by, "change", _("只有责任单位或领导小组办公室可以更新议定事项的落实情况。"))


def update_decision(decision: Decision, *, progress: str, by) -> Decision:
    """The owner unit reports how the decision is going (落实情况)."""
    progress = (progress or "").strip()
    if not progress:
        raise ServiceError(_("请填写落实情况。"), field="progress")
    with _acting_as(by), transaction.atomic():
        _require_decision_owner(decision, by)
        fresh = Decision.objects.select_for_update().get(pk=decision.pk)
        _check_version(decision, fresh)
        if fresh.status != DecisionStatus.OPEN:
            raise ServiceError(_("该事项已是“{}”，不再更新。").format(fresh.get_status_display()))
        fresh.progress = progress
        fresh.save()
        record_event(fresh, "decision_progress", by=by, message=progress)
    _refresh(decision, fresh, ("progress",))
    return fresh


def complete_decision(
    decision: Decision, *, by, on: datetime.date | None = None, progress: str = ""
) -> Decision:
    """The decision is done (OPEN → DONE)."""
    with _acting_as(by), transaction.atomic():
        _require_decision_owner(decision, by)
        fresh = Decision.objects.select_for_update().get(pk=decision.pk)
        if fresh.status != DecisionStatus.OPEN:
            raise ServiceError(_("该事项已是“{}”。").format(fresh.get_status_display()))
        on = on or clock.today()
        if on > clock.today():
            raise ServiceError(_("完成日期不能晚于今天。"), field="done_on")
        fresh.status = DecisionStatus.DONE
        fresh.done_on = on
        if progress.strip():
            fresh.progress = progress.strip()
        fresh.save()
        record_event(
            fresh,
            "decision_done",
            by=by,
            message=fresh.progress,
            data={"late": on > fresh.deadline, "done_on": on.isoformat()},
        )
    _refresh(decision, fresh, ("status", "done_on", "progress"))
    return fresh


def hold_meeting(
    meeting: DispatchMeeting,
    *,
    by,
    reviews: dict | None = None,
    deadlines: dict | None = None,
    minutes: str | None = None,
) -> DispatchMeeting:
    """Hold the meeting. It opens with the previous meeting's decisions: each still open one must be
    reviewed as done, carried over (a new decision of this meeting, ``carried_from`` the old one,
    with the same owner and a new deadline if given) or cancelled."""
    reviews = {int(k): v for k, v in (reviews or {}).items()}
    deadlines = {int(k): v for k, v in (deadlines or {}).items() if v}
    with _acting_as(by), transaction.atomic():
        _require_office(by, _("调度会由领导小组办公室组织。"))
        fresh = DispatchMeeting.objects.select_for_update().get(pk=meeting.pk)
        if fresh.status == MeetingStatus.HELD:
            raise ServiceError(_("会议已经召开过了。"))
        if fresh.held_on > clock.today():
            raise ServiceError(_("会议日期（{}）还没到。").format(fresh.held_on.isoformat()), field="held_on")
        fresh.previous = previous_meeting(fresh)
        open_before = (
            list(
                Decision.objects.filter(meeting=fresh.previous, status=DecisionStatus.OPEN).order_by("number")
            )
            if fresh.previous
            else []
        )
        missing = [d for d in open_before if d.pk not in reviews]
        if missing:
            raise ServiceError(
                _(
                    "会议首先要逐项听取上次会议议定事项的落实情况：第{}项还没有确认（已完成、转下次会议或撤销）。"
                ).format("、".join(str(d.number) for d in missing)),
                field="reviews",
            )
        number = Decision.objects.filter(meeting=fresh).aggregate(m=Max("number"))["m"] or 0
        carried = 0
        for old in open_before:
            verdict = reviews[old.pk]
            if verdict == DecisionStatus.DONE:
                old.status = DecisionStatus.DONE
                old.done_on = fresh.held_on
                old.save()
                record_event(old, "decision_done", by=by, message=_("经{}确认完成").format(fresh))
            elif verdict == DecisionStatus.CANCELLED:
                old.status = DecisionStatus.CANCELLED
                old.save()
            elif verdict == DecisionStatus.CARRIED:
                old.status = DecisionStatus.CARRIED
                old.save()
                number += 1
                deadline = deadlines.get(old.pk) or max(old.deadline, fresh.held_on)
                if isinstance(deadline, str):
                    deadline = datetime.date.fromisoformat(deadline)
                new = Decision(
                    meeting=fresh,
                    number=number,
                    content=old.content,
                    owner_unit=old.owner_unit,
                    deadline=deadline,
                    project=old.project,
                    progress=old.progress,
                    carried_from=old,
                )
                _full_clean(new)
                new.save()
                carried += 1
            else:
                raise ServiceError(
                    _("第{}项的落实情况“{}”无效。").format(old.number, verdict), field="reviews"
                )
        fresh.status = MeetingStatus.HELD
        if minutes is not None:
            fresh.minutes = minutes
        fresh.save()
        record_event(
            fresh,
            "meeting_held",
            by=by,
            message=_("听取上次会议议定事项 {} 项，转入本次会议 {} 项。").format(len(open_before), carried),
            data={"reviewed": len(open_before), "carried": carried},
        )
    _refresh(meeting, fresh, ("status", "previous", "minutes"))
    return fresh


def agenda(meeting: DispatchMeeting) -> dict:
    """The agenda as shown: 一、上次会议议定事项; 二、滞后项目; 三、超期问题; 四、逾期攻坚目标."""
    from chainlead.dispatch import queries

    previous = meeting.previous or (
        previous_meeting(meeting) if meeting.status != MeetingStatus.HELD else None
    )
    decisions = (
        list(
            Decision.objects.filter(meeting=previous)
            .select_related("owner_unit", "project")
            .prefetch_related("carried_to__meeting")
            .order_by("number")
        )
        if previous
        else []
    )
    projects = list(meeting.projects.all())
    figures = queries.project_progress(meeting.period, [p.pk for p in projects]) if meeting.period_id else {}
    lagging = [figures.get(p.pk) or queries.ProjectProgress(project=p) for p in projects]
    lagging.sort(key=lambda row: -(row.gap or 0))
    cal = WorkCalendar.load()
    problems = []
    for problem in meeting.problems.select_related("lead_unit", "project", "raised_by_unit"):
        overdue = (
            cal.between(problem.due_on, meeting.held_on)
            if problem.due_on and problem.due_on < meeting.held_on
            else 0
        )
        problems.append({"problem": problem, "overdue_workdays": overdue})
    return {
        "previous": previous,
        "previous_decisions": decisions,
        "lagging": lagging,
        "problems": problems,
        "targets": list(meeting.targets.select_related("battle_zone", "responsible_unit")),
    }


# ================================================================================================
# the daily run: periods, reminders, escalation
# ================================================================================================
def _missing_by_unit(period: Period) -> dict[int, list[ItemStatus]]:
    out: dict[int, list[ItemStatus]] = defaultdict(list)
    for status in period_items(period):
        if not status.submitted:
            out[status.unit_id].append(status)
    return out


def _item_names(statuses, limit: int = 8) -> str:
    names = [str(s.item) for s in statuses[:limit]]
    more = _("等{}项").format(len(statuses)) if len(statuses) > limit else ""
    return "、".join(names) + more


def send_reminders(today: datetime.date | None = None, cal: WorkCalendar | None = None) -> dict:
    """Reminders for the open periods: "即将截止" from ``remind_workdays`` working days before the
    deadline (once a day per unit), "已逾期" once per unit and period after it; co-handlers and
    decision owners past their time limit. In-app, by email and to the units' group robots."""
    today = today or clock.today()
    cal = cal or WorkCalendar.load()
    counts = {"due_soon": 0, "overdue": 0, "cohandler": 0, "decision": 0}
    units = {u.pk: u for u in Unit.objects.all()}
    for period in Period.objects.select_related("cycle").filter(
        status=PeriodStatus.OPEN, cycle__is_active=True
    ):
        due = _local_date(period.due_at)
        if today > due + datetime.timedelta(days=OVERDUE_REMINDER_DAYS):
            continue  # long past: the office follows it up from 填报情况, not by daily reminders
        if today > due:
            kind, key = "overdue", "dispatch:overdue:{}:{}"
        elif cal.between(today, due) <= period.cycle.remind_workdays:
            kind, key = "due_soon", "dispatch:due:{}:{}:" + today.isoformat()
        else:
            continue
        for unit_id, statuses in _missing_by_unit(period).items():
            unit = units.get(unit_id)
            if unit is None:
                continue
            roles = [Role.REPORTER, Role.UNIT_HEAD] if kind == "overdue" else [Role.REPORTER]
            people = users_with_roles([unit], roles, inherit=False) or users_with_roles(
                [unit], [Role.UNIT_HEAD]
            )
            label = period.label
            if kind == "overdue":
                title = _("{}已逾期：{}尚有{}项未报").format(label, unit, len(statuses))
                level = NotificationLevel.DANGER
            else:
                title = _("{}即将截止（{}）：{}尚有{}项未报").format(
                    label, timezone.localtime(period.due_at).strftime("%m月%d日 %H:%M"), unit, len(statuses)
                )
                level = NotificationLevel.WARNING
            created = notify(
                people,
                title,
                body=_item_names(statuses),
                url=reverse("dispatch:my_reports"),
                level=level,
                kind=f"dispatch.{kind}",
                dedupe_key=key.format(period.pk, unit_id),
                units=[unit],
            )
            counts[kind] += len(created)
    for co in ProblemCoHandler.objects.select_related("problem", "unit").filter(
        replied_on__isnull=True, due_on__lt=today, problem__status__in=list(ACTIVE_PROBLEM_STATES)
    ):
        created = notify(
            users_with_roles([co.unit], [Role.UNIT_HEAD, Role.REPORTER]),
            _("会办答复已超时：{}").format(co.problem),
            body=_("答复时限 {}，请尽快提出会办意见。").format(co.due_on.isoformat()),
            url=co.problem.get_absolute_url(),
            level=NotificationLevel.WARNING,
            kind="dispatch.cohandler",
            dedupe_key=f"dispatch:cohandler:{co.pk}",
            units=[co.unit],
        )
        counts["cohandler"] += len(created)
    for decision in Decision.objects.select_related("owner_unit", "meeting").filter(
        status=DecisionStatus.OPEN, deadline__lt=today
    ):
        created = notify(
            users_with_roles([decision.owner_unit], [Role.UNIT_HEAD, Role.REPORTER]),
            _("议定事项已超期：{}").format(decision),
            body=_("{}议定，完成时限 {}。").format(decision.meeting, decision.deadline.isoformat()),
            url=decision.get_absolute_url(),
            level=NotificationLevel.WARNING,
            kind="dispatch.decision",
            dedupe_key=f"dispatch:decision:{decision.pk}",
        )
        counts["decision"] += len(created)
    return counts


def run_daily(today: datetime.date | None = None) -> dict:
    """The 09:00 job: open the new periods, remind, escalate overdue problems. Reminders and
    escalation run on working days only (time limits are counted in working days)."""
    today = today or clock.today()
    created = ensure_periods(until=today)
    cal = WorkCalendar.load()
    result = {"periods": len(created), "escalated": 0}
    if cal.is_workday(today):
        result.update(send_reminders(today, cal))
        result["escalated"] = escalate_overdue(today)
    return result
