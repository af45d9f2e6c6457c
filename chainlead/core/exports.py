"""Background exports of the platform's own logs (a large change log is exported as a job)."""

from __future__ import annotations

from pathlib import Path

import xlsxwriter
from django.conf import settings
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chainlead.core.jobs import job_handler


def export_path(job) -> Path:
    folder = Path(settings.MEDIA_ROOT) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{job.pk}.xlsx"


@job_handler("core.export_changelog")
def export_changelog(job, *, query: str = "") -> dict:
    """Write the filtered change log to .xlsx, row by row, reporting progress."""
    from chainlead.core.filtersets import ObjectChangeFilterSet
    from chainlead.core.models import ObjectChange
    from chainlead.organization.permissions import get_scope

    qs = ObjectChange.objects.select_related("content_type").order_by("-time", "-pk")
    if job.user is None or not get_scope(job.user).is_oversight:
        qs = qs.filter(user=job.user)
    filterset = ObjectChangeFilterSet(QueryDict(query), queryset=qs)
    qs = filterset.qs if filterset.is_valid() else qs.none()
    total = qs.count()
    job.progress(0, total, _("正在导出"))
    path = export_path(job)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False})
    ws = workbook.add_worksheet(_("变更记录"))
    bold = workbook.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1})
    headers = [
        _("时间"),
        _("操作人"),
        _("操作"),
        _("对象类型"),
        _("对象"),
        _("来源"),
        _("请求/任务编号"),
        _("修改内容"),
    ]
    for c, h in enumerate(headers):
        ws.write_string(0, c, h, bold)
    widths = [20, 10, 6, 12, 30, 14, 38, 80]
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    ws.freeze_panes(1, 0)
    step = max(1, total // 100)
    for i, change in enumerate(qs.iterator(chunk_size=2000), start=1):
        model = change.content_type.model_class()
        diff = "；".join(f"{k}: {b} → {a}" for k, b, a in change.diff())
        values = [
            timezone.localtime(change.time).strftime("%Y-%m-%d %H:%M:%S"),
            change.user_name or _("系统"),
            change.get_action_display(),
            str(model._meta.verbose_name) if model else change.content_type.model,
            change.object_repr,
            change.source,
            str(change.request_id),
            diff[:32000],
        ]
        for c, v in enumerate(values):
            ws.write_string(i, c, v)
        if i % step == 0:
            job.progress(i, total)
    workbook.close()
    job.progress(total, total, _("导出完成，共 {} 条").format(total))
    return {"rows": total, "file": path.name, "url": reverse("core:job_file", args=[job.pk])}
