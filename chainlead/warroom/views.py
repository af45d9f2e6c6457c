"""Pages of the war room: templates, project plans (with their Gantt and baselines), plan nodes
and dependencies, baselines, the zone map upload, the portfolio Gantt, the project map (挂图) and
the three boards (作战三图). Views are declarations; the workflow verbs are in ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from chainlead.core import clock
from chainlead.core.exceptions import ServiceError
from chainlead.organization.models import Unit
from chainlead.organization.permissions import get_scope
from chainlead.projects.choices import Stage
from chainlead.projects.models import KeyProject
from chainlead.utilities import views as generic
from chainlead.utilities.views import model_url
from chainlead.warroom import boards, documents, filtersets, forms, gantt, mapdata, services, tables
from chainlead.warroom.choices import MapColoring, ScheduleStatus, TargetKind
from chainlead.warroom.models import (
    Baseline,
    BaselineImmutable,
    BaselineNode,
    ProjectSchedule,
    ScheduleDependency,
    ScheduleNode,
    ScheduleTemplate,
    TemplateDependency,
    TemplateNode,
    ZoneMap,
)

#: Above this many plans the portfolio .xlsx is written by a background job.
PORTFOLIO_SYNC_LIMIT = 200


def _form_message(form) -> str:
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        text = "；".join(str(e) for e in errors)
        parts.append(f"{label}：{text}" if label else text)
    return "；".join(parts)


class UserFormMixin:
    def get_form_kwargs(self, request, obj) -> dict:
        return {"user": request.user}


# --- templates --------------------------------------------------------------------------------------
class ScheduleTemplateListView(generic.ObjectListView):
    queryset = ScheduleTemplate.objects.annotate(node_count=Count("nodes"))
    filterset_class = filtersets.ScheduleTemplateFilterSet
    table_class = tables.ScheduleTemplateTable
    bulk_actions = ()


class ScheduleTemplateView(generic.ObjectDetailView):
    queryset = ScheduleTemplate.objects.all()

    def get_extra_context(self, request, obj):
        nodes = list(obj.nodes.select_related("owner_department").order_by("sort_order", "pk"))
        deps = list(obj.dependencies.select_related("predecessor", "successor"))
        preds: dict[int, list] = {}
        for d in deps:
            preds.setdefault(d.successor_id, []).append(d)
        for n in nodes:
            n.preds = preds.get(n.pk, [])
        approval = sum(n.duration_wd for n in nodes if n.is_approval)
        can_change = get_scope(request.user).has_perm(obj, "change")
        return {
            "nodes": nodes,
            "dependencies": deps,
            "approval_total": approval,
            "can_change": can_change,
            "schedule_count": obj.schedules.count(),
        }


class ScheduleTemplateEditView(generic.ObjectEditView):
    queryset = ScheduleTemplate.objects.all()
    form_class = forms.ScheduleTemplateForm


class ScheduleTemplateDeleteView(generic.ObjectDeleteView):
    queryset = ScheduleTemplate.objects.all()


class TemplateNodeListView(generic.ObjectListView):
    queryset = TemplateNode.objects.select_related("template", "owner_department")
    filterset_class = filtersets.TemplateNodeFilterSet
    table_class = tables.TemplateNodeTable
    bulk_actions = ()


class TemplateNodeView(generic.ObjectDetailView):
    queryset = TemplateNode.objects.select_related("template", "owner_department")


class TemplateNodeEditView(generic.ObjectEditView):
    queryset = TemplateNode.objects.all()
    form_class = forms.TemplateNodeForm


class TemplateNodeDeleteView(generic.ObjectDeleteView):
    queryset = TemplateNode.objects.all()


class TemplateDependencyListView(generic.ObjectListView):
    queryset = TemplateDependency.objects.select_related("template", "predecessor", "successor")
    filterset_class = filtersets.TemplateDependencyFilterSet
    table_class = tables.TemplateDependencyTable
    bulk_actions = ()


class TemplateDependencyView(generic.ObjectDetailView):
    queryset = TemplateDependency.objects.select_related("template", "predecessor", "successor")


class TemplateDependencyEditView(generic.ObjectEditView):
    queryset = TemplateDependency.objects.all()
    form_class = forms.TemplateDependencyForm

    def get_form_kwargs(self, request, obj):
        template = request.GET.get("template") or request.POST.get("template")
        return {"template": int(template) if template and template.isdigit() else None}


class TemplateDependencyDeleteView(generic.ObjectDeleteView):
    queryset = TemplateDependency.objects.all()


# --- project plans --------------------------------------------------------------------------------------
SCHEDULE_RELATED = ("project", "project__area", "project__responsible_unit", "template")


class ProjectScheduleListView(generic.ObjectListView):
    queryset = ProjectSchedule.objects.select_related(*SCHEDULE_RELATED)
    filterset_class = filtersets.ProjectScheduleFilterSet
    table_class = tables.ProjectScheduleTable
    template_name = "warroom/projectschedule_list.html"
    bulk_actions = ()


class ProjectScheduleView(generic.ObjectDetailView):
    queryset = ProjectSchedule.objects.select_related(*SCHEDULE_RELATED, "project__chain")

    def get_extra_context(self, request, obj):
        services.ensure_fresh([obj])
        nodes = list(
            obj.nodes.select_related("owner_department", "completed_by").order_by("sort_order", "pk")
        )
        deps = list(obj.dependencies.select_related("predecessor", "successor"))
        preds: dict[int, list] = {}
        for d in deps:
            preds.setdefault(d.successor_id, []).append(d)
        for n in nodes:
            n.preds = preds.get(n.pk, [])
        baselines = list(obj.baselines.select_related("approved_by").order_by("-number"))
        latest = baselines[0] if baselines else None
        obj._prefetched_objects_cache = {"nodes": nodes}
        rows = gantt.project_rows(obj, latest)
        scope = get_scope(request.user)
        can_change = scope.has_perm(obj, "change")
        can_approve = scope.has_perm(obj, "approve") and obj.status != ScheduleStatus.APPROVED
        node_units = ScheduleNode.objects.restrict(request.user, "change").filter(schedule=obj)
        changeable_nodes = set(node_units.values_list("pk", flat=True))
        for n in nodes:
            n.can_complete = n.pk in changeable_nodes
        return {
            "nodes": nodes,
            "dependencies": deps,
            "baselines": baselines,
            "latest_baseline": latest,
            "gantt": gantt.chart_data(rows, title=obj.project.name),
            "approval_warnings": services.approval_check(obj),
            "infeasible_message": services.infeasible_message(obj),
            "can_change": can_change,
            "can_approve": can_approve,
            "can_complete": bool(changeable_nodes),
            "complete_form": forms.CompleteNodeForm(),
            "approve_form": forms.ApproveForm(),
            "replan_form": forms.ReplanForm(
                initial={"target_kind": obj.target_kind, "target_date": obj.target_date}
            ),
            "today": clock.today(),
            "approval_pct": min(100, obj.approval_wd * 100 // max(services.approval_cap(obj), 1)),
        }


class ProjectScheduleEditView(UserFormMixin, generic.ObjectEditView):
    queryset = ProjectSchedule.objects.select_related("project")
    form_class = forms.ProjectScheduleForm
    template_name = "warroom/projectschedule_edit.html"

    def _form(self, request, obj, data=None, files=None):
        self.form_class = forms.ProjectScheduleForm if obj.pk is None else forms.ProjectScheduleEditForm
        return super()._form(request, obj, data, files)

    def get_initial(self, request):
        initial = super().get_initial(request)
        project = initial.get("project")
        if project and str(project).isdigit() and "target_date" not in initial:
            p = KeyProject.objects.filter(pk=project).first()
            if p is not None:
                if p.started_on and p.planned_production_on:
                    initial.update(target_kind=TargetKind.PRODUCTION, target_date=p.planned_production_on)
                elif p.planned_start_on:
                    initial.update(target_kind=TargetKind.START, target_date=p.planned_start_on)
        return initial

    def save(self, request, form):
        data = form.cleaned_data
        if form.instance.pk is None:
            return services.apply_template(
                data["project"],
                data["template"],
                target_kind=data["target_kind"],
                target_date=data["target_date"],
                by=request.user,
                comments=data.get("comments", ""),
            )
        return services.change_target(
            form.instance,
            target_kind=data["target_kind"],
            target_date=data["target_date"],
            by=request.user,
            reason=data.get("reason", ""),
            comments=data.get("comments", ""),
        )


class ProjectScheduleDeleteView(generic.ObjectDeleteView):
    queryset = ProjectSchedule.objects.select_related("project")


class _ScheduleAction(generic.BaseObjectView):
    """POST-only verbs on a plan: approve a baseline, re-plan, recompute."""

    queryset = ProjectSchedule.objects.select_related("project")
    action = "change"

    def post(self, request, pk):
        schedule = self.get_object(request, self.action, pk=pk)
        try:
            self.run(request, schedule)
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect(schedule.get_absolute_url() + self.anchor)

    anchor = ""

    def run(self, request, schedule):
        raise NotImplementedError


class ProjectScheduleApproveView(_ScheduleAction):
    action = "approve"

    def run(self, request, schedule):
        form = forms.ApproveForm(request.POST)
        if not form.is_valid():
            raise ServiceError(_form_message(form))
        baseline = services.approve_baseline(schedule, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("已批准为{}。此后以它判断各节点是否按期完成。").format(baseline))


class ProjectScheduleReplanView(_ScheduleAction):
    def run(self, request, schedule):
        form = forms.ReplanForm(request.POST)
        if not form.is_valid():
            raise ServiceError(_form_message(form))
        services.replan(
            schedule,
            by=request.user,
            reason=form.cleaned_data["reason"],
            target_kind=form.cleaned_data["target_kind"],
            target_date=form.cleaned_data["target_date"],
        )
        messages.success(request, _("计划已进入调整状态。调整完成后请重新批准为新的基线；原基线保持不变。"))


class ProjectScheduleRecomputeView(_ScheduleAction):
    action = "view"

    def run(self, request, schedule):
        services.recompute(schedule)
        messages.success(request, _("已按今天（{}）重新计算。").format(clock.today().isoformat()))


class ProjectScheduleGanttExportView(generic.BaseObjectView):
    """The plan's Gantt as an editable .xlsx."""

    queryset = ProjectSchedule.objects.select_related("project")

    def get(self, request, pk):
        schedule = self.get_object(request, "view", pk=pk)
        services.ensure_fresh([schedule])
        baseline = gantt.latest_baseline(schedule)
        schedule._prefetched_objects_cache = {
            "nodes": list(schedule.nodes.select_related("owner_department").order_by("sort_order", "pk"))
        }
        content = documents.project_gantt_xlsx(schedule, gantt.project_rows(schedule, baseline), baseline)
        return _xlsx_response(content, _("{}-甘特图.xlsx").format(schedule.project.name))


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response


# --- plan nodes and dependencies -----------------------------------------------------------------------------
class ScheduleNodeListView(generic.ObjectListView):
    queryset = ScheduleNode.objects.select_related("schedule__project", "owner_department").order_by(
        "due_on", "pk"
    )
    filterset_class = filtersets.ScheduleNodeFilterSet
    table_class = tables.ScheduleNodeTable
    bulk_actions = ()


class ScheduleNodeView(generic.ObjectDetailView):
    queryset = ScheduleNode.objects.select_related(
        "schedule__project", "owner_department", "completed_by", "template_node"
    )

    def get_extra_context(self, request, obj):
        can_change = get_scope(request.user).has_perm(obj, "change")
        return {
            "preds": list(obj.in_dependencies.select_related("predecessor")),
            "succs": list(obj.out_dependencies.select_related("successor")),
            "baseline_rows": list(
                BaselineNode.objects.filter(node=obj).select_related("baseline").order_by("-baseline__number")
            ),
            "can_change": can_change,
            "complete_form": forms.CompleteNodeForm(
                initial={"actual_start": obj.actual_start or obj.early_start, "actual_finish": clock.today()}
            )
            if can_change and not obj.actual_finish
            else None,
        }


class ScheduleNodeEditView(UserFormMixin, generic.ObjectEditView):
    queryset = ScheduleNode.objects.select_related("schedule")
    form_class = forms.ScheduleNodeForm

    def save(self, request, form):
        node = form.save()
        services.recompute(node.schedule)
        return node


class ScheduleNodeDeleteView(generic.ObjectDeleteView):
    queryset = ScheduleNode.objects.select_related("schedule")

    def post(self, request, **kwargs):
        node = self.get_object(request, "delete", **kwargs)
        if not node.schedule.is_editable:
            messages.error(request, _("计划已批准为基线，不能删除节点。请先“调整计划”。"))
            return redirect(node.get_absolute_url())
        schedule = node.schedule
        response = super().post(request, **kwargs)
        services.recompute(schedule)
        return response


class _NodeAction(generic.BaseObjectView):
    queryset = ScheduleNode.objects.select_related("schedule")

    def post(self, request, pk):
        node = self.get_object(request, "change", pk=pk)
        try:
            self.run(request, node)
        except ServiceError as exc:
            messages.error(request, exc.message)
        target = request.POST.get("return_url")
        return redirect(target if target and target.startswith("/") else node.schedule.get_absolute_url())


class ScheduleNodeCompleteView(_NodeAction):
    def run(self, request, node):
        form = forms.CompleteNodeForm(request.POST, request.FILES)
        if not form.is_valid():
            raise ServiceError(_form_message(form))
        data = form.cleaned_data
        fresh = services.complete_node(
            node,
            finished_on=data["actual_finish"],
            started_on=data.get("actual_start"),
            evidence=data.get("evidence"),
            note=data.get("note", ""),
            by=request.user,
        )
        messages.success(
            request,
            _("已填报“{}”于 {} 完成（{}）。").format(
                fresh.name, fresh.actual_finish, fresh.get_status_display()
            ),
        )


class ScheduleNodeStartView(_NodeAction):
    def run(self, request, node):
        form = forms.StartNodeForm(request.POST)
        if not form.is_valid():
            raise ServiceError(_form_message(form))
        services.start_node(node, started_on=form.cleaned_data["actual_start"], by=request.user)
        messages.success(request, _("已填报“{}”的实际开始日期。").format(node.name))


class ScheduleNodeReopenView(_NodeAction):
    def run(self, request, node):
        form = forms.ReopenNodeForm(request.POST)
        if not form.is_valid():
            raise ServiceError(_form_message(form))
        services.reopen_node(node, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("已撤销“{}”的完成填报。").format(node.name))


@login_required
def node_evidence(request, pk):
    """Download a node's evidence file, if the user may view the node."""
    node = get_object_or_404(ScheduleNode.objects.restrict(request.user, "view"), pk=pk)
    if not node.evidence:
        raise Http404(_("该节点没有上传佐证文件。"))
    try:
        handle = node.evidence.open("rb")
    except FileNotFoundError:
        raise Http404(_("文件不存在。"))
    return FileResponse(handle, filename=node.evidence.name.rsplit("/", 1)[-1])


class ScheduleDependencyListView(generic.ObjectListView):
    queryset = ScheduleDependency.objects.select_related("schedule__project", "predecessor", "successor")
    filterset_class = filtersets.ScheduleDependencyFilterSet
    table_class = tables.ScheduleDependencyTable
    bulk_actions = ()


class ScheduleDependencyView(generic.ObjectDetailView):
    queryset = ScheduleDependency.objects.select_related("schedule__project", "predecessor", "successor")


class ScheduleDependencyEditView(UserFormMixin, generic.ObjectEditView):
    queryset = ScheduleDependency.objects.select_related("schedule")
    form_class = forms.ScheduleDependencyForm

    def get_form_kwargs(self, request, obj):
        schedule = request.GET.get("schedule") or request.POST.get("schedule")
        return {"user": request.user, "schedule": int(schedule) if schedule and schedule.isdigit() else None}

    def save(self, request, form):
        dep = form.save()
        services.recompute(dep.schedule)
        return dep


class ScheduleDependencyDeleteView(generic.ObjectDeleteView):
    queryset = ScheduleDependency.objects.select_related("schedule")

    def post(self, request, **kwargs):
        dep = self.get_object(request, "delete", **kwargs)
        if not dep.schedule.is_editable:
            messages.error(request, _("计划已批准为基线，不能删除依赖关系。请先“调整计划”。"))
            return redirect(dep.schedule.get_absolute_url())
        schedule = dep.schedule
        response = super().post(request, **kwargs)
        services.recompute(schedule)
        return response


# --- baselines (read only) -------------------------------------------------------------------------------------
class BaselineListView(generic.ObjectListView):
    queryset = Baseline.objects.select_related("schedule__project", "approved_by")
    filterset_class = filtersets.BaselineFilterSet
    table_class = tables.BaselineTable
    bulk_actions = ()


class BaselineView(generic.ObjectDetailView):
    queryset = Baseline.objects.select_related("schedule__project", "approved_by")

    def get_extra_context(self, request, obj):
        return {"nodes": list(obj.nodes.order_by("sort_order", "pk"))}


class BaselineRefuseView(generic.BaseObjectView):
    """Edit and delete of a baseline: always refused, with the reason."""

    queryset = Baseline.objects.all()

    def get(self, request, pk):
        self.get_object(request, "view", pk=pk)
        raise PermissionDenied(BaselineImmutable().message)

    post = get


# --- zone maps ---------------------------------------------------------------------------------------------------
class ZoneMapListView(generic.ObjectListView):
    queryset = ZoneMap.objects.select_related("uploaded_by")
    filterset_class = filtersets.ZoneMapFilterSet
    table_class = tables.ZoneMapTable
    bulk_actions = ()


class ZoneMapView(generic.ObjectDetailView):
    queryset = ZoneMap.objects.select_related("uploaded_by")

    def get_extra_context(self, request, obj):
        units = {
            u.pk: u
            for u in Unit.objects.filter(pk__in=[f.get("unit_id") for f in obj.features if f.get("unit_id")])
        }
        for f in obj.features:
            f["unit"] = units.get(f.get("unit_id"))
        return {
            "geojson_url": reverse("warroom:zonemap_geojson", args=[obj.pk]),
            "map_config": mapdata.preview_config(obj),
        }


class ZoneMapEditView(generic.ObjectEditView):
    queryset = ZoneMap.objects.all()
    form_class = forms.ZoneMapForm

    def save(self, request, form):
        obj = form.save(commit=False)
        if form.cleaned_data.get("file") and "file" in form.changed_data:
            obj.uploaded_by = request.user
        obj.save()
        return obj


class ZoneMapDeleteView(generic.ObjectDeleteView):
    queryset = ZoneMap.objects.all()


@login_required
def zonemap_geojson(request, pk=None):
    """The GeoJSON of a zone map (the active one when no id is given), for the map page."""
    scope = get_scope(request.user)
    if not scope.can(ZoneMap, "view"):
        raise PermissionDenied(_("您没有查看区域地图的权限。"))
    qs = ZoneMap.objects.restrict(request.user, "view")
    zone_map = get_object_or_404(qs, pk=pk) if pk else mapdata.active_map(qs)
    if zone_map is None:
        raise Http404(_("尚未上传区域地图。"))
    try:
        handle = zone_map.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("地图文件不存在。"))
    response = FileResponse(handle, content_type="application/geo+json")
    response["Cache-Control"] = "private, max-age=300"
    return response


# --- portfolio Gantt ----------------------------------------------------------------------------------------------
class GanttView(LoginRequiredMixin, View):
    """The portfolio Gantt: one row per plan, filtered by chain, zone or unit; exports .xlsx."""

    template_name = "warroom/gantt.html"

    def get(self, request):
        scope = get_scope(request.user)
        if not scope.can(ProjectSchedule, "view"):
            raise PermissionDenied(_("您没有查看进度计划的权限。"))
        qs = ProjectSchedule.objects.restrict(request.user, "view")
        filterset = filtersets.ProjectScheduleFilterSet(request.GET or None, queryset=qs, request=request)
        if filterset.is_bound:
            qs = filterset.qs if filterset.is_valid() else qs.none()
        qs = qs.order_by("target_date", "pk")
        if request.GET.get("export") == "xlsx":
            return self.export(request, qs)
        services.ensure_fresh(list(qs))
        rows = gantt.portfolio_rows(qs)
        return render(
            request,
            self.template_name,
            {
                "filterset": filterset,
                "gantt": gantt.chart_data(rows, title=_("项目甘特图"), portfolio=True),
                "row_count": len(rows),
                "export_query": _query_without(request, "export"),
                "filters_active": bool(filterset.is_bound and any(v for v in request.GET.values())),
            },
        )

    def export(self, request, qs):
        from chainlead.core.jobs import enqueue_job

        count = qs.count()
        if count > PORTFOLIO_SYNC_LIMIT:
            job = enqueue_job(
                "warroom.portfolio_gantt",
                label=_("导出项目甘特图"),
                by=request.user,
                query=_query_without(request, "export"),
            )
            return redirect("core:job_detail", pk=job.pk)
        import io

        from chainlead.warroom.jobs import portfolio_export_rows

        buffer = io.BytesIO()
        title, meta, project_rows, node_rows = portfolio_export_rows(qs)
        documents.portfolio_gantt_xlsx(buffer, title, meta, project_rows, node_rows)
        return _xlsx_response(buffer.getvalue(), _("项目甘特图-{}.xlsx").format(clock.today().isoformat()))


def _query_without(request, *keys) -> str:
    query = request.GET.copy()
    for key in keys:
        query.pop(key, None)
    return query.urlencode()


# --- the project map (挂图) ---------------------------------------------------------------------------------------
class MapView(LoginRequiredMixin, View):
    template_name = "warroom/map.html"

    def get(self, request):
        scope = get_scope(request.user)
        if not scope.can(KeyProject, "view"):
            raise PermissionDenied(_("您没有查看项目的权限。"))
        coloring = request.GET.get("color") or MapColoring.STAGE
        if coloring not in MapColoring.values:
            coloring = MapColoring.STAGE
        qs = KeyProject.objects.restrict(request.user, "view")
        filterset = filtersets.MapFilterSet(request.GET or None, queryset=qs, request=request)
        if filterset.is_bound:
            qs = filterset.qs if filterset.is_valid() else qs.none()
        zone_map = mapdata.active_map(ZoneMap.objects.restrict(request.user, "view"))
        config = mapdata.map_config(qs, coloring=coloring, zone_map=zone_map, user=request.user)
        can_place = scope.can(KeyProject, "change")
        return render(
            request,
            self.template_name,
            {
                "filterset": filterset,
                "config": config,
                "coloring": coloring,
                "colorings": MapColoring.choices,
                "zone_map": zone_map,
                "can_place": can_place,
                "place_projects": mapdata.placeable(request.user) if can_place else [],
                "filters_active": bool(
                    filterset.is_bound and any(v for k, v in request.GET.items() if k != "color")
                ),
                "stage_choices": Stage.choices,
            },
        )


@login_required
@require_POST
def map_place(request):
    """Place a project by its coordinates (typed in or from a click on the map)."""
    # Permission before the form: a user who may change no project gets 403, not a form error.
    if not get_scope(request.user).can(KeyProject, "change"):
        raise PermissionDenied(
            _("您没有{}{}的权限。").format(generic.action_label("change"), KeyProject._meta.verbose_name)
        )
    form = forms.PlaceForm(request.POST, user=request.user)
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    if not form.is_valid():
        message = _form_message(form)
        if wants_json:
            return JsonResponse({"ok": False, "message": message}, status=400)
        messages.error(request, message)
        return redirect("warroom:map")
    try:
        project = services.place_project(
            form.cleaned_data["project"],
            latitude=form.cleaned_data["latitude"],
            longitude=form.cleaned_data["longitude"],
            by=request.user,
        )
    except ServiceError as exc:
        if wants_json:
            return JsonResponse({"ok": False, "message": exc.message}, status=400)
        messages.error(request, exc.message)
        return redirect("warroom:map")
    message = _("已将“{}”放到地图上（纬度 {}，经度 {}）。").format(
        project, project.latitude, project.longitude
    )
    if wants_json:
        return JsonResponse({"ok": True, "message": message, "project": project.pk})
    messages.success(request, message)
    return redirect(reverse("warroom:map") + f"?focus={project.pk}")


# --- the three boards ----------------------------------------------------------------------------------------------
class BoardIndexView(LoginRequiredMixin, View):
    template_name = "warroom/board_index.html"

    def get(self, request):
        if not get_scope(request.user).can(KeyProject, "view"):
            raise PermissionDenied(_("您没有查看项目的权限。"))
        zones = boards.board_zones(request.user)
        return render(request, self.template_name, {"rows": boards.zone_summaries(zones, request.user)})


class BoardView(LoginRequiredMixin, View):
    template_name = "warroom/board.html"
    TABS = ("deployment", "progress", "support")

    def get(self, request, unit_id: int):
        if not get_scope(request.user).can(KeyProject, "view"):
            raise PermissionDenied(_("您没有查看项目的权限。"))
        zone = get_object_or_404(boards.board_zones(request.user).select_related("parent"), pk=unit_id)
        tab = request.GET.get("tab", "deployment")
        if tab not in (*self.TABS, "all"):
            tab = "deployment"
        schedules = ProjectSchedule.objects.filter(project__area__path__startswith=zone.path)
        services.ensure_fresh(list(schedules))
        context = boards.board_data(zone, request.user)
        context.update(tab=tab, tabs=self.TABS)
        return render(request, self.template_name, context)


def schedule_for_project(request, project_id: int):
    """/warroom/projects/<id>/: the plan of a project, or the form to make one."""
    project = get_object_or_404(KeyProject.objects.restrict(request.user, "view"), pk=project_id)
    schedule = ProjectSchedule.objects.filter(project=project).first()
    if schedule is not None:
        return redirect(schedule.get_absolute_url())
    add = model_url(ProjectSchedule, "add")
    return redirect(f"{add}?project={project.pk}")


schedule_for_project = login_required(schedule_for_project)
