"""Workflow verbs of a ledger import: upload → preview (job) → confirm → commit (job) → undo (job).

The import is a service like ``projects.services.advance_stage``: it checks the user's permission
again inside each job, writes all or nothing in one transaction, logs every object it creates or
changes with the batch id (``change_context(source="import", batch_id=…)``) and records an audit
event. It may set a project's stage and stage dates directly from the file (an office ledger is the
record of where projects stand; no evidence is asked for), under the same date rules as the stage
machine: not later than today, in stage order. See ``importer`` for the rules of a row.
"""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from chainlead.core.audit import record_event
from chainlead.core.context import change_context
from chainlead.core.exceptions import ForbiddenAction, ServiceError
from chainlead.core.jobs import enqueue_job, job_handler
from chainlead.core.models import ObjectChange
from chainlead.ledger import bulk
from chainlead.ledger import fields as F
from chainlead.ledger.choices import OPEN_STATES, BatchStatus, FileKind
from chainlead.ledger.detect import SynonymIndex, detect
from chainlead.ledger.importer import Importer, Plan
from chainlead.ledger.models import ColumnMapping, ImportBatch
from chainlead.ledger.parse import parse
from chainlead.ledger.reader import FileRejected, check_file, read_sheets
from chainlead.organization.permissions import get_scope
from chainlead.projects.models import KeyProject

MAX_WARNINGS = 1000
MAX_DUPLICATES = 500


# --- permissions ----------------------------------------------------------------------------------
def can_import(user) -> bool:
    """Who may import: anyone who may add projects somewhere (the office, unit heads, reporters)."""
    return bool(user and user.is_authenticated and get_scope(user).can(KeyProject, "add"))


def _check_batch_access(batch: ImportBatch, by) -> None:
    if by is None or not ImportBatch.objects.restrict(by).filter(pk=batch.pk).exists():
        raise ImportBatch.DoesNotExist
    if not can_import(by):
        raise ForbiddenAction(_("您没有导入项目的权限。"))


# --- upload ---------------------------------------------------------------------------------------
def upload(uploaded, *, by, default_unit=None) -> ImportBatch:
    """Check the file (hostile files are refused here, nothing is stored), keep it as a batch and
    start the preview job."""
    if not can_import(by):
        raise ForbiddenAction(_("您没有导入项目的权限。"))
    name = PurePath(getattr(uploaded, "name", "") or "ledger").name
    size = getattr(uploaded, "size", None)

    if size is not None and size > settings.UPLOAD_MAX_BYTES:
        # Refuse before reading a byte more than needed.
        raise ServiceError(
            _("文件“{}”有 {:.1f} MB，超过 {} MB 的上限。请拆分后分批导入。").format(
                name, size / 1024 / 1024, settings.UPLOAD_MAX_BYTES // 1024 // 1024
            ),
            field="file",
        )
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    data = uploaded.read()
    try:
        kind = check_file(name, data)
    except FileRejected as exc:
        raise ServiceError(exc.message, field="file") from None
    if default_unit is not None:
        units = get_scope(by).units_for(KeyProject, "add")
        if units is not None and default_unit.pk not in units:
            raise ServiceError(_("默认责任单位只能选择您负责的单位。"), field="default_unit")
    with transaction.atomic():
        batch = ImportBatch(
            created_by=by,
            unit=getattr(by, "unit", None),
            original_name=name[:200],
            size=len(data),
            kind=kind,
            default_unit=default_unit,
            status=BatchStatus.PARSING,
        )
        digest = hashlib.sha256(data).hexdigest()[:16]
        suffix = PurePath(name).suffix.lower() or f".{kind}"
        batch.file.save(f"{digest}{suffix}", ContentFile(data), save=False)
        batch.save()
        batch.job = enqueue_job(
            "ledger.preview",
            label=_("解析台账：{}").format(name)[:200],
            by=by,
            batch_id=batch.pk,
            language=get_language(),
        )
        batch.save(update_fields=["job"])
    return batch


# --- analysis (shared by preview and commit) -------------------------------------------------------
def remembered_mappings() -> dict[str, dict]:
    return dict(ColumnMapping.objects.values_list("signature", "mapping"))


def analyse(batch: ImportBatch, *, user, progress=None):
    """Read, detect, parse and plan the batch's file. Returns (layouts, parsed, plan).

    Raises ``FileRejected`` when the file holds no importable data."""

    def step(done, message):
        if progress is not None:
            progress(done, message)

    step(2, _("正在读取文件"))
    with batch.file.open("rb") as handle:
        data = handle.read()
    sheets = read_sheets(data, batch.kind, name=batch.original_name)
    step(12, _("正在识别表头"))
    layouts = detect(sheets, SynonymIndex.from_db(), remembered_mappings(), batch.overrides or {})
    data_layouts = [layout for layout in layouts if layout.is_data]
    if not data_layouts:
        if not any(any(v not in (None, "") for v in row) for sheet in sheets for row in sheet.rows):
            raise FileRejected(_("文件“{}”没有任何内容。").format(batch.original_name))
        raise FileRejected(
            _(
                "没有找到项目台账：文件中没有一个工作表的表头包含“项目名称”等列。请确认表头，或在“列名同义词”中补充写法。"
            )
        )
    step(18, _("正在解析数据行"))
    parsed = parse(sheets, layouts)
    if not parsed.rows:
        raise FileRejected(_("文件“{}”只有表头，没有数据行。").format(batch.original_name))
    step(40, _("正在校验 {} 行").format(len(parsed.rows)))
    importer = Importer(user, default_unit=batch.default_unit)
    plan = importer.plan(parsed, progress=lambda i, n: step(40 + int(20 * i / max(n, 1)), _("正在校验")))
    return layouts, parsed, plan


def preview_dict(layouts, parsed, plan: Plan) -> dict:
    """What the preview page shows (stored on the batch as JSON)."""
    warnings = [*parsed.warnings, *plan.warnings]
    return {
        "sheets": [layout.as_dict() for layout in layouts],
        "categories": plan.categories[:300],
        "errors": plan.errors,
        "warnings": warnings[:MAX_WARNINGS],
        "warning_total": len(warnings),
        "duplicates": parsed.duplicates[:MAX_DUPLICATES],
        "duplicate_total": len(parsed.duplicates),
        "summary": {
            "rows": len(parsed.rows),
            "projects": plan.row_count,
            "create": len(plan.creates),
            "update": len(plan.updates),
            "unchanged": len(plan.unchanged),
            "error_rows": plan.error_rows,
            "duplicates": len(parsed.duplicates),
            "totals": plan.totals,
            "updates": [
                {
                    "pk": project.pk,
                    "name": project.name,
                    "fields": [
                        str(KeyProject._meta.get_field(a.removesuffix("_id")).verbose_name) for a in changes
                    ],
                }
                for project, changes, _row in plan.updates[:200]
            ],
        },
    }


def _store(batch: ImportBatch, **fields) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(**fields)
    for key, value in fields.items():
        setattr(batch, key, value)


def _progress(job, start: int, span: int):
    def report(done, message=None):
        job.progress(start + int(span * min(done, 100) / 100), 100, message)

    return report


@job_handler("ledger.preview")
def preview_job(job, *, batch_id, language=None) -> dict:
    with translation.override(language or settings.LANGUAGE_CODE):
        return _preview_job(job, batch_id=batch_id)


def _preview_job(job, *, batch_id) -> dict:
    batch = ImportBatch.objects.get(pk=batch_id)
    try:
        layouts, parsed, plan = analyse(batch, user=job.user, progress=_progress(job, 0, 100))
    except FileRejected as exc:
        _store(batch, status=BatchStatus.REJECTED, message=exc.message, preview={})
        job.progress(100, 100, exc.message)
        return {"url": batch.get_absolute_url(), "rejected": exc.message}
    preview = preview_dict(layouts, parsed, plan)
    status = BatchStatus.INVALID if plan.errors or not plan.row_count else BatchStatus.READY
    _store(
        batch,
        status=status,
        preview=preview,
        message="",
        row_count=plan.row_count,
        error_count=len(plan.errors),
        warning_count=preview["warning_total"] + preview["duplicate_total"],
    )
    job.progress(100, 100, _("解析完成：{} 个项目").format(plan.row_count))
    return {"url": batch.get_absolute_url(), "projects": plan.row_count, "errors": len(plan.errors)}


def set_overrides(batch: ImportBatch, overrides: dict) -> dict:
    """Keep the user's column choices: only the ones that differ from what detection proposed."""
    sheets = {str(s["index"]): s for s in (batch.preview or {}).get("sheets", [])}
    clean: dict = {}
    for sheet_index, columns in (overrides or {}).items():
        proposed = {str(c["index"]): c["field"] for c in sheets.get(str(sheet_index), {}).get("columns", [])}
        for column, key in columns.items():
            if key and key not in F.BY_KEY:
                continue
            if (
                proposed.get(str(column), "") != (key or "")
                or (batch.overrides or {}).get(str(sheet_index), {}).get(str(column)) is not None
            ):
                clean.setdefault(str(sheet_index), {})[str(column)] = key or ""
    return clean


def repreview(batch: ImportBatch, *, by, overrides: dict) -> ImportBatch:
    """Preview again with the user's corrections to the column mapping."""
    _check_batch_access(batch, by)
    if batch.status not in OPEN_STATES:
        raise ServiceError(_("这个批次当前不能修改映射（{}）。").format(batch.get_status_display()))
    merged = set_overrides(batch, overrides)
    with transaction.atomic():
        job = enqueue_job(
            "ledger.preview",
            label=_("重新解析：{}").format(batch.original_name)[:200],
            by=by,
            batch_id=batch.pk,
            language=get_language(),
        )
        _store(batch, overrides=merged, status=BatchStatus.PARSING, job=job)
    return batch


def confirm(batch: ImportBatch, *, by, overrides: dict | None = None) -> ImportBatch:
    """确认导入: start the commit job (it re-reads and re-validates the file first)."""
    _check_batch_access(batch, by)
    if batch.status not in OPEN_STATES:
        raise ServiceError(_("这个批次当前不能导入（{}）。").format(batch.get_status_display()))
    merged = set_overrides(batch, overrides) if overrides is not None else batch.overrides
    if merged == (batch.overrides or {}) and batch.status == BatchStatus.INVALID:
        raise ServiceError(_("文件中还有错误，请先修改文件或列映射。"))
    with transaction.atomic():
        job = enqueue_job(
            "ledger.commit",
            label=_("导入台账：{}").format(batch.original_name)[:200],
            by=by,
            batch_id=batch.pk,
            language=get_language(),
        )
        _store(batch, overrides=merged, status=BatchStatus.COMMITTING, job=job)
    return batch


def _remember(layouts, user) -> None:
    for layout in layouts:
        if not layout.is_data:
            continue
        mapping = {str(c.index): c.field for c in layout.columns if c.field}
        headers = [c.header for c in layout.columns]
        existing = ColumnMapping.objects.filter(signature=layout.signature).first()
        if existing is None:
            ColumnMapping.objects.create(
                signature=layout.signature,
                sheet_name=layout.name[:100],
                headers=headers,
                mapping=mapping,
                confirmed_by=user,
            )
        else:
            existing.mapping = mapping
            existing.headers = headers
            existing.confirmed_by = user
            existing.confirmed_at = timezone.now()
            existing.use_count += 1
            existing.save()


@contextmanager
def _large_cache():
    """SQLite: a page cache large enough for one big transaction's index pages (the default 2 MB
    makes a 100,000-row import spill to the WAL over and over); restored afterwards."""
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size = -262144")  # 256 MB, allocated only as pages are used
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def write_plan(plan: Plan, *, progress=None) -> tuple[int, int]:
    """Write the plan (call inside a transaction and the batch's change context)."""
    with _large_cache():
        return _write_plan(plan, progress=progress)


def _write_plan(plan: Plan, *, progress=None) -> tuple[int, int]:
    if plan.creates:
        if bulk.supported():
            bulk.insert_logged(KeyProject, plan.creates, base=plan.base, progress=progress)
        else:  # pragma: no cover - other backends
            KeyProject.objects.bulk_create(
                [KeyProject(**(plan.base | row)) for row in plan.creates], batch_size=1000
            )
    if plan.updates:
        names: set[str] = set()
        objects = []
        for project, changes, _row in plan.updates:
            for attname, value in changes.items():
                setattr(project, attname, value)
            names.update(changes)
            objects.append(project)
        fields = sorted(KeyProject._meta.get_field(a.removesuffix("_id")).name for a in names)
        KeyProject.objects.bulk_update(objects, fields, batch_size=500)
    return len(plan.creates), len(plan.updates)


def _commit_interrupted(job, *, batch_id, language=None) -> None:
    """The commit job's worker died (kill -9, power cut): the database rolled its transaction
    back, so nothing was imported; the batch goes back to "ready" and can be imported again."""
    with translation.override(language or settings.LANGUAGE_CODE):
        ImportBatch.objects.filter(pk=batch_id, status=BatchStatus.COMMITTING).update(
            status=BatchStatus.READY,
            message=_("导入在写入过程中被中断（进程退出），没有写入任何数据。请重新导入。"),
        )


def _undo_interrupted(job, *, batch_id, language=None) -> None:
    """Likewise for undo: the undo was rolled back, the batch is still imported."""
    with translation.override(language or settings.LANGUAGE_CODE):
        ImportBatch.objects.filter(pk=batch_id, status=BatchStatus.UNDOING).update(
            status=BatchStatus.COMMITTED,
            message=_("撤销在执行过程中被中断（进程退出），没有撤销任何数据。请重新撤销。"),
        )


@job_handler("ledger.commit", on_interrupted=_commit_interrupted)
def commit_job(job, *, batch_id, language=None) -> dict:
    with translation.override(language or settings.LANGUAGE_CODE):
        return _commit_job(job, batch_id=batch_id)


def _commit_job(job, *, batch_id) -> dict:
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status == BatchStatus.COMMITTED:
        raise ServiceError(_("这个批次已经导入，不能重复导入。"))
    # A job run again after an interruption (retry_job) takes the batch over.
    _store(batch, status=BatchStatus.COMMITTING, job=job)
    user = job.user
    try:
        if not can_import(user):
            raise ForbiddenAction(_("您没有导入项目的权限。"))
        layouts, parsed, plan = analyse(batch, user=user, progress=_progress(job, 0, 60))
        if plan.errors or not plan.row_count:
            preview = preview_dict(layouts, parsed, plan)
            _store(
                batch,
                status=BatchStatus.INVALID,
                preview=preview,
                error_count=len(plan.errors),
                message=_("文件中有 {} 处错误，没有导入任何数据。").format(len(plan.errors)),
            )
            job.progress(100, 100, batch.message)
            return {"url": batch.get_absolute_url(), "errors": len(plan.errors)}
        job.progress(60, 100, _("正在写入 {} 个项目").format(plan.row_count))
        with transaction.atomic():
            with change_context(user=user, request_id=job.pk, source="import", batch_id=batch.batch_id):
                created, updated = write_plan(
                    plan, progress=lambda done, total: job.progress(60 + int(38 * done / max(total, 1)), 100)
                )
                _remember(layouts, user)
                committed_at = timezone.now()
                _store(
                    batch,
                    status=BatchStatus.COMMITTED,
                    preview=preview_dict(layouts, parsed, plan),
                    committed_at=committed_at,
                    committed_by=user,
                    row_count=plan.row_count,
                    created_count=created,
                    updated_count=updated,
                    unchanged_count=len(plan.unchanged),
                    error_count=0,
                    message="",
                )
                record_event(
                    batch,
                    "imported",
                    by=user,
                    message=_("导入台账“{}”：新增 {} 个项目，更新 {} 个，无变化 {} 个").format(
                        batch.original_name, created, updated, len(plan.unchanged)
                    ),
                    data={"batch": batch.pk, "created": created, "updated": updated},
                )
    except FileRejected as exc:
        _store(batch, status=BatchStatus.REJECTED, message=exc.message)
        return {"url": batch.get_absolute_url(), "rejected": exc.message}
    except Exception as exc:
        message = getattr(exc, "message", None) or str(exc)
        _store(batch, status=BatchStatus.READY, message=_("导入失败，没有写入任何数据：{}").format(message))
        raise
    job.progress(100, 100, _("导入完成：新增 {} 个，更新 {} 个").format(created, updated))
    return {"url": batch.get_absolute_url(), "created": created, "updated": updated}


# --- undo -----------------------------------------------------------------------------------------
def _batch_changes(batch: ImportBatch):
    ct = ContentType.objects.get_for_model(KeyProject)
    rows = ObjectChange.objects.filter(batch_id=batch.batch_id, content_type=ct).exclude(
        source__startswith="import:undo"
    )
    created = list(rows.filter(action="create").values_list("object_id", flat=True))
    updated = list(
        rows.filter(action="update").values_list("object_id", "prechange_data", "postchange_data", "time")
    )
    return ct, created, updated


def undo_conflicts(batch: ImportBatch) -> list[str]:
    """Objects of the batch changed after it (by anyone, outside the batch): the undo must refuse."""
    ct, created, updated = _batch_changes(batch)
    ids = set(created) | {u[0] for u in updated}
    if not ids or batch.committed_at is None:
        return []
    later = (
        ObjectChange.objects.filter(time__gt=batch.committed_at)
        .exclude(batch_id=batch.batch_id)
        .filter(content_type=ct)
        .values_list("object_id", "object_repr", "user_name", "time", "action")
    )
    related = (
        ObjectChange.objects.filter(time__gt=batch.committed_at, related_content_type=ct)
        .exclude(batch_id=batch.batch_id)
        .values_list("related_object_id", "object_repr", "user_name", "time", "action")
    )
    messages = []
    seen = set()
    for object_id, repr_, user_name, time, _action in [*later, *related]:
        if object_id in ids and object_id not in seen:
            seen.add(object_id)
            name = KeyProject.objects.filter(pk=object_id).values_list("name", flat=True).first() or repr_
            messages.append(
                _("项目“{}”在导入后又被修改过（{}，{}）").format(
                    name, user_name or _("系统"), timezone.localtime(time).strftime("%Y-%m-%d %H:%M")
                )
            )
    return messages


def undo(batch: ImportBatch, *, by) -> ImportBatch:
    """Start undoing a committed batch: refused, with the reason, if any of its objects changed since."""
    _check_batch_access(batch, by)
    if batch.status != BatchStatus.COMMITTED:
        raise ServiceError(_("只有已导入的批次可以撤销（当前：{}）。").format(batch.get_status_display()))
    conflicts = undo_conflicts(batch)
    if conflicts:
        shown = "；".join(conflicts[:10])
        more = _("等 {} 个").format(len(conflicts)) if len(conflicts) > 10 else ""
        raise ServiceError(_("不能撤销：{}{}。请先处理这些项目。").format(shown, more))
    with transaction.atomic():
        job = enqueue_job(
            "ledger.undo",
            label=_("撤销导入：{}").format(batch.original_name)[:200],
            by=by,
            batch_id=batch.pk,
            language=get_language(),
        )
        _store(batch, status=BatchStatus.UNDOING, job=job)
    return batch


@job_handler("ledger.undo", on_interrupted=_undo_interrupted)
def undo_job(job, *, batch_id, language=None) -> dict:
    with translation.override(language or settings.LANGUAGE_CODE):
        return _undo_job(job, batch_id=batch_id)


def _undo_job(job, *, batch_id) -> dict:
    batch = ImportBatch.objects.get(pk=batch_id)
    user = job.user
    try:
        with transaction.atomic():
            conflicts = undo_conflicts(batch)
            if conflicts:
                raise ServiceError(_("不能撤销：{}。").format("；".join(conflicts[:10])))
            _ct, created, updated = _batch_changes(batch)
            total = len(created) + len(updated)
            with change_context(user=user, request_id=job.pk, source="import:undo", batch_id=batch.batch_id):
                done = 0
                for start in range(0, len(created), 500):
                    chunk = created[start : start + 500]
                    KeyProject.objects.filter(pk__in=chunk).delete()
                    done += len(chunk)
                    job.progress(done, total, _("正在删除导入的项目"))
                fields = {f.attname: f for f in KeyProject._meta.concrete_fields}
                skip = {"id", "version", "last_updated", "created"}
                for object_id, pre, post, _time in updated:
                    project = KeyProject.objects.get(pk=object_id)
                    for attname, before in (pre or {}).items():
                        if attname in skip or attname not in fields:
                            continue
                        if (post or {}).get(attname) != before:
                            setattr(project, attname, fields[attname].to_python(before))
                    project.save()
                    done += 1
                    job.progress(done, total, _("正在恢复更新前的数据"))
                _store(batch, status=BatchStatus.UNDONE, undone_at=timezone.now(), undone_by=user, message="")
                record_event(
                    batch,
                    "import_undone",
                    by=user,
                    message=_("撤销导入“{}”：删除 {} 个项目，恢复 {} 个").format(
                        batch.original_name, len(created), len(updated)
                    ),
                )
    except Exception as exc:
        message = getattr(exc, "message", None) or str(exc)
        _store(batch, status=BatchStatus.COMMITTED, message=_("撤销失败，数据未改变：{}").format(message))
        raise
    return {"url": batch.get_absolute_url(), "deleted": len(created), "restored": len(updated)}


def batch_objects(batch: ImportBatch):
    """The batch's change-log entries (what it created and changed), newest first."""
    return ObjectChange.objects.filter(batch_id=batch.batch_id).select_related("content_type")


FILE_KINDS = FileKind
