"""One FilterSet per model: list page, API and export."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from chainlead.assessment.choices import (
    GroupKind,
    PeriodKind,
    RankingStatus,
    SchemeStatus,
    ScoringMode,
    Source,
    SubjectKind,
)
from chainlead.assessment.models import (
    Adjustment,
    Indicator,
    IndicatorGroup,
    IndicatorScore,
    Ranking,
    Scheme,
    Score,
)
from chainlead.utilities.filtersets import BaseFilterSet


class SchemeFilterSet(BaseFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=SchemeStatus.choices)
    search_fields = ("name", "code", "description")

    class Meta:
        model = Scheme
        fields = ["status", "code"]


class IndicatorGroupFilterSet(BaseFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=GroupKind.choices)
    search_fields = ("name", "code")

    class Meta:
        model = IndicatorGroup
        fields = ["scheme", "kind"]


class IndicatorFilterSet(BaseFilterSet):
    mode = django_filters.MultipleChoiceFilter(choices=ScoringMode.choices)
    source = django_filters.MultipleChoiceFilter(choices=Source.choices)
    search_fields = ("name", "code", "definition")

    class Meta:
        model = Indicator
        fields = ["scheme", "group", "mode", "source"]


class RankingFilterSet(BaseFilterSet):
    subject_kind = django_filters.MultipleChoiceFilter(choices=SubjectKind.choices, label=_("考核对象"))
    period_kind = django_filters.MultipleChoiceFilter(choices=PeriodKind.choices, label=_("考核周期"))
    status = django_filters.MultipleChoiceFilter(choices=RankingStatus.choices)
    search_fields = ("label", "scheme__name")

    class Meta:
        model = Ranking
        fields = ["scheme", "subject_kind", "period_kind", "status"]


class ScoreFilterSet(BaseFilterSet):
    search_fields = ("name",)

    class Meta:
        model = Score
        fields = ["ranking", "unit", "chain"]


class IndicatorScoreFilterSet(BaseFilterSet):
    search_fields = ("score__name", "indicator__name")

    class Meta:
        model = IndicatorScore
        fields = ["score", "indicator", "entered"]


class AdjustmentFilterSet(BaseFilterSet):
    search_fields = ("reason", "item__score__name", "item__indicator__name")

    class Meta:
        model = Adjustment
        fields = ["item__score__ranking"]
