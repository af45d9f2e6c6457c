"""Pages of regular dispatch (调度): 填报 · 审核 · 填报情况 · 问题 · 要素保障 · 调度会 · 报告周期, the unit
page, and the standard pages of each model. Views are declarations plus thin handlers that call
``services``; permissions come from the generic views and are re-checked in the services."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chainlead.core import clock
from chainlead.core.exceptions import ConflictError, ServiceError
from chainlead.core.workdays import WorkCalendar
from chainlead.dispatch import charts, filtersets, forms, queries, services, tables
from chainlead.dispatch.choices import (
    ACTIVE_PROBLEM_STATES,
    EDITABLE_REPORT_STATES,
    OPEN_PROBLEM_STATES,
    DecisionStatus,
    FactorKind,
    ItemKind,
    MeetingStatus,
    PeriodStatus,
    ProblemLevel,
    ProblemStatus,
    ReportStatus,
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
from chainlead.organization.models import Unit
from chainlead.organization.permissions import get_scope
from chainlead.utilities import views as generic

REPORT_RELATED = ("period__cycle", "project", "target", "responsible_unit", "submitted_by", "reviewed_by")


class UserFormMixin:
    def get_form_kwargs(self, request, obj) -> dict:
        return {"user": request.user}


def _service_message(request, exc: ServiceError) -> None:
    messages.error(request, exc.message)


def _back(request, fallback: str) -> HttpResponseRedirect:
    candidate = request.POST.get("return_url") or request.GET.get("return_url")
    from django.utils.http import url_has_allowed_host_and_scheme

    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}):
        return redirect(candidate)
    return redirect(fallback)


def _events(model, obj, limit=20):
    """The object's audit events, newest first, each with a readable label."""
    from django.contrib.contenttypes.models import ContentType

    from chainlead.core.models import AuditEvent

    events = list(
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id=obj.pk
        ).order_by("-time", "-pk")[:limit]
    )
    for event in events:
        event.label = event.verb_label
        # The moment the step says it happened (a submission's time), else when it was recorded.
        when = (event.data or {}).get("at")
        event.when = datetime.datetime.fromisoformat(when) if when else event.time
    return events


# ================================================================================================
# cycles and periods
# ================================================================================================
class ReportingCycleListView(generic.ObjectListView):
    queryset = ReportingCycle.objects.all()
    filterset_class = filtersets.ReportingCycleFilterSet
    table_class = tables.ReportingCycleTable
    bulk_actions = ()


class ReportingCycleView(generic.ObjectDetailView):
    queryset = ReportingCycle.objects.all()

    def get_extra_context(self, request, obj):
        periods = list(obj.periods.select_related("cycle").order_by("-start")[:24])
        return {"periods": periods}


class ReportingCycleEditView(generic.ObjectEditView):
    queryset = ReportingCycle.objects.all()
    form_class = forms.ReportingCycleForm

    def get_initial(self, request):
        initial = super().get_initial(request)
        initial.setdefault("starts_on", clock.today().replace(month=1, day=1))
        return initial

    def save(self, request, form):
        cycle = form.save()
        if cycle.is_active:
            created = services.ensure_periods(cycles=[cycle])
            if created:
                messages.info(request, _("已生成 {} 个调度期。").format(len(created)))
        return cycle


class ReportingCycleDeleteView(generic.ObjectDeleteView):
    queryset = ReportingCycle.objects.all()


class PeriodListView(generic.ObjectListView):
    queryset = Period.objects.select_related("cycle")
    filterset_class = filtersets.PeriodFilterSet
    table_class = tables.PeriodTable
    bulk_actions = ()


class PeriodView(generic.ObjectDetailView):
    queryset = Period.objects.select_related("cycle", "closed_by")

    def get_extra_context(self, request, obj):
        units = _visible_units(request.user)
        summary = services.period_summary(obj, units=units)
        return {
            "summary": summary,
            "late": services.late_list(obj, units=units),
            "can_close": self.scope.has_perm(obj, "change"),
            "close_form": forms.ClosePeriodForm(),
            "rate_chart": charts.rate_chart(summary["rows"], obj),
            "chart_height": charts.rate_bar_height(summary["rows"]),
            "load_charts": True,
        }


class PeriodEditView(generic.ObjectEditView):
    queryset = Period.objects.all()
    form_class = forms.PeriodForm


class PeriodDeleteView(generic.ObjectDeleteView):
    queryset = Period.objects.all()


@login_required
@require_POST
def period_close(request, pk):
    period = get_object_or_404(Period.objects.restrict(request.user, "view"), pk=pk)
    try:
        if request.POST.get("action") == "reopen":
            services.reopen_period(period, by=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("{}已重新开放。").format(period.label))
        else:
            services.close_period(period, by=request.user)
            messages.success(request, _("{}已关闭，已审核的报告已锁定。").format(period.label))
    except ServiceError as exc:
        _service_message(request, exc)
    return redirect(period.get_absolute_url())


# ================================================================================================
# reports
# ================================================================================================
def _visible_units(user):
    """Unit ids whose reports the user may see (None = all)."""
    return get_scope(user).units_for(ProgressReport, "view")


class ProgressReportListView(generic.ObjectListView):
    queryset = ProgressReport.objects.select_related(*REPORT_RELATED)
    filterset_class = filtersets.ProgressReportFilterSet
    table_class = tables.ProgressReportTable
    bulk_actions = ()
    export_name = "进度报告"


class ProgressReportView(generic.ObjectDetailView):
    queryset = ProgressReport.objects.select_related(*REPORT_RELATED, "project__chain").prefetch_related(
        Prefetch("photos", queryset=ReportPhoto.objects.order_by("captured_at", "pk")),
        Prefetch("problems", queryset=Problem.objects.select_related("lead_unit")),
    )

    def get_extra_context(self, request, obj):
        scope = self.scope
        can_approve = scope.has_perm(obj, "approve")
        can_submit = scope.has_perm(obj, "submit")
        history = list(
            ProgressReport.objects.filter(
                Q(project_id=obj.project_id) if obj.project_id else Q(target_id=obj.target_id)
            )
            .select_related("period__cycle")
            .order_by("-period__start")[:12]
        )
        cap = services.investment_cap(obj.project) if obj.project_id else None
        events = _events(ProgressReport, obj)
        return {
            "photos": list(obj.photos.all()),
            "problems": list(obj.problems.all()),
            "history": history,
            "events": events,
            "cap": cap,
            "cap_changed": cap is not None and obj.project and cap != obj.project.total_investment,
            "can_edit": obj.is_editable and scope.has_perm(obj, "change"),
            "can_submit": obj.is_editable and can_submit,
            "can_review": obj.status == ReportStatus.SUBMITTED and can_approve,
            "can_correct": obj.status == ReportStatus.APPROVED and scope.is_office and obj.period.is_open,
            "can_raise": scope.can(Problem, "add") and scope.has_perm(obj, "change"),
            "return_form": forms.ReturnReportForm(),
            "approve_form": forms.ApproveReportForm(),
            "edit_url": reverse("dispatch:progressreport_edit", args=[obj.pk])
            if obj.is_editable and scope.has_perm(obj, "change")
            else None,
            "delete_url": reverse("dispatch:progressreport_delete", args=[obj.pk])
            if obj.status == ReportStatus.DRAFT and scope.has_perm(obj, "delete")
            else None,
        }


class ProgressReportEditView(generic.ObjectEditView):
    """The report form (phone first): save a draft, or save and submit in one go."""

    queryset = ProgressReport.objects.select_related(*REPORT_RELATED)
    form_class = forms.ProgressReportForm
    template_name = "dispatch/progressreport_edit.html"

    def get_form_kwargs(self, request, obj):
        return {"user": request.user, "submit": request.POST.get("action") == "submit"}

    def get(self, request, **kwargs):
        obj = self._object(request, kwargs)
        if obj.pk and not obj.is_editable:
            if obj.status in EDITABLE_REPORT_STATES:
                messages.error(request, _("{}已关闭，不能再填报或修改报告。").format(obj.period.label))
            elif obj.status in (ReportStatus.APPROVED, ReportStatus.LOCKED):
                messages.error(
                    request, _("该报告已审核通过，不能再修改。如需更正，请联系领导小组办公室退回。")
                )
            else:
                messages.error(request, _("该报告已提交、正在审核，不能修改；如需修改，请联系审核人退回。"))
            return redirect(obj.get_absolute_url())
        return self.render_form(request, self._form(request, obj), obj)

    def render_form(self, request, form, obj, status=200):
        if request.method == "POST" and form.errors and request.FILES:
            form.add_error(None, _("所选照片尚未保存，请改正后重新选择照片。"))
        explicit = request.POST.get("return_url") or request.GET.get("return_url") or ""
        from django.utils.http import url_has_allowed_host_and_scheme

        context = self.base_context(
            object=obj,
            form=form,
            is_new=obj.pk is None,
            return_url=explicit if url_has_allowed_host_and_scheme(explicit, {request.get_host()}) else "",
            cancel_url=self.return_url(request, obj if obj.pk else None),
            figures=services.compute_figures(obj) if obj.pk else None,
        )
        return render(request, self.template_name, context, status=status)

    def save(self, request, form):
        report = form.save(commit=False)
        services.save_report(
            report,
            by=request.user,
            ytd_completed=form.cleaned_data.get("ytd_completed"),
            photos=form.photo_uploads(),
            photo_times=form.photo_times(),
            remove_photos=form.removed_photos(),
        )
        if request.POST.get("action") == "submit":
            services.submit_report(report, by=request.user)
            self._submitted = report
        return report

    def return_url(self, request, obj=None):
        submitted = getattr(self, "_submitted", None)
        if submitted is not None and obj is not None:
            self._submitted = None
            late = _("（迟报）") if submitted.is_late else ""
            messages.info(request, _("已提交审核{}。").format(late))
        return super().return_url(request, obj)


class ProgressReportDeleteView(generic.ObjectDeleteView):
    queryset = ProgressReport.objects.select_related("period__cycle", "project", "target")

    def post(self, request, **kwargs):
        obj = self.get_object(request, "delete", **kwargs)
        if obj.status != ReportStatus.DRAFT:
            messages.error(request, _("只能删除草稿；已提交过的报告会留作记录。"))
            return redirect(obj.get_absolute_url())
        return super().post(request, **kwargs)


def _report_for(request, pk, action):
    report = get_object_or_404(ProgressReport.objects.restrict(request.user, "view"), pk=pk)
    if not get_scope(request.user).has_perm(report, action):
        raise PermissionDenied(_("您可以查看但不能处理这份报告。"))
    return report


def _opened_version(request, report) -> bool:
    """The workflow buttons carry the version of the report the user was looking at: acting on a
    report someone changed since is refused (services raise ``ConflictError``)."""
    version = request.POST.get("version", "")
    if not version.isdigit():
        messages.error(
            request,
            _("操作没有生效：页面缺少报告的版本号，无法确认您看到的是最新内容。请刷新页面后重试。"),
        )
        return False
    report.expect_version(int(version))
    return True


def _kept_input(label: str, text: str) -> str:
    text = (text or "").strip()
    return _("您填写的{}（尚未生效）：“{}”").format(label, text) if text else ""


@login_required
@require_POST
def report_submit(request, pk):
    report = _report_for(request, pk, "submit")
    if not _opened_version(request, report):
        return redirect(report.get_absolute_url())
    try:
        report = services.submit_report(report, by=request.user)
    except ConflictError as exc:
        messages.error(request, exc.message)
    except ServiceError as exc:
        _service_message(request, exc)
        if exc.field and report.is_editable:
            return redirect("dispatch:progressreport_edit", pk=report.pk)
    else:
        messages.success(request, _("已提交审核{}。").format(_("（迟报）") if report.is_late else ""))
    return redirect(report.get_absolute_url())


@login_required
@require_POST
def report_review(request, pk):
    """Approve (action=approve) or return (action=return, with a reason)."""
    report = _report_for(request, pk, "approve")
    action = request.POST.get("action")
    if not _opened_version(request, report):
        return _back(request, report.get_absolute_url())
    try:
        if action == "return":
            services.return_report(report, by=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("已退回：{}").format(report))
        else:
            services.approve_report(report, by=request.user, comment=request.POST.get("comment", ""))
            messages.success(request, _("已审核通过：{}").format(report))
    except ConflictError as exc:
        kept = (
            _kept_input(_("退回原因"), request.POST.get("reason", ""))
            if action == "return"
            else _kept_input(_("审核意见"), request.POST.get("comment", ""))
        )
        messages.error(request, exc.message + kept)
    except ServiceError as exc:
        _service_message(request, exc)
    return _back(request, report.get_absolute_url())


@login_required
def report_fill(request, period_pk, kind, item_pk):
    """One tap from 填报: open the item's report for the period (a new draft if there is none)."""
    period = get_object_or_404(Period.objects.select_related("cycle"), pk=period_pk)
    if kind == ItemKind.PROJECT:
        from chainlead.projects.models import KeyProject

        item = get_object_or_404(KeyProject.objects.restrict(request.user, "view"), pk=item_pk)
        kwargs = {"project": item}
    elif kind == ItemKind.TARGET:
        from chainlead.targets.models import AttackTarget

        item = get_object_or_404(AttackTarget.objects.restrict(request.user, "view"), pk=item_pk)
        kwargs = {"target": item}
    else:
        raise Http404
    try:
        report = services.start_report(period=period, by=request.user, **kwargs)
    except ServiceError as exc:
        _service_message(request, exc)
        return redirect("dispatch:my_reports")
    if report.is_editable and get_scope(request.user).has_perm(report, "change"):
        return redirect("dispatch:progressreport_edit", pk=report.pk)
    return redirect(report.get_absolute_url())


@login_required
def photo_file(request, pk):
    """A report photo, if the user may see the report."""
    photo = get_object_or_404(ReportPhoto.objects.restrict(request.user, "view"), pk=pk)
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError:
        raise Http404(_("文件不存在。"))
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _due_periods(today=None):
    """Open periods reporters are working on now: started, and not past due by more than a month
    (older open periods are the office's to follow up from 填报情况)."""
    today = today or clock.today()
    since = clock.now() - datetime.timedelta(days=services.OVERDUE_REMINDER_DAYS)
    return list(
        Period.objects.select_related("cycle")
        .filter(status=PeriodStatus.OPEN, cycle__is_active=True, start__lte=today, due_at__gte=since)
        .order_by("due_at")
    )


@login_required
def my_reports(request):
    """填报: what I must report now, item by item, one tap to fill (phone first)."""
    scope = get_scope(request.user)
    if not scope.can(ProgressReport, "add") and not scope.can(ProgressReport, "view"):
        raise PermissionDenied(_("您没有填报进度的权限。"))
    units = scope.units_for(ProgressReport, "add") if scope.can(ProgressReport, "add") else frozenset()
    office_wide = units is None
    if office_wide:
        # The office may report for any unit; its own list is the units it stands in for.
        units = {request.user.unit_id} if request.user.unit_id else set()
        units |= (
            set(Unit.objects.filter(path__startswith=request.user.unit.path).values_list("pk", flat=True))
            if request.user.unit_id
            else set()
        )
    now = clock.now()
    sections = []
    for period in _due_periods():
        statuses = services.period_items(period, units=units) if units else []
        if not statuses:
            continue
        pending = [s for s in statuses if not s.submitted]
        if not pending and now > period.due_at:
            continue
        statuses.sort(key=lambda s: (s.submitted, s.state != ReportStatus.RETURNED, str(s.item)))
        sections.append(
            {
                "period": period,
                "statuses": statuses,
                "pending": len(pending),
                "done": len(statuses) - len(pending),
                "overdue": now > period.due_at,
                "kind": period.cycle.item_kind,
            }
        )
    return render(
        request,
        "dispatch/my_reports.html",
        {
            "sections": sections,
            "office_wide": office_wide,
            "now": now,
            "can_add": scope.can(ProgressReport, "add"),
        },
    )


@login_required
def review(request):
    """审核: reports waiting for my review."""
    scope = get_scope(request.user)
    if not scope.can(ProgressReport, "view"):
        raise PermissionDenied(_("您没有查看进度报告的权限。"))
    can_approve = scope.can(ProgressReport, "approve")
    reports = (
        list(
            ProgressReport.objects.restrict(request.user, "approve")
            .filter(status=ReportStatus.SUBMITTED)
            .select_related(*REPORT_RELATED)
            .order_by("period__due_at", "submitted_at")
        )
        if can_approve
        else []
    )
    return render(
        request,
        "dispatch/review.html",
        {"reports": reports, "can_approve": can_approve, "return_form": forms.ReturnReportForm()},
    )


def _periods_for_select():
    return list(
        Period.objects.select_related("cycle")
        .filter(start__lte=clock.today())
        .order_by("cycle__item_kind", "-start")[:60]
    )


@login_required
def tracking(request):
    """填报情况: 填报率 per unit for a period, the late list, and each unit's data freshness."""
    scope = get_scope(request.user)
    if not scope.can(ProgressReport, "view"):
        raise PermissionDenied(_("您没有查看进度报告的权限。"))
    units = _visible_units(request.user)
    period = None
    if request.GET.get("period"):
        period = Period.objects.select_related("cycle").filter(pk=request.GET["period"]).first()
    period = (
        period or services.latest_due_period(ItemKind.PROJECT) or services.current_period(ItemKind.PROJECT)
    )
    summary = services.period_summary(period, units=units) if period else {"rows": [], "total": None}
    fresh = services.freshness(units=units)
    return render(
        request,
        "dispatch/tracking.html",
        {
            "period": period,
            "periods": _periods_for_select(),
            "summary": summary,
            "late": services.late_list(period, units=units) if period else [],
            "freshness": fresh,
            "rate_chart": charts.rate_chart(summary["rows"], period) if period else None,
            "chart_height": charts.rate_bar_height(summary["rows"]),
            "load_charts": True,
        },
    )


# ================================================================================================
# total investment changes
# ================================================================================================
class TotalInvestmentChangeListView(generic.ObjectListView):
    queryset = TotalInvestmentChange.objects.select_related("project")
    filterset_class = filtersets.TotalInvestmentChangeFilterSet
    table_class = tables.TotalInvestmentChangeTable
    bulk_actions = ()


class TotalInvestmentChangeView(generic.ObjectDetailView):
    queryset = TotalInvestmentChange.objects.select_related("project")


class TotalInvestmentChangeEditView(UserFormMixin, generic.ObjectEditView):
    queryset = TotalInvestmentChange.objects.all()
    form_class = forms.TotalInvestmentChangeForm

    def save(self, request, form):
        change = form.save(commit=False)
        if change.pk is None:
            return services.file_investment_change(change, by=request.user)
        change.full_clean()
        change.save()
        return change


class TotalInvestmentChangeDeleteView(generic.ObjectDeleteView):
    queryset = TotalInvestmentChange.objects.all()


# ================================================================================================
# problems
# ================================================================================================
PROBLEM_RELATED = ("raised_by_unit", "lead_unit", "project", "target", "report__period__cycle", "raised_by")


class ProblemListView(generic.ObjectListView):
    queryset = Problem.objects.select_related(*PROBLEM_RELATED)
    filterset_class = filtersets.ProblemFilterSet
    table_class = tables.ProblemTable
    template_name = "dispatch/problem_list.html"
    bulk_actions = ()
    export_name = "问题清单"

    def base_context(self, **extra):
        ctx = super().base_context(**extra)
        visible = Problem.objects.restrict(self.request.user, "view")
        today = clock.today()
        counts = visible.order_by().aggregate(
            raised=Count("pk", filter=Q(status=ProblemStatus.RAISED), distinct=True),
            active=Count("pk", filter=Q(status__in=list(ACTIVE_PROBLEM_STATES)), distinct=True),
            overdue=Count(
                "pk", filter=Q(status__in=list(ACTIVE_PROBLEM_STATES), due_on__lt=today), distinct=True
            ),
            resolved=Count("pk", filter=Q(status=ProblemStatus.RESOLVED), distinct=True),
            supervised=Count(
                "pk",
                filter=Q(level=ProblemLevel.PRINCIPAL, status__in=list(OPEN_PROBLEM_STATES)),
                distinct=True,
            ),
            confirmed=Count("pk", filter=Q(status=ProblemStatus.CONFIRMED), distinct=True),
        )
        ctx["problem_counts"] = counts
        return ctx


class ProblemView(generic.ObjectDetailView):
    queryset = Problem.objects.select_related(*PROBLEM_RELATED, "project__chain").prefetch_related(
        Prefetch("cohandlers", queryset=ProblemCoHandler.objects.select_related("unit", "replied_by")),
        Prefetch("steps", queryset=ProblemStep.objects.select_related("by", "unit").order_by("on", "pk")),
    )

    def get_extra_context(self, request, obj):
        user = request.user
        scope = self.scope
        status = obj.status
        is_lead = services.acts_for(user, Problem, "change", obj.lead_unit_id)
        is_raiser = scope.is_office or services.acts_for(user, Problem, "change", obj.raised_by_unit_id)
        cohandlers = list(obj.cohandlers.all())
        reply_units = [
            co.unit
            for co in cohandlers
            if status in ACTIVE_PROBLEM_STATES and services.acts_for(user, Problem, "change", co.unit_id)
        ]
        today = clock.today()
        reopen_ok = status == ProblemStatus.RESOLVED or (
            status == ProblemStatus.CONFIRMED
            and obj.confirmed_on
            and (today - obj.confirmed_on).days <= services.REOPEN_WITHIN_DAYS
        )
        overdue_days = queries.problem_overdue_workdays(obj, today) if obj.due_on else 0
        return {
            "cohandlers": cohandlers,
            "steps": list(obj.steps.all()),
            "overdue_days": overdue_days,
            "ladder": [(level, label, level <= obj.level) for level, label in ProblemLevel.choices],
            "can_assign": scope.is_office and status in (ProblemStatus.RAISED, ProblemStatus.ASSIGNED),
            "assign_form": forms.AssignProblemForm(
                initial={"lead_unit": obj.lead_unit_id, "cohandlers": [c.unit_id for c in cohandlers]}
            ),
            "can_start": is_lead and status in (ProblemStatus.ASSIGNED, ProblemStatus.REOPENED),
            "can_resolve": is_lead and status == ProblemStatus.IN_PROGRESS,
            "resolve_form": forms.ResolveProblemForm(),
            "reply_form": forms.ReplyProblemForm(units=reply_units) if reply_units else None,
            "can_confirm": is_raiser and status == ProblemStatus.RESOLVED,
            "can_reopen": is_raiser and reopen_ok,
            "reason_form": forms.ReasonForm(),
            "can_escalate": scope.is_office
            and status in ACTIVE_PROBLEM_STATES
            and obj.level < ProblemLevel.PRINCIPAL,
            "can_comment": scope.is_oversight or is_lead or is_raiser,
            "comment_form": forms.RequiredNoteForm(),
        }


class ProblemEditView(UserFormMixin, generic.ObjectEditView):
    """New: raise a problem. Existing: correct its wording (routing goes through the actions)."""

    queryset = Problem.objects.all()
    form_class = forms.ProblemForm

    def get_initial(self, request):
        initial = super().get_initial(request)
        report_id = request.GET.get("report")
        if report_id:
            report = ProgressReport.objects.restrict(request.user, "view").filter(pk=report_id).first()
            if report is not None:
                initial.update(
                    report=report.pk,
                    project=report.project_id,
                    target=report.target_id,
                    raised_by_unit=report.responsible_unit_id,
                    description=report.problems_text or report.coordination_requests,
                )
        return initial

    def save(self, request, form):
        problem = form.save(commit=False)
        if problem.pk is None:
            return services.create_problem(problem, by=request.user)
        problem.full_clean()
        problem.save()
        return problem


class ProblemDeleteView(generic.ObjectDeleteView):
    queryset = Problem.objects.all()


PROBLEM_ACTIONS = {"assign", "start", "reply", "resolve", "confirm", "reopen", "escalate", "comment"}


@login_required
@require_POST
def problem_action(request, pk, verb):
    """The buttons of a problem's page; each calls one service verb."""
    if verb not in PROBLEM_ACTIONS:
        raise Http404
    problem = get_object_or_404(Problem.objects.restrict(request.user, "view"), pk=pk)
    user = request.user
    done = {
        "assign": _("已分派。"),
        "start": _("已开始办理。"),
        "reply": _("会办意见已提交。"),
        "resolve": _("已办结，等待提出单位确认。"),
        "confirm": _("已确认销号。"),
        "reopen": _("已重新办理。"),
        "escalate": _("已升级。"),
        "comment": _("批示已记录。"),
    }[verb]
    try:
        if verb == "assign":
            form = forms.AssignProblemForm(request.POST)
            if not form.is_valid():
                raise ServiceError("；".join(m for errs in form.errors.values() for m in errs))
            services.assign_problem(
                problem,
                lead_unit=form.cleaned_data["lead_unit"],
                cohandlers=list(form.cleaned_data["cohandlers"]),
                by=user,
                note=form.cleaned_data.get("note", ""),
            )
        elif verb == "start":
            services.start_problem(problem, by=user, note=request.POST.get("note", ""))
        elif verb == "reply":
            services.reply_problem(
                problem, unit=request.POST.get("unit"), reply=request.POST.get("reply", ""), by=user
            )
        elif verb == "resolve":
            services.resolve_problem(problem, resolution=request.POST.get("resolution", ""), by=user)
        elif verb == "confirm":
            services.confirm_problem(problem, by=user, note=request.POST.get("note", ""))
        elif verb == "reopen":
            services.reopen_problem(problem, reason=request.POST.get("reason", ""), by=user)
        elif verb == "escalate":
            services.escalate_problem(problem, by=user, reason=request.POST.get("reason", ""))
        elif verb == "comment":
            services.comment_problem(problem, note=request.POST.get("note", ""), by=user)
    except ServiceError as exc:
        _service_message(request, exc)
    else:
        messages.success(request, done)
    return redirect(problem.get_absolute_url())


# ================================================================================================
# factor requests
# ================================================================================================
FACTOR_RELATED = ("project__chain", "project__area", "department")


class FactorRequestListView(generic.ObjectListView):
    queryset = FactorRequest.objects.select_related(*FACTOR_RELATED)
    filterset_class = filtersets.FactorRequestFilterSet
    table_class = tables.FactorRequestTable
    template_name = "dispatch/factorrequest_list.html"
    bulk_actions = ("bulk_delete",)


class FactorRequestView(generic.ObjectDetailView):
    queryset = FactorRequest.objects.select_related(*FACTOR_RELATED, "project__responsible_unit")

    def get_extra_context(self, request, obj):
        can_grant = self.scope.is_office or services.acts_for(
            request.user, FactorRequest, "change", obj.department_id
        )
        return {
            "can_grant": can_grant,
            "grant_form": forms.GrantFactorForm(
                initial={
                    "amount_granted": obj.amount_granted or obj.amount_requested,
                    "granted_on": clock.today(),
                }
            ),
        }


class FactorRequestEditView(UserFormMixin, generic.ObjectEditView):
    queryset = FactorRequest.objects.all()
    form_class = forms.FactorRequestForm


class FactorRequestDeleteView(generic.ObjectDeleteView):
    queryset = FactorRequest.objects.all()


class FactorRequestBulkDeleteView(generic.BulkDeleteView):
    queryset = FactorRequest.objects.all()


@login_required
@require_POST
def factor_grant(request, pk):
    factor = get_object_or_404(FactorRequest.objects.restrict(request.user, "view"), pk=pk)
    form = forms.GrantFactorForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(m for errs in form.errors.values() for m in errs))
        return redirect(factor.get_absolute_url())
    try:
        services.grant_factor(
            factor,
            amount=form.cleaned_data["amount_granted"],
            on=form.cleaned_data["granted_on"],
            reply=form.cleaned_data.get("reply", ""),
            by=request.user,
        )
    except ServiceError as exc:
        _service_message(request, exc)
    else:
        messages.success(request, _("已登记保障情况。"))
    return redirect(factor.get_absolute_url())


@login_required
def factor_rollup(request):
    """要素保障 roll-ups by chain, zone and department (the list's filters apply)."""
    scope = get_scope(request.user)
    if not scope.can(FactorRequest, "view"):
        raise PermissionDenied(_("您没有查看要素保障的权限。"))
    qs = FactorRequest.objects.restrict(request.user, "view")
    filterset = filtersets.FactorRequestFilterSet(request.GET or None, queryset=qs, request=request)
    if filterset.is_bound and filterset.is_valid():
        qs = filterset.qs
    kinds = list(FactorKind.choices)
    groups = {by: services.factor_rollup(qs, by) for by in ("chain", "zone", "department")}
    totals = services.factor_rollup(qs.annotate(), "department")
    by_kind = {}
    for group in totals:
        for kind, row in group["kinds"].items():
            agg = by_kind.setdefault(kind, {"n": 0, "requested": 0, "granted": 0})
            agg["n"] += row["n"]
            agg["requested"] += row["requested"]
            agg["granted"] += row["granted"]
    from chainlead.dispatch.choices import FACTOR_UNITS

    return render(
        request,
        "dispatch/factor_rollup.html",
        {
            "filterset": filterset,
            "kinds": [(k, label, FACTOR_UNITS[k]) for k, label in kinds],
            "groups": groups,
            "by_kind": by_kind,
            "group_labels": {"chain": _("按产业链"), "zone": _("按片区/战区"), "department": _("按保障部门")},
        },
    )


# ================================================================================================
# meetings and decisions
# ================================================================================================
class DispatchMeetingListView(generic.ObjectListView):
    queryset = DispatchMeeting.objects.all()
    filterset_class = filtersets.DispatchMeetingFilterSet
    table_class = tables.DispatchMeetingTable
    bulk_actions = ()

    def get_queryset(self, request):
        return DispatchMeeting.objects.annotate(
            decision_count=Count("decisions", distinct=True),
            open_count=Count("decisions", filter=Q(decisions__status=DecisionStatus.OPEN), distinct=True),
        )


class DispatchMeetingView(generic.ObjectDetailView):
    queryset = DispatchMeeting.objects.select_related("period__cycle", "previous")

    def get_extra_context(self, request, obj):
        decisions = list(
            obj.decisions.select_related("owner_unit", "project", "carried_from__meeting").order_by("number")
        )
        previous = obj.previous
        reviewed = (
            list(
                Decision.objects.filter(meeting=previous)
                .select_related("owner_unit")
                .prefetch_related("carried_to")
                .order_by("number")
            )
            if previous
            else []
        )
        return {
            "decisions": decisions,
            "reviewed": reviewed,
            "agenda_url": reverse("dispatch:meeting_agenda", args=[obj.pk]),
            "can_add_decision": self.scope.is_office,
        }


class DispatchMeetingEditView(generic.ObjectEditView):
    queryset = DispatchMeeting.objects.all()
    form_class = forms.DispatchMeetingForm

    def save(self, request, form):
        meeting = form.save(commit=False)
        if meeting.pk is None:
            meeting.previous = services.previous_meeting(meeting) if meeting.held_on else None
        meeting.full_clean()
        meeting.save()
        form.save_m2m()
        return meeting


class DispatchMeetingDeleteView(generic.ObjectDeleteView):
    queryset = DispatchMeeting.objects.all()


@login_required
def meeting_agenda(request, pk):
    """The agenda (GET), rebuilding it (POST action=build) and holding the meeting with the opening
    review of the previous meeting's decisions (POST action=hold)."""
    meeting = get_object_or_404(
        DispatchMeeting.objects.restrict(request.user, "view").select_related("period__cycle", "previous"),
        pk=pk,
    )
    scope = get_scope(request.user)
    previous = meeting.previous or services.previous_meeting(meeting)
    open_before = (
        list(
            Decision.objects.filter(meeting=previous, status=DecisionStatus.OPEN)
            .select_related("owner_unit")
            .order_by("number")
        )
        if previous and meeting.status == MeetingStatus.PLANNED
        else []
    )
    hold_form = forms.HoldMeetingForm(
        request.POST if request.POST.get("action") == "hold" else None,
        decisions=open_before,
        initial={"minutes": meeting.minutes},
    )
    if request.method == "POST":
        if not scope.is_office:
            raise PermissionDenied(_("调度会由领导小组办公室组织。"))
        try:
            if request.POST.get("action") == "build":
                services.prepare_agenda(meeting, by=request.user)
                messages.success(request, _("议程已生成。"))
                return redirect("dispatch:meeting_agenda", pk=meeting.pk)
            if request.POST.get("action") == "hold" and hold_form.is_valid():
                services.hold_meeting(
                    meeting,
                    by=request.user,
                    reviews=hold_form.reviews(),
                    deadlines=hold_form.deadlines(),
                    minutes=hold_form.cleaned_data.get("minutes") or None,
                )
                messages.success(request, _("会议已召开，上次会议议定事项已逐项确认。"))
                return redirect(meeting.get_absolute_url())
        except ServiceError as exc:
            if request.POST.get("action") == "hold":
                hold_form.add_error(None, exc.message)
            else:
                _service_message(request, exc)
    return render(
        request,
        "dispatch/meeting_agenda.html",
        {
            "object": meeting,
            "agenda": services.agenda(meeting),
            "share": queries.time_elapsed_share(meeting.period) if meeting.period_id else None,
            "hold_form": hold_form,
            "can_manage": scope.is_office and meeting.status == MeetingStatus.PLANNED,
        },
    )


class DecisionListView(generic.ObjectListView):
    queryset = Decision.objects.select_related("meeting", "owner_unit", "carried_from__meeting")
    filterset_class = filtersets.DecisionFilterSet
    table_class = tables.DecisionTable
    bulk_actions = ()
    export_name = "议定事项"


class DecisionView(generic.ObjectDetailView):
    queryset = Decision.objects.select_related("meeting", "owner_unit", "project", "carried_from__meeting")

    def get_extra_context(self, request, obj):
        chain = []
        node = obj.carried_from
        while node is not None and len(chain) < 10:
            chain.append(node)
            node = node.carried_from
        later = list(obj.carried_to.select_related("meeting"))
        events = _events(Decision, obj, 10)
        can_follow = obj.status == DecisionStatus.OPEN and self.scope.has_perm(obj, "change")
        return {
            "history_chain": chain,
            "carried_to": later,
            "events": events,
            "can_follow": can_follow,
            "complete_form": forms.CompleteDecisionForm(
                initial={"done_on": clock.today(), "progress": obj.progress}
            ),
        }


class DecisionEditView(UserFormMixin, generic.ObjectEditView):
    queryset = Decision.objects.all()
    form_class = forms.DecisionForm

    def save(self, request, form):
        decision = form.save(commit=False)
        if not form.is_office:
            return services.update_decision(decision, progress=form.cleaned_data["progress"], by=request.user)
        return services.add_decision(decision, by=request.user)


class DecisionDeleteView(generic.ObjectDeleteView):
    queryset = Decision.objects.all()


@login_required
@require_POST
def decision_complete(request, pk):
    decision = get_object_or_404(Decision.objects.restrict(request.user, "view"), pk=pk)
    form = forms.CompleteDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(m for errs in form.errors.values() for m in errs))
        return redirect(decision.get_absolute_url())
    try:
        services.complete_decision(
            decision,
            by=request.user,
            on=form.cleaned_data["done_on"],
            progress=form.cleaned_data.get("progress", ""),
        )
    except ServiceError as exc:
        _service_message(request, exc)
    else:
        messages.success(request, _("已标记完成。"))
    return _back(request, decision.get_absolute_url())


# ================================================================================================
# the unit page
# ================================================================================================
@login_required
def unit_page(request, pk):
    """Everything dispatch knows about one unit: its reports and late items, its data freshness,
    the problems it leads, co-handles or raised, its factor requests and its decisions."""
    scope = get_scope(request.user)
    if not scope.can(ProgressReport, "view"):
        raise PermissionDenied(_("您没有查看进度报告的权限。"))
    units = _visible_units(request.user)
    unit = get_object_or_404(Unit, pk=pk)
    if units is not None and unit.pk not in units:
        raise Http404
    subtree = list(Unit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))
    today = clock.today()
    now = clock.now()
    sections = []
    for period in _due_periods(today):
        if period.start > today:
            continue
        statuses = services.period_items(period, units=subtree)
        if statuses:
            pending = sum(1 for s in statuses if not s.submitted)
            sections.append(
                {
                    "period": period,
                    "statuses": statuses,
                    "overdue": now > period.due_at,
                    "pending": pending,
                    "submitted": len(statuses) - pending,
                }
            )
    fresh = services.freshness(units=subtree)
    own_fresh = services.FreshnessRow(
        unit=unit,
        last_submitted=max((f.last_submitted for f in fresh if f.last_submitted), default=None),
        last_approved=max((f.last_approved for f in fresh if f.last_approved), default=None),
        late_count=sum(f.late_count for f in fresh),
        missing_now=sum(f.missing_now for f in fresh),
    )
    late_reports = list(
        ProgressReport.objects.filter(
            responsible_unit__in=subtree, is_late=True, period__end__year=today.year
        )
        .select_related(*REPORT_RELATED)
        .order_by("-period__start")[:30]
    )
    problems = Problem.objects.select_related("lead_unit", "raised_by_unit", "project", "target")
    lead = list(problems.filter(lead_unit__in=subtree).order_by("-raised_on")[:30])
    co = list(problems.filter(cohandlers__unit__in=subtree).distinct().order_by("-raised_on")[:30])
    raised = list(problems.filter(raised_by_unit__in=subtree).order_by("-raised_on")[:30])
    factors = list(
        FactorRequest.objects.filter(Q(project__responsible_unit__in=subtree) | Q(department__in=subtree))
        .select_related("project", "department")
        .order_by("-requested_on")[:40]
    )
    decisions = list(
        Decision.objects.filter(owner_unit__in=subtree)
        .select_related("meeting", "owner_unit")
        .order_by("status", "deadline")[:40]
    )
    recent = list(
        ProgressReport.objects.filter(responsible_unit__in=subtree)
        .select_related(*REPORT_RELATED)
        .order_by("-period__start", "-pk")[:20]
    )
    cal = WorkCalendar.load()
    for p in lead + co + raised:
        p.overdue_workdays = cal.between(p.due_on, today) if p.is_overdue else 0
    return render(
        request,
        "dispatch/unit.html",
        {
            "unit": unit,
            "sections": sections,
            "fresh": own_fresh,
            "lead_open": sum(1 for p in lead if p.status in OPEN_PROBLEM_STATES),
            "freshness": fresh,
            "late_reports": late_reports,
            "lead": lead,
            "co": co,
            "raised": raised,
            "factors": factors,
            "decisions": decisions,
            "recent": recent,
            "now": now,
            "today": today,
        },
    )


@login_required
def unit_index(request):
    """The units whose dispatch page the user can open, with their freshness."""
    scope = get_scope(request.user)
    if not scope.can(ProgressReport, "view"):
        raise PermissionDenied(_("您没有查看进度报告的权限。"))
    units = _visible_units(request.user)
    rows = services.freshness(units=units)
    return render(request, "dispatch/unit_index.html", {"rows": rows})
