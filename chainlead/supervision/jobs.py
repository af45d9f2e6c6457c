"""Background jobs of 督查通报: building a bulletin (data snapshot, texts, .docx, .pdf)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from chainlead.core.jobs import job_handler


@job_handler("supervision.generate_bulletin")
def generate_bulletin(job, *, bulletin_id: int, fill_texts: bool = False) -> dict:
    """Collect the frozen period data (drafts only: an issued bulletin keeps its snapshot), fill
    the text sections from the template when asked, and write the document, with progress."""
    from chainlead.supervision import documents
    from chainlead.supervision.models import Bulletin
    from chainlead.supervision.services import build_now

    bulletin = Bulletin.objects.get(pk=bulletin_id)
    steps = 4 if documents.pdf_enabled() else 3
    result = build_now(
        bulletin, fill_texts=fill_texts, progress=lambda done, message: job.progress(done, steps, message)
    )
    bulletin.refresh_from_db()
    job.progress(steps, steps, _("已生成 {}").format(bulletin.doc_number))
    return result


@job_handler("supervision.freeze_period")
def freeze_period_job(job, *, period_id: int) -> dict:
    """Freeze a closed period's lights (queued when the period is closed)."""
    from chainlead.dispatch.models import Period
    from chainlead.supervision.services import freeze_period

    job.progress(0, 1, _("正在计算并冻结预警灯"))
    result = freeze_period(Period.objects.select_related("cycle").get(pk=period_id))
    job.progress(1, 1, _("已冻结"))
    return result
