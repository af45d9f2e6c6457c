"""Gantt charts as editable .xlsx (xlsxwriter): a real table of the nodes plus a bar area of
coloured cells, one column per week, that the office can edit in Excel or WPS.

Table columns: 序号, 节点, 责任部门, 工期, 最早开始/完成, 最迟开始/完成, 总时差, 关键节点, 基线开始/完成,
实际开始/完成, 偏差（工作日）, 状态. Bar area: a cell is filled where the node's current plan covers
that week (blue; red on the critical path), light grey where only the approved baseline covers it,
green where the node was actually being worked; a dark bottom border marks the baseline window.
The week of today is marked in the header.
"""

from __future__ import annotations

import datetime
import io

import xlsxwriter
from django.utils.translation import gettext as _

from chainlead.core import clock
from chainlead.warroom.gantt import GanttRow, date_range

COLORS = {
    "plan": "#4C8BF5",
    "critical": "#D63939",
    "baseline": "#D5D9E0",
    "actual": "#2FB344",
    "header": "#E8EEF7",
    "today": "#FFE08A",
}


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _covers(start, end, week: datetime.date) -> bool:
    if not start or not end:
        return False
    return start <= week + datetime.timedelta(days=6) and end >= week


class GanttWorkbook:
    """A workbook with one or more Gantt sheets."""

    def __init__(self, target):
        self.wb = xlsxwriter.Workbook(target, {"in_memory": True, "strings_to_formulas": False})
        wb = self.wb
        self.f = {
            "title": wb.add_format({"bold": True, "font_size": 14}),
            "meta": wb.add_format({"font_color": "#555555"}),
            "head": wb.add_format(
                {
                    "bold": True,
                    "bg_color": COLORS["header"],
                    "border": 1,
                    "text_wrap": True,
                    "valign": "vcenter",
                    "align": "center",
                }
            ),
            "text": wb.add_format({"border": 1, "valign": "vcenter"}),
            "wrap": wb.add_format({"border": 1, "valign": "vcenter", "text_wrap": True}),
            "int": wb.add_format({"border": 1, "num_format": "0", "valign": "vcenter"}),
            "date": wb.add_format({"border": 1, "num_format": "yyyy-mm-dd", "valign": "vcenter"}),
            "red_int": wb.add_format({"border": 1, "num_format": "0", "font_color": "#D63939", "bold": True}),
            "month": wb.add_format(
                {"bold": True, "align": "center", "bg_color": COLORS["header"], "border": 1}
            ),
            "week": wb.add_format(
                {"font_size": 8, "align": "center", "rotation": 90, "border": 1, "bg_color": COLORS["header"]}
            ),
            "week_today": wb.add_format(
                {
                    "font_size": 8,
                    "align": "center",
                    "rotation": 90,
                    "border": 1,
                    "bg_color": COLORS["today"],
                    "bold": True,
                }
            ),
        }
        self._bars: dict[tuple, object] = {}

    def bar(self, fill: str | None, baseline: bool, today: bool):
        key = (fill, baseline, today)
        if key not in self._bars:
            spec = {"border": 1, "border_color": "#E6E8EB"}
            if fill:
                spec.update(bg_color=COLORS[fill], pattern=1)
            if baseline:
                spec.update(bottom=5, bottom_color="#3B4452")
            if today:
                spec.update(left=2, left_color="#D63939")
            self._bars[key] = self.wb.add_format(spec)
        return self._bars[key]

    def close(self):
        self.wb.close()

    def sheet(self, name: str, title: str, meta: list[str], rows: list[GanttRow], *, portfolio: bool = False):
        """Write one sheet: title, meta lines, a legend, the table and the week bars."""
        f = self.f
        ws = self.wb.add_worksheet(name[:31])
        today = clock.today()
        ws.write_string(0, 0, title, f["title"])
        for i, line in enumerate(meta, start=1):
            ws.write_string(i, 0, line, f["meta"])
        legend_row = len(meta) + 1
        ws.write_string(legend_row, 0, _("图例："), f["meta"])
        legend = [
            ("plan", _("计划（最早开始—最早完成）")),
            ("critical", _("关键路径")),
            ("baseline", _("仅基线覆盖")),
            ("actual", _("实际进行")),
        ]
        col = 1
        for key, text in legend:
            ws.write_blank(legend_row, col, None, self.bar(key, False, False))
            ws.write_string(legend_row, col + 1, text, f["meta"])
            col += 3
        ws.write_blank(legend_row, col, None, self.bar(None, True, False))
        ws.write_string(legend_row, col + 1, _("基线时限（下边框）"), f["meta"])

        if portfolio:
            headers = [
                (_("序号"), 5),
                (_("项目"), 34),
                (_("片区/战区"), 14),
                (_("目标"), 8),
                (_("目标日期"), 11),
                (_("预测达成"), 11),
                (_("计划开始"), 11),
                (_("计划完成"), 11),
                (_("基线开始"), 11),
                (_("基线完成"), 11),
                (_("实际开始"), 11),
                (_("实际完成"), 11),
                (_("缺口（工作日）"), 8),
                (_("逾期节点"), 7),
                (_("基线编号"), 7),
                (_("状态"), 12),
            ]
        else:
            headers = [
                (_("序号"), 5),
                (_("节点"), 28),
                (_("责任部门"), 18),
                (_("工期（工作日）"), 7),
                (_("最早开始"), 11),
                (_("最早完成"), 11),
                (_("最迟开始"), 11),
                (_("最迟完成"), 11),
                (_("总时差（工作日）"), 7),
                (_("关键节点"), 6),
                (_("基线开始"), 11),
                (_("基线完成"), 11),
                (_("实际开始"), 11),
                (_("实际完成"), 11),
                (_("偏差（工作日）"), 7),
                (_("状态"), 10),
            ]
        head = legend_row + 2
        for c, (text, width) in enumerate(headers):
            ws.merge_range(head, c, head + 1, c, text, f["head"])
            ws.set_column(c, c, width)
        first_bar = len(headers)
        start, end = date_range(rows, today)
        weeks = []
        week = _monday(start)
        while week <= end:
            weeks.append(week)
            week += datetime.timedelta(days=7)
        # Month header over the week columns, week start dates below.
        c = first_bar
        while c < first_bar + len(weeks):
            month = weeks[c - first_bar].strftime("%Y-%m")
            span = 1
            while (
                c + span < first_bar + len(weeks) and weeks[c + span - first_bar].strftime("%Y-%m") == month
            ):
                span += 1
            label = _("{}年{}月").format(month[:4], int(month[5:]))
            if span > 1:
                ws.merge_range(head, c, head, c + span - 1, label, f["month"])
            else:
                ws.write_string(head, c, label, f["month"])
            c += span
        this_week = _monday(today)
        for k, week in enumerate(weeks):
            ws.write_string(
                head + 1,
                first_bar + k,
                week.strftime("%m-%d"),
                f["week_today" if week == this_week else "week"],
            )
        ws.set_column(first_bar, first_bar + max(len(weeks) - 1, 0), 2.6)
        ws.set_row(head + 1, 34)
        ws.freeze_panes(head + 2, 2)

        for i, r in enumerate(rows, start=1):
            row = head + 1 + i
            if portfolio:
                x = r.extra
                values = [
                    i,
                    r.label,
                    r.owner,
                    x.get("target_kind", ""),
                    x.get("target_date"),
                    x.get("forecast_date"),
                    r.early_start,
                    r.early_finish,
                    r.baseline_start,
                    r.baseline_finish,
                    r.actual_start,
                    r.actual_finish,
                    x.get("shortfall_wd") or 0,
                    x.get("overdue_count") or 0,
                    x.get("baseline_number") or "",
                    x.get("status", ""),
                ]
            else:
                values = [
                    i,
                    r.label,
                    r.owner,
                    r.duration_wd,
                    r.early_start,
                    r.early_finish,
                    r.late_start,
                    r.late_finish,
                    r.slack_wd,
                    _("是") if r.is_critical else "",
                    r.baseline_start,
                    r.baseline_finish,
                    r.actual_start,
                    r.actual_finish,
                    r.variance_wd,
                    r.status_label,
                ]
            for c, value in enumerate(values):
                self._write(ws, row, c, value, red=(not portfolio and c == 14 and (value or 0) > 0))
            actual_end = r.actual_finish or (today if r.actual_start else None)
            for k, week in enumerate(weeks):
                if _covers(r.actual_start, actual_end, week):
                    fill = "actual"
                elif _covers(r.early_start, r.early_finish, week):
                    fill = "critical" if r.is_critical else "plan"
                elif _covers(r.baseline_start, r.baseline_finish, week):
                    fill = "baseline"
                else:
                    fill = None
                baseline = _covers(r.baseline_start, r.baseline_finish, week)
                ws.write_blank(row, first_bar + k, None, self.bar(fill, baseline, week == this_week))
        ws.autofilter(head + 1, 0, head + 1 + len(rows), len(headers) - 1)
        ws.set_landscape()
        ws.set_paper(8)  # A3
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(head, head + 1)
        return ws

    def _write(self, ws, row, col, value, *, red=False):
        f = self.f
        if value is None or value == "":
            ws.write_blank(row, col, None, f["text"])
        elif isinstance(value, bool):
            ws.write_string(row, col, _("是") if value else "", f["text"])
        elif isinstance(value, int):
            ws.write_number(row, col, value, f["red_int"] if red else f["int"])
        elif isinstance(value, datetime.date):
            ws.write_datetime(row, col, datetime.datetime.combine(value, datetime.time()), f["date"])
        else:
            ws.write_string(row, col, str(value), f["wrap" if col == 1 else "text"])


def project_gantt_xlsx(schedule, rows: list[GanttRow], baseline=None) -> bytes:
    """The Gantt of one plan as .xlsx bytes."""
    buffer = io.BytesIO()
    book = GanttWorkbook(buffer)
    project = schedule.project
    meta = [
        _("目标：{} {}；计划状态：{}；{}").format(
            schedule.get_target_kind_display(),
            schedule.target_date.isoformat(),
            schedule.get_status_display(),
            _("可行") if schedule.feasible else _("不可行，差 {} 个工作日").format(schedule.shortfall_wd),
        ),
        _("基线：{}；导出日期：{}；日期按工作日计算（含调休）。").format(
            str(baseline) if baseline else _("尚未批准"), clock.today().isoformat()
        ),
    ]
    book.sheet(_("甘特图"), _("{}进度计划（倒排工期）").format(project.name), meta, rows)
    book.close()
    return buffer.getvalue()


def portfolio_gantt_xlsx(target, title: str, meta: list[str], project_rows: list[GanttRow], node_rows=None):
    """The portfolio Gantt (one row per project) and, optionally, every node on a second sheet."""
    book = GanttWorkbook(target)
    book.sheet(_("项目甘特图"), title, meta, project_rows, portfolio=True)
    if node_rows:
        book.sheet(_("全部节点"), title, meta, node_rows)
    book.close()
