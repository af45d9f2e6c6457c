"""Pages of the ledger app: 台账导入 (upload → preview → confirm), 导入记录 (batches, undo),
列名同义词 and the remembered column mappings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chainlead.core.exceptions import ServiceError
from chainlead.ledger import fields as F
from chainlead.ledger import filtersets, forms, services, tables
from chainlead.ledger.choices import BUSY_STATES, OPEN_STATES, BatchStatus, MatchHow
from chainlead.ledger.models import ColumnMapping, FieldSynonym, ImportBatch
from chainlead.organization.models import Unit
from chainlead.organization.permissions import get_scope
from chainlead.projects.models import KeyProject
from chainlead.utilities import views as generic


# --- upload -----------------------------------------------------------------------------------------
def _upload_units(user):
    units = get_scope(user).units_for(KeyProject, "add")
    qs = Unit.objects.filter(is_active=True)
    return qs if units is None else qs.filter(pk__in=units)


@login_required
def import_view(request):
    """台账导入: upload a ledger; the preview job starts at once."""
    if not services.can_import(request.user):
        raise PermissionDenied(_("您没有导入项目的权限。"))
    form = forms.UploadForm(request.POST or None, request.FILES or None, units=_upload_units(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.upload(
                form.cleaned_data["file"], by=request.user, default_unit=form.cleaned_data.get("default_unit")
            )
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect(batch.get_absolute_url())
    recent = ImportBatch.objects.restrict(request.user).select_related("created_by")[:8]
    return render(
        request,
        "ledger/import.html",
        {"form": form, "recent": recent, "fields": [f for f in F.FIELDS if f.importable]},
        status=200,
    )


# --- batches ----------------------------------------------------------------------------------------
class ImportBatchListView(generic.ObjectListView):
    queryset = ImportBatch.objects.select_related("created_by", "unit")
    filterset_class = filtersets.ImportBatchFilterSet
    table_class = tables.ImportBatchTable
    template_name = "ledger/importbatch_list.html"
    bulk_actions = ()
    export_name = "导入记录"

    def require_model_permission(self, action):
        if action != "view":
            raise PermissionDenied(_("导入记录只能通过“台账导入”产生。"))
        super().require_model_permission(action)


def _field_options():
    return [(f.key, str(f.label)) for f in F.FIELDS]


def _batch_for(request, pk) -> ImportBatch:
    return get_object_or_404(
        ImportBatch.objects.restrict(request.user).select_related(
            "created_by", "committed_by", "undone_by", "job"
        ),
        pk=pk,
    )


@login_required
def batch_detail(request, pk):
    """A batch: progress while a job works on it, then the preview, then what it wrote."""
    batch = _batch_for(request, pk)
    job = batch.job.load_live_progress() if batch.job else None
    preview = batch.preview or {}
    sheets = preview.get("sheets", [])
    data_sheets = [s for s in sheets if s.get("is_data")]
    other_sheets = [s for s in sheets if not s.get("is_data")]
    how_labels = dict(MatchHow.choices)
    for sheet in data_sheets:
        for column in sheet["columns"]:
            column["how_label"] = how_labels.get(column.get("how"), "")
            column["percent"] = int(round((column.get("confidence") or 0) * 100))
    changes = None
    if batch.status in (BatchStatus.COMMITTED, BatchStatus.UNDONE, BatchStatus.UNDOING):
        changes = Paginator(services.batch_objects(batch), 100).get_page(request.GET.get("page"))
    can_act = services.can_import(request.user)
    summary = preview.get("summary", {})
    totals = summary.get("totals", {})
    return render(
        request,
        "ledger/importbatch.html",
        {
            "object": batch,
            "batch": batch,
            "job": job,
            "busy": batch.status in BUSY_STATES,
            "open": batch.status in OPEN_STATES and can_act,
            "can_undo": batch.status == BatchStatus.COMMITTED and can_act,
            "data_sheets": data_sheets,
            "other_sheets": other_sheets,
            "field_options": _field_options(),
            "preview": preview,
            "summary": summary,
            "totals": totals,
            "changes": changes,
            "reasons": {
                "summary": _("汇总/透视表，已跳过"),
                "no_header": _("没有找到项目台账的表头，已跳过"),
                "hidden": _("隐藏的工作表，已跳过"),
                "empty": _("空工作表"),
            },
        },
    )


def _overrides_from(post) -> dict:
    out: dict = {}
    for key, value in post.items():
        if key.startswith("map-"):
            try:
                _prefix, sheet, column = key.split("-", 2)
                int(sheet), int(column)
            except ValueError:
                continue
            out.setdefault(sheet, {})[column] = value
    return out


@login_required
@require_POST
def batch_confirm(request, pk):
    batch = _batch_for(request, pk)
    try:
        if request.POST.get("action") == "repreview":
            services.repreview(batch, by=request.user, overrides=_overrides_from(request.POST))
        else:
            services.confirm(batch, by=request.user, overrides=_overrides_from(request.POST))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(batch.get_absolute_url())


@login_required
@require_POST
def batch_undo(request, pk):
    batch = _batch_for(request, pk)
    try:
        services.undo(batch, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已开始撤销导入。"))
    return redirect(batch.get_absolute_url())


# --- synonyms and remembered mappings ---------------------------------------------------------------
class FieldSynonymListView(generic.ObjectListView):
    queryset = FieldSynonym.objects.all()
    filterset_class = filtersets.FieldSynonymFilterSet
    table_class = tables.FieldSynonymTable
    template_name = "ledger/fieldsynonym_list.html"
    bulk_actions = ("bulk_delete",)


class FieldSynonymView(generic.ObjectDetailView):
    queryset = FieldSynonym.objects.all()


class FieldSynonymEditView(generic.ObjectEditView):
    queryset = FieldSynonym.objects.all()
    form_class = forms.FieldSynonymForm


class FieldSynonymDeleteView(generic.ObjectDeleteView):
    queryset = FieldSynonym.objects.all()


class FieldSynonymBulkDeleteView(generic.BulkDeleteView):
    queryset = FieldSynonym.objects.all()


class ColumnMappingListView(generic.ObjectListView):
    queryset = ColumnMapping.objects.select_related("confirmed_by")
    filterset_class = filtersets.ColumnMappingFilterSet
    table_class = tables.ColumnMappingTable
    bulk_actions = ("bulk_delete",)


class ColumnMappingDeleteView(generic.ObjectDeleteView):
    queryset = ColumnMapping.objects.all()


class ColumnMappingBulkDeleteView(generic.BulkDeleteView):
    queryset = ColumnMapping.objects.all()
