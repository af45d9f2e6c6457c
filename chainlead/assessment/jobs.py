"""The scoring job: measures and scores one ranking with a progress bar."""

from __future__ import annotations

from django.urls import reverse

from chainlead.assessment.choices import RankingStatus
from chainlead.assessment.models import Ranking
from chainlead.core.jobs import job_handler


@job_handler("assessment.score")
def run_scoring(job, *, ranking_id: int) -> dict:
    from chainlead.assessment import services

    ranking = Ranking.objects.get(pk=ranking_id)
    try:
        ranking = services.compute_ranking(ranking, progress=job.progress, by=job.user)
    except Exception:
        Ranking.objects.filter(pk=ranking_id).update(status=RankingStatus.FAILED)
        raise
    return {
        "ranking": ranking.pk,
        "subjects": ranking.scores.count(),
        "url": reverse("assessment:ranking_detail", args=[ranking.pk]),
    }
