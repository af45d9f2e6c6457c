"""Excel export of exactly what a list shows: the filtered rows and the chosen columns.

- Chinese headers carry their units ("总投资（万元）") because the column titles do.
- Numbers stay numbers (with a format), dates stay dates, the header row is frozen, widths fit.
- Text is always written as text (``write_string``), so a cell that starts like a formula
  ("=HYPERLINK(…)", "+1", "@SUM") is never evaluated by Excel or WPS; for CSV the same cells get a
  leading apostrophe.
- More than ``EXPORT_JOB_ROWS`` rows: the export runs as a job with a progress bar and a download
  link (the list page's "导出 Excel" answers with a redirect to the job).
- The file re-imports through the ledger import (chainlead.ledger) without changing anything: its
  headers are the column titles the import's synonym table maps back exactly.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import xlsxwriter
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.html import strip_tags
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from chainlead.core.jobs import job_handler

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _text(value) -> str:
    text = strip_tags(str(value)) if value is not None else ""
    return text.replace("\xa0", " ").strip()


def _width(text: str) -> int:
    # CJK characters are about twice as wide as Latin ones.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


class SheetWriter:
    """Writes one sheet row by row (so a large export can stream with ``constant_memory``), then
    sets the column widths, freezes the header row and adds a filter."""

    def __init__(self, workbook, sheet_name: str, headers: list[str]):
        self.ws = workbook.add_worksheet(sheet_name[:31])
        self.headers = headers
        header_fmt = workbook.add_format(
            {
                "bold": True,
                "bg_color": "#E8EEF7",
                "border": 1,
                "text_wrap": True,
                "valign": "vcenter",
                "align": "center",
            }
        )
        self.number_fmt = workbook.add_format({"num_format": "#,##0.00"})
        self.int_fmt = workbook.add_format({"num_format": "0"})
        self.date_fmt = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime_fmt = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        # Formula-like text also gets Excel's "leading apostrophe" (quotePrefix): should someone
        # edit the cell later, Excel and WPS still keep it as text.
        self.quoted_fmt = workbook.add_format({"quote_prefix": True})
        self.widths = [_width(h) + 2 for h in headers]
        for c, header in enumerate(headers):
            self.ws.write_string(0, c, header, header_fmt)
        self.r = 0

    def write_rows(self, rows) -> int:
        ws, widths = self.ws, self.widths
        for row in rows:
            self.r += 1
            r = self.r
            for c, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, bool):
                    ws.write_string(r, c, "是" if value else "否")
                    text = "是"
                elif isinstance(value, Decimal):
                    ws.write_number(r, c, float(value), self.number_fmt)
                    text = f"{value:,.2f}"
                elif isinstance(value, int):
                    ws.write_number(r, c, value, self.int_fmt)
                    text = str(value)
                elif isinstance(value, float):
                    ws.write_number(r, c, value, self.number_fmt)
                    text = f"{value:,.2f}"
                elif isinstance(value, datetime.datetime):
                    local = timezone.localtime(value) if timezone.is_aware(value) else value
                    ws.write_datetime(r, c, local.replace(tzinfo=None), self.datetime_fmt)
                    text = "0000-00-00 00:00"
                elif isinstance(value, datetime.date):
                    ws.write_datetime(r, c, datetime.datetime.combine(value, datetime.time()), self.date_fmt)
                    text = "0000-00-00"
                else:
                    text = _text(value)
                    if text.startswith(FORMULA_PREFIXES):
                        ws.write_string(r, c, text, self.quoted_fmt)
                    else:
                        ws.write_string(r, c, text)  # never a formula, whatever it starts with
                if c < len(widths):
                    widths[c] = max(widths[c], min(60, _width(text) + 2))
        return self.r

    def finish(self):
        for c, w in enumerate(self.widths):
            self.ws.set_column(c, c, w)
        self.ws.freeze_panes(1, 0)
        if self.headers:
            self.ws.autofilter(0, 0, max(self.r, 1), len(self.headers) - 1)
        return self.ws


def write_sheet(workbook, sheet_name: str, headers: list[str], rows, title: str | None = None):
    """Write one sheet; returns the worksheet."""
    writer = SheetWriter(workbook, sheet_name, headers)
    writer.write_rows(rows)
    return writer.finish()


def table_rows(table):
    """Headers and raw values of the table's visible, exportable columns for all its rows."""
    columns = [c for c in table.columns if c.visible and c.name != "pk" and not c.column.exclude_from_export]
    headers = [_text(c.header) for c in columns]

    def rows():
        for row in table.rows:
            out = []
            for column in columns:
                value = row.get_cell_value(column.name)
                if hasattr(value, "pk") and not isinstance(value, (str, int)):
                    value = str(value)
                elif hasattr(value, "all") and callable(value.all):
                    value = "、".join(str(v) for v in value.all())
                elif isinstance(value, (list, tuple)):
                    value = "、".join(str(v) for v in value)
                out.append(value)
            yield out

    return headers, rows()


def xlsx_response(filename: str, sheets: list[tuple[str, list[str], object]]) -> HttpResponse:
    """An .xlsx download with one sheet per (name, headers, rows)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    for name, headers, rows in sheets:
        write_sheet(workbook, name, headers, rows)
    workbook.close()
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response


#: Above this many rows an export runs as a background job with progress and a download link.
EXPORT_JOB_ROWS = 5000


def export_table(table, filename: str, sheet_name: str) -> HttpResponse:
    """Export a configured table (all filtered rows, chosen columns) to .xlsx.

    A table of more than ``EXPORT_JOB_ROWS`` rows is exported by a job instead: the response
    redirects to the job's page, whose progress bar ends with a download button."""
    queued = _queue_large_export(table, filename, sheet_name)
    if queued is not None:
        return queued
    headers, rows = table_rows(table)
    return xlsx_response(filename, [(sheet_name, headers, rows)])


def _lookups(select_related, prefix: str = "") -> list[str]:
    if not isinstance(select_related, dict):
        return []
    out = []
    for name, nested in select_related.items():
        path = f"{prefix}{name}"
        deeper = _lookups(nested, f"{path}__")
        out.extend(deeper or [path])
    return out


def _queue_large_export(table, filename: str, sheet_name: str):
    from django.shortcuts import redirect

    from chainlead.core.context import current
    from chainlead.core.jobs import enqueue_job

    queryset = getattr(getattr(table, "data", None), "data", None)
    if not isinstance(queryset, QuerySet):
        return None
    user = current().user
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if len(table.data) <= EXPORT_JOB_ROWS:
        return None
    model = queryset.model
    job = enqueue_job(
        "utilities.export_table",
        label=_("导出：{}").format(sheet_name)[:200],
        by=user,
        model=model._meta.label,
        table=f"{type(table).__module__}.{type(table).__qualname__}",
        pks=list(queryset.values_list("pk", flat=True)),
        columns=[c.name for c in table.columns if c.visible and c.name != "pk"],
        sheet=sheet_name,
        language=get_language(),
        select_related=_lookups(queryset.query.select_related),
        prefetch=[p for p in queryset._prefetch_related_lookups if isinstance(p, str)],
    )
    return redirect("core:job_detail", pk=job.pk)


@job_handler("utilities.export_table")
def export_table_job(job, *, language=None, **kwargs) -> dict:
    """Write a large list to .xlsx in chunks, reporting progress; the file is served by
    ``core:job_file`` to the job's owner. Headers are in the language of the request."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(language or settings.LANGUAGE_CODE):
        return _export_table_job(job, **kwargs)


def _export_table_job(job, *, model, table, pks, columns, sheet, select_related=(), prefetch=()) -> dict:
    from django.apps import apps
    from django.urls import reverse
    from django.utils.module_loading import import_string

    from chainlead.core.exports import export_path

    model_class = apps.get_model(model)
    table_class = import_string(table)
    base = model_class._default_manager.restrict(job.user, "view")
    if select_related:
        base = base.select_related(*select_related)
    if prefetch:
        base = base.prefetch_related(*prefetch)
    path = export_path(job)
    workbook = xlsxwriter.Workbook(
        str(path), {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    writer = None
    total = len(pks)
    # The headers come from a table over a queryset: over a plain list django-tables2 does not know
    # the model and would title-case the column names instead of using the fields' verbose names.
    headers, _rows = table_rows(table_class(base.none(), user=job.user, selected_columns=columns))
    job.progress(0, total, _("正在导出"))
    for start in range(0, total, 2000):
        chunk = pks[start : start + 2000]
        found = base.in_bulk(chunk)
        objects = [found[pk] for pk in chunk if pk in found]
        page = table_class(objects, user=job.user, selected_columns=columns)
        _list_headers, rows = table_rows(page)
        if writer is None:
            writer = SheetWriter(workbook, sheet, headers)
        writer.write_rows(rows)
        job.progress(min(start + len(chunk), total), total, _("正在导出"))
    if writer is None:
        writer = SheetWriter(workbook, sheet, headers)
    written = writer.r
    writer.finish()
    workbook.close()
    job.progress(total, total, _("导出完成，共 {} 行").format(written))
    return {"rows": written, "file": path.name, "url": reverse("core:job_file", args=[job.pk])}


def neutralise_csv(value: str) -> str:
    """For CSV, where a cell has no type: prefix formula-like text with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (Decimal, int, float)):
        return str(value)
    return neutralise_csv(_text(value))


def csv_response(filename: str, headers: list[str], rows) -> HttpResponse:
    """A .csv download (UTF-8 with BOM, so Excel opens it in Chinese); formula-like text is
    neutralised with a leading apostrophe, which the ledger import removes again."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise_csv(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    response = HttpResponse(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response
