"""Excel export of exactly what a list shows: the filtered rows and the chosen columns.

- Chinese headers carry their units ("总投资（万元）") because the column titles do.
- Numbers stay numbers (with a format), dates stay dates, the header row is frozen, widths fit.
- Text is always written as text (``write_string``), so a cell that starts like a formula
  ("=HYPERLINK(…)", "+1", "@SUM") is never evaluated by Excel or WPS; for CSV the same cells get a
  leading apostrophe.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import xlsxwriter
from django.http import HttpResponse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.html import strip_tags

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _text(value) -> str:
    text = strip_tags(str(value)) if value is not None else ""
    return text.replace("\xa0", " ").strip()


def _width(text: str) -> int:
    # CJK characters are about twice as wide as Latin ones.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def write_sheet(workbook, sheet_name: str, headers: list[str], rows, title: str | None = None):
    """Write one sheet; returns the worksheet."""
    ws = workbook.add_worksheet(sheet_name[:31])
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
    number_fmt = workbook.add_format({"num_format": "#,##0.00"})
    int_fmt = workbook.add_format({"num_format": "0"})
    date_fmt = workbook.add_format({"num_format": "yyyy-mm-dd"})
    datetime_fmt = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    widths = [_width(h) + 2 for h in headers]
    for c, header in enumerate(headers):
        ws.write_string(0, c, header, header_fmt)
    r = 0
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                ws.write_string(r, c, "是" if value else "否")
                text = "是"
            elif isinstance(value, Decimal):
                ws.write_number(r, c, float(value), number_fmt)
                text = f"{value:,.2f}"
            elif isinstance(value, int):
                ws.write_number(r, c, value, int_fmt)
                text = str(value)
            elif isinstance(value, float):
                ws.write_number(r, c, value, number_fmt)
                text = f"{value:,.2f}"
            elif isinstance(value, datetime.datetime):
                local = timezone.localtime(value) if timezone.is_aware(value) else value
                ws.write_datetime(r, c, local.replace(tzinfo=None), datetime_fmt)
                text = "0000-00-00 00:00"
            elif isinstance(value, datetime.date):
                ws.write_datetime(r, c, datetime.datetime.combine(value, datetime.time()), date_fmt)
                text = "0000-00-00"
            else:
                text = _text(value)
                ws.write_string(r, c, text)  # never a formula, whatever it starts with
            widths[c] = max(widths[c], min(60, _width(text) + 2))
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    ws.freeze_panes(1, 0)
    if headers:
        ws.autofilter(0, 0, max(r, 1), len(headers) - 1)
    return ws


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


def export_table(table, filename: str, sheet_name: str) -> HttpResponse:
    """Export a configured table (all filtered rows, chosen columns) to .xlsx."""
    headers, rows = table_rows(table)
    return xlsx_response(filename, [(sheet_name, headers, rows)])


def neutralise_csv(value: str) -> str:
    """For CSV, where a cell has no type: prefix formula-like text with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
