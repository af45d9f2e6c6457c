"""Background jobs of the war room: the portfolio Gantt export when it is large."""

from __future__ import annotations

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from chainlead.core import clock
from chainlead.core.jobs import job_handler
from chainlead.warroom import documents, gantt
from chainlead.warroom.models import ProjectSchedule, ScheduleNode


def portfolio_export_rows(qs, job=None):
    """(title, meta lines, project rows, node rows) of a filtered set of plans."""
    project_rows = gantt.portfolio_rows(qs)
    ids = [r.key for r in project_rows]
    nodes = (
        ScheduleNode.objects.filter(schedule_id__in=ids)
        .select_related("schedule__project", "owner_department")
        .order_by("schedule__target_date", "schedule_id", "sort_order", "pk")
    )
    base = {}
    from django.db.models import Max

    from chainlead.warroom.models import BaselineNode

    latest = dict(
        ProjectSchedule.objects.filter(pk__in=ids).annotate(m=Max("baselines__number")).values_list("pk", "m")
    )
    for node_id, sid, number, start, finish in BaselineNode.objects.filter(
        baseline__schedule_id__in=ids
    ).values_list("node_id", "baseline__schedule_id", "baseline__number", "late_start", "late_finish"):
        if latest.get(sid) == number:
            base[node_id] = (start, finish)
    node_rows = []
    for n in nodes:
        b = base.get(n.pk, (None, None))
        node_rows.append(
            gantt.GanttRow(
                key=n.pk,
                label=f"{n.schedule.project.name} · {n.name}",
                owner=n.owner_display,
                duration_wd=n.duration_wd,
                early_start=n.early_start,
                early_finish=n.early_finish,
                late_start=n.late_start,
                late_finish=n.late_finish,
                slack_wd=n.slack_wd,
                is_critical=n.is_critical,
                baseline_start=b[0],
                baseline_finish=b[1],
                actual_start=n.actual_start,
                actual_finish=n.actual_finish,
                variance_wd=n.variance_wd,
                status=n.status,
                status_label=n.get_status_display(),
            )
        )
    title = _("项目甘特图（倒排工期）")
    meta = [
        _("共 {} 个项目、{} 个节点；导出日期：{}；日期按工作日计算（含调休）。").format(
            len(project_rows), len(node_rows), clock.today().isoformat()
        )
    ]
    return title, meta, project_rows, node_rows


@job_handler("warroom.portfolio_gantt")
def export_portfolio_gantt(job, *, query: str = "") -> dict:
    from chainlead.core.exports import export_path
    from chainlead.warroom.filtersets import ProjectScheduleFilterSet

    qs = ProjectSchedule.objects.restrict(job.user, "view") if job.user else ProjectSchedule.objects.none()
    filterset = ProjectScheduleFilterSet(QueryDict(query), queryset=qs)
    qs = (filterset.qs if filterset.is_valid() else qs.none()).order_by("target_date", "pk")
    job.progress(0, 2, _("正在整理数据"))
    title, meta, project_rows, node_rows = portfolio_export_rows(qs)
    job.progress(1, 2, _("正在写入 Excel"))
    path = export_path(job)
    documents.portfolio_gantt_xlsx(str(path), title, meta, project_rows, node_rows)
    job.progress(2, 2, _("导出完成，共 {} 个项目").format(len(project_rows)))
    return {"rows": len(project_rows), "file": path.name, "url": reverse("core:job_file", args=[job.pk])}
