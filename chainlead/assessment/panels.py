"""The assessment panel of the leaders' dashboard: the latest zone ranking with rank changes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def ranking_context(request, dash) -> dict:
    from chainlead.assessment import charts
    from chainlead.assessment.queries import latest_ranking

    ranking = latest_ranking(getattr(dash, "period_end", None), "zone") or latest_ranking(None, "zone")
    if ranking is None:
        return {"ranking": None}
    scores = list(ranking.scores.order_by("rank", "name"))
    return {
        "ranking": ranking,
        "scores": scores,
        "chart": charts.total_chart(ranking, scores),
        "height": charts.bar_height(scores),
    }


def register_panels() -> None:
    from chainlead.dashboard.panels import Panel, register_panel

    register_panel(
        Panel(
            key="assessment_ranking",
            title=_("功能区考核排名"),
            order=39,
            template="assessment/panels/ranking.html",
            context=ranking_context,
            supports_as_of=False,
        )
    )
