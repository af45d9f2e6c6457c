"""Pages of the projects app."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from chainlead.core.exceptions import ServiceError
from chainlead.organization.permissions import get_scope
from chainlead.projects import filtersets, forms, services, tables
from chainlead.projects.choices import STAGE_ORDER, Stage
from chainlead.projects.models import ContactRecord, KeyProject, StageChange, StageEvidence
from chainlead.utilities import views as generic

PROJECT_RELATED = ("chain", "chain_node", "area", "responsible_unit", "enterprise")


class KeyProjectListView(generic.ObjectListView):
    queryset = KeyProject.objects.select_related(*PROJECT_RELATED)
    filterset_class = filtersets.KeyProjectFilterSet
    table_class = tables.KeyProjectTable
    template_name = "projects/keyproject_list.html"
    export_name = "项目台账"


class KeyProjectView(generic.ObjectDetailView):
    queryset = KeyProject.objects.select_related(*PROJECT_RELATED, "chain__lead_department").prefetch_related(
        Prefetch("stage_changes", queryset=StageChange.objects.select_related("by")),
        Prefetch("evidence", queryset=StageEvidence.objects.select_related("uploaded_by")),
        "contact_records",
    )

    def get_extra_context(self, request, obj):
        evidence_by_stage: dict[str, list] = {}
        for item in obj.evidence.all():
            evidence_by_stage.setdefault(item.stage, []).append(item)
        timeline = []
        for stage in STAGE_ORDER:
            timeline.append(
                {
                    "stage": stage,
                    "label": Stage(stage).label,
                    "date": obj.stage_date(stage),
                    "current": obj.stage == stage,
                    "evidence": evidence_by_stage.get(stage, []),
                }
            )
        can_change = get_scope(request.user).has_perm(obj, "change")
        return {
            "timeline": timeline,
            "changes": list(obj.stage_changes.all()),
            "contacts": list(obj.contact_records.all()),
            "can_change": can_change,
            "stage_url": reverse("projects:keyproject_stage", args=[obj.pk]) if can_change else None,
            "fai_form": forms.FaiForm() if can_change else None,
            "stats_form": forms.EnterpriseStatsForm() if can_change else None,
            "construction_status": obj.construction_status(),
            "construction_status_label": _construction_label(obj),
        }


class KeyProjectEditView(generic.ObjectEditView):
    queryset = KeyProject.objects.all()
    form_class = forms.KeyProjectForm


class KeyProjectDeleteView(generic.ObjectDeleteView):
    queryset = KeyProject.objects.all()


class KeyProjectBulkEditView(generic.BulkEditView):
    queryset = KeyProject.objects.all()
    form_class = forms.KeyProjectBulkEditForm


class KeyProjectBulkDeleteView(generic.BulkDeleteView):
    queryset = KeyProject.objects.all()


def _construction_label(project) -> str:
    from chainlead.projects.choices import ConstructionStatus

    status = project.construction_status()
    return f"{ConstructionStatus(status).label} · " if status else ""


def _project_for(request, pk, action="change"):
    visible = KeyProject.objects.restrict(request.user, "view")
    project = get_object_or_404(visible, pk=pk)
    if not get_scope(request.user).has_perm(project, action):
        raise PermissionDenied(_("您可以查看但不能修改这个项目。"))
    return project


@login_required
def stage_move(request, pk):
    """The stage form: pick the next stage, the milestone date, the data and the evidence."""
    project = _project_for(request, pk)
    moves = services.allowed_moves(project, request.user)
    form = forms.StageForm(request.POST or None, request.FILES or None, project=project, moves=moves)
    if request.method == "POST" and form.is_valid():
        to = form.cleaned_data["to"]
        try:
            services.advance_stage(
                project,
                to,
                on=form.cleaned_data["on"],
                by=request.user,
                data=form.data_for(to),
                evidence=form.evidence(),
                reason=form.cleaned_data.get("reason", ""),
            )
        except ServiceError as exc:
            target = exc.field if exc.field in form.fields else None
            if exc.field == "evidence":
                target = "evidence_file_0"
            form.add_error(target, exc.message)
        else:
            messages.success(request, _("项目“{}”已进入“{}”阶段。").format(project, Stage(to).label))
            return redirect(project.get_absolute_url() + "#timeline")
    elif request.method == "POST" and not form.is_valid() and not form.fields["to"].choices[1:]:
        form.add_error(None, _("该项目当前没有可以推进的阶段。"))
    return render(
        request,
        "projects/stage_form.html",
        {
            "object": project,
            "form": form,
            "stage_fields": form.stage_fields(),
            "data_fields": form.data_fields(),
            "evidence_fields": [
                (form[f"evidence_kind_{i}"], form[f"evidence_file_{i}"], form[f"evidence_time_{i}"])
                for i in range(forms.EVIDENCE_ROWS)
            ],
        },
        status=200,
    )


@login_required
def mark_fai(request, pk):
    project = _project_for(request, pk)
    form = forms.FaiForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_fai_in_db(project, month=form.cleaned_data["month"], by=request.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已记录入库纳统。"))
    elif request.method == "POST":
        messages.error(request, _("入库月份无效：{}").format("；".join(form.errors.get("month", []))))
    return redirect(project.get_absolute_url())


@login_required
def mark_stats(request, pk):
    project = _project_for(request, pk)
    form = forms.EnterpriseStatsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_enterprise_in_stats(
                project,
                month=form.cleaned_data["month"],
                category=form.cleaned_data["category"],
                by=request.user,
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已记录企业纳统。"))
    elif request.method == "POST":
        messages.error(request, _("纳统信息不完整，请填写月份和类别。"))
    return redirect(project.get_absolute_url())


@login_required
def evidence_file(request, pk):
    """Download an evidence file, if the user may view its project."""
    item = get_object_or_404(StageEvidence.objects.restrict(request.user, "view"), pk=pk)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("文件不存在。"))
    return FileResponse(handle, filename=item.original_name or item.file.name.rsplit("/", 1)[-1])


# --- contact records ------------------------------------------------------------------------------
class ContactRecordListView(generic.ObjectListView):
    queryset = ContactRecord.objects.select_related("project")
    filterset_class = filtersets.ContactRecordFilterSet
    table_class = tables.ContactRecordTable


class ContactRecordView(generic.ObjectDetailView):
    queryset = ContactRecord.objects.select_related("project")


class ContactRecordEditView(generic.ObjectEditView):
    queryset = ContactRecord.objects.all()
    form_class = forms.ContactRecordForm

    def get_form_kwargs(self, request, obj):
        return {}

    def _form(self, request, obj, data=None, files=None):
        form = super()._form(request, obj, data, files)
        form.fields["project"].queryset = KeyProject.objects.restrict(request.user, "change")
        return form


class ContactRecordDeleteView(generic.ObjectDeleteView):
    queryset = ContactRecord.objects.all()


class ContactRecordBulkDeleteView(generic.BulkDeleteView):
    queryset = ContactRecord.objects.all()


# --- read-only lists of the timeline and the evidence ----------------------------------------------
class StageChangeListView(generic.ObjectListView):
    queryset = StageChange.objects.select_related("project", "by")
    filterset_class = filtersets.StageChangeFilterSet
    table_class = tables.StageChangeTable
    bulk_actions = ()

    def require_model_permission(self, action):
        if action != "view":
            raise PermissionDenied(_("阶段变更记录只能通过“推进阶段”产生。"))
        super().require_model_permission(action)


class StageEvidenceListView(generic.ObjectListView):
    queryset = StageEvidence.objects.select_related("project", "uploaded_by")
    filterset_class = filtersets.StageEvidenceFilterSet
    table_class = tables.StageEvidenceTable
    bulk_actions = ()

    def require_model_permission(self, action):
        if action != "view":
            raise PermissionDenied
        super().require_model_permission(action)
