"""Pages of assessment (工作考核): schemes and their weights, the 口径 page of every indicator,
the scoring run with its progress bar, rankings with the per-indicator breakdown, a chart and
the .xlsx export, and each subject's score page with manual entry and adjustment.

Views are declarations plus thin handlers that call ``services``."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chainlead.assessment import charts, documents, filtersets, forms, services, tables
from chainlead.assessment.choices import GroupKind, RankingStatus, Source
from chainlead.assessment.computations import REGISTRY
from chainlead.assessment.models import (
    Adjustment,
    Indicator,
    IndicatorGroup,
    IndicatorScore,
    Ranking,
    Scheme,
    Score,
)
from chainlead.assessment.texts import num, show_value
from chainlead.core.exceptions import ConflictError, ServiceError
from chainlead.organization.permissions import get_scope
from chainlead.utilities import views as generic


def _frozen_actions(scheme) -> dict:
    """A published scheme's parts show no edit or delete button (a change is a new version)."""
    return {"edit_url": None, "delete_url": None} if scheme.is_frozen else {}


def _can_manage(user) -> bool:
    return get_scope(user).can(Ranking, "approve")


class FrozenSafeDeleteView(generic.ObjectDeleteView):
    """Deleting part of a published scheme answers with the model's message instead of an error."""

    def post(self, request, **kwargs):
        obj = self.get_object(request, "delete", **kwargs)
        scheme = getattr(obj, "scheme", obj if isinstance(obj, Scheme) else None)
        if scheme is not None and scheme.is_frozen and (not isinstance(obj, Scheme) or obj.rankings.exists()):
            from chainlead.assessment.models import frozen_message

            messages.error(request, frozen_message(scheme))
            return redirect(obj.get_absolute_url())
        try:
            return super().post(request, **kwargs)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect(obj.get_absolute_url())


# ================================================================================================
# schemes
# ================================================================================================
class SchemeListView(generic.ObjectListView):
    queryset = Scheme.objects.annotate(indicator_count=Count("indicators"))
    filterset_class = filtersets.SchemeFilterSet
    table_class = tables.SchemeTable
    bulk_actions = ()


class SchemeView(generic.ObjectDetailView):
    queryset = Scheme.objects.select_related("previous", "published_by")

    def get_extra_context(self, request, obj):
        groups = list(
            obj.groups.order_by("sort_order", "pk").prefetch_related(
                Prefetch("indicators", queryset=Indicator.objects.order_by("sort_order", "pk"))
            )
        )
        for group in groups:
            group.rows = list(group.indicators.all())
            for ind in group.rows:
                ind.group = group
            group.indicator_sum = sum((i.weight for i in group.rows), Decimal(0))
            group.sum_ok = group.kind != GroupKind.REGULAR or group.indicator_sum == group.weight
        regular_sum = sum((g.weight for g in groups if g.kind == GroupKind.REGULAR), Decimal(0))
        can_manage = _can_manage(request.user)
        return {
            "groups": groups,
            "regular_sum": regular_sum,
            "problems": services.scheme_problems(obj),
            "versions": Scheme.objects.filter(code=obj.code).order_by("-revision"),
            "rankings": obj.rankings.order_by("-period_end", "subject_kind")[:12],
            "can_manage": can_manage,
            "edit_url": reverse("assessment:scheme_edit", args=[obj.pk])
            if can_manage and not obj.is_frozen
            else None,
            "delete_url": reverse("assessment:scheme_delete", args=[obj.pk])
            if can_manage and not obj.rankings.exists()
            else None,
        }


class SchemeEditView(generic.ObjectEditView):
    queryset = Scheme.objects.all()
    form_class = forms.SchemeForm


class SchemeDeleteView(FrozenSafeDeleteView):
    queryset = Scheme.objects.all()


def _scheme_for(request, pk, action="change") -> Scheme:
    scheme = get_object_or_404(Scheme.objects.restrict(request.user, "view"), pk=pk)
    if not get_scope(request.user).has_perm(scheme, action):
        raise PermissionDenied(_("只有领导小组办公室可以维护考核方案。"))
    return scheme


@login_required
@require_POST
def scheme_publish(request, pk):
    scheme = _scheme_for(request, pk)
    try:
        scheme = services.publish_scheme(scheme, by=request.user)
        messages.success(request, _("已发布{}。").format(scheme))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(scheme.get_absolute_url())


@login_required
@require_POST
def scheme_new_version(request, pk):
    scheme = _scheme_for(request, pk, "add")
    copy = services.new_version(scheme, by=request.user)
    messages.success(request, _("已生成{}（草稿），可在其中修改指标和权重，发布后生效。").format(copy))
    return redirect(copy.get_absolute_url())


@login_required
def scheme_weights(request, pk):
    """Edit every weight of a draft scheme at once; the sums are checked before anything is saved."""
    scheme = _scheme_for(request, pk)
    if scheme.is_frozen:
        from chainlead.assessment.models import frozen_message

        messages.error(request, frozen_message(scheme))
        return redirect(scheme.get_absolute_url())
    form = forms.WeightsForm(scheme, request.POST or None)
    if request.method == "POST" and form.is_valid():
        weights, group_weights = form.weights()
        try:
            services.set_weights(
                scheme,
                weights=weights,
                group_weights=group_weights,
                by=request.user,
                seen_versions=form.seen_versions(),
            )
        except (ServiceError, ConflictError) as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("权重已保存。"))
            return redirect(scheme.get_absolute_url())
    groups = []
    for group in scheme.groups.order_by("sort_order", "pk"):
        groups.append(
            {
                "group": group,
                "field": form[f"g{group.pk}"],
                "fields": [form[f"i{i.pk}"] for i in group.indicators.order_by("sort_order", "pk")],
            }
        )
    return render(
        request, "assessment/scheme_weights.html", {"object": scheme, "form": form, "groups": groups}
    )


# ================================================================================================
# groups and indicators
# ================================================================================================
class IndicatorGroupListView(generic.ObjectListView):
    queryset = IndicatorGroup.objects.select_related("scheme")
    filterset_class = filtersets.IndicatorGroupFilterSet
    table_class = tables.IndicatorGroupTable
    bulk_actions = ()


class IndicatorGroupView(generic.ObjectDetailView):
    queryset = IndicatorGroup.objects.select_related("scheme")

    def get_extra_context(self, request, obj):
        return {"indicators": obj.indicators.order_by("sort_order", "pk"), **_frozen_actions(obj.scheme)}


class IndicatorGroupEditView(generic.ObjectEditView):
    queryset = IndicatorGroup.objects.select_related("scheme")
    form_class = forms.IndicatorGroupForm


class IndicatorGroupDeleteView(FrozenSafeDeleteView):
    queryset = IndicatorGroup.objects.select_related("scheme")


class IndicatorListView(generic.ObjectListView):
    queryset = Indicator.objects.select_related("scheme", "group")
    filterset_class = filtersets.IndicatorFilterSet
    table_class = tables.IndicatorTable
    bulk_actions = ()
    export_name = "考核指标口径"


class IndicatorView(generic.ObjectDetailView):
    """The indicator's 口径 page: what is counted, the formula, the source, the weight, the target."""

    queryset = Indicator.objects.select_related("scheme", "group")

    def get_extra_context(self, request, obj):
        computation = REGISTRY.get(obj.computation) if obj.source == Source.COMPUTED else None
        latest = (
            IndicatorScore.objects.filter(
                indicator=obj, score__ranking__status__in=[RankingStatus.COMPUTED, RankingStatus.PUBLISHED]
            )
            .select_related("score__ranking")
            .order_by("-score__ranking__period_end", "score__rank")
        )
        first = latest.first()
        recent = list(latest.filter(score__ranking=first.score.ranking)) if first else []
        for item in recent:
            item.shown = show_value(item.value, obj.value_unit)
        return {
            "computation": computation,
            "recent": recent,
            "recent_ranking": first.score.ranking if first else None,
            "other_versions": Indicator.objects.filter(scheme__code=obj.scheme.code, code=obj.code)
            .exclude(pk=obj.pk)
            .select_related("scheme")
            .order_by("-scheme__revision"),
            "target_text": show_value(obj.target, obj.value_unit) if obj.target is not None else "",
            **_frozen_actions(obj.scheme),
        }


class IndicatorEditView(generic.ObjectEditView):
    queryset = Indicator.objects.select_related("scheme", "group")
    form_class = forms.IndicatorForm


class IndicatorDeleteView(FrozenSafeDeleteView):
    queryset = Indicator.objects.select_related("scheme", "group")


# ================================================================================================
# scoring and rankings
# ================================================================================================
@login_required
def run(request):
    """考核计分: choose scheme, subjects and period → the job runs → the ranking page."""
    if not _can_manage(request.user):
        raise PermissionDenied(_("只有领导小组办公室可以进行考核计分。"))
    form = forms.RunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ranking = services.start_ranking(
                scheme=data["scheme"],
                subject_kind=data["subject_kind"],
                period_kind=data["period_kind"],
                year=data["year"],
                number=data["number"] or 1,
                by=request.user,
            )
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect(ranking.get_absolute_url())
    recent = Ranking.objects.select_related("scheme").order_by("-computed_at", "-pk")[:10]
    return render(request, "assessment/run.html", {"form": form, "recent": recent})


class RankingListView(generic.ObjectListView):
    queryset = Ranking.objects.select_related("scheme")
    filterset_class = filtersets.RankingFilterSet
    table_class = tables.RankingTable
    bulk_actions = ()


class RankingView(generic.ObjectDetailView):
    queryset = Ranking.objects.select_related("scheme", "job", "previous")

    def get(self, request, **kwargs):
        if request.GET.get("export") == "xlsx":
            ranking = self.get_object(request, "view", **kwargs)
            return documents.ranking_xlsx(ranking)
        return super().get(request, **kwargs)

    def get_extra_context(self, request, obj):
        groups = list(obj.scheme.groups.order_by("sort_order", "pk"))
        indicators = list(
            obj.scheme.indicators.select_related("group").order_by("group__sort_order", "sort_order", "pk")
        )
        scores = list(obj.scores.select_related("unit", "chain").order_by("rank", "name"))
        items = {}
        for item in IndicatorScore.objects.filter(score__ranking=obj).only(
            "score_id", "indicator_id", "final_score", "adjusted_score", "value", "entered"
        ):
            items[(item.score_id, item.indicator_id)] = item
        for score in scores:
            score.group_values = [Decimal(score.subtotals.get(g.code, "0")) for g in groups]
            score.cells = [items.get((score.pk, ind.pk)) for ind in indicators]
        missing = sum(
            1
            for i in items.values()
            if not i.entered
            and i.adjusted_score is None
            and i.indicator_id in {ind.pk for ind in indicators if ind.source == Source.MANUAL}
        )
        has_results = obj.status in (RankingStatus.COMPUTED, RankingStatus.PUBLISHED)
        can_manage = _can_manage(request.user)
        return {
            "groups": groups,
            "indicators": indicators,
            "scores": scores,
            "missing_manual": missing,
            "has_results": has_results,
            "chart": charts.total_chart(obj, scores) if has_results and scores else None,
            "chart_height": charts.bar_height(scores),
            "load_charts": True,
            "can_manage": can_manage,
            "can_publish": can_manage and obj.status == RankingStatus.COMPUTED,
            "can_rerun": can_manage and obj.status in (RankingStatus.COMPUTED, RankingStatus.FAILED),
            "edit_url": None,
            "delete_url": reverse("assessment:ranking_delete", args=[obj.pk])
            if can_manage and obj.status != RankingStatus.PUBLISHED
            else None,
        }


class RankingDeleteView(generic.ObjectDeleteView):
    queryset = Ranking.objects.all()

    def post(self, request, **kwargs):
        obj = self.get_object(request, "delete", **kwargs)
        if obj.status == RankingStatus.PUBLISHED:
            messages.error(request, _("已发布的排名不能删除。"))
            return redirect(obj.get_absolute_url())
        return super().post(request, **kwargs)


@login_required
def ranking_progress(request, pk):
    """The job's progress bar while the ranking is computed; when it is done the page reloads."""
    ranking = get_object_or_404(Ranking.objects.restrict(request.user, "view").select_related("job"), pk=pk)
    if ranking.status != RankingStatus.COMPUTING:
        response = HttpResponse("")
        response["HX-Refresh"] = "true"
        return response
    job = ranking.job.load_live_progress() if ranking.job else None
    return render(request, "assessment/inc/ranking_progress.html", {"object": ranking, "job": job})


def _ranking_for(request, pk) -> Ranking:
    ranking = get_object_or_404(
        Ranking.objects.restrict(request.user, "view").select_related("scheme"), pk=pk
    )
    if not get_scope(request.user).has_perm(ranking, "approve"):
        raise PermissionDenied(_("只有领导小组办公室可以计算、调整和发布考核排名。"))
    return ranking


@login_required
@require_POST
def ranking_publish(request, pk):
    ranking = _ranking_for(request, pk)
    try:
        services.publish_ranking(ranking, by=request.user)
        messages.success(request, _("已发布{}。").format(ranking))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(ranking.get_absolute_url())


@login_required
@require_POST
def ranking_rerun(request, pk):
    ranking = _ranking_for(request, pk)
    try:
        start = ranking.period_start
        number = (start.month - 1) // 3 + 1 if ranking.period_kind == "quarter" else start.month
        ranking = services.start_ranking(
            scheme=ranking.scheme,
            subject_kind=ranking.subject_kind,
            period_kind=ranking.period_kind,
            year=start.year,
            number=number,
            by=request.user,
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(ranking.get_absolute_url())


class ScoreView(generic.ObjectDetailView):
    """One subject's breakdown: every indicator's value, formula and score, with manual entry and
    adjustment for the office."""

    queryset = Score.objects.select_related("ranking__scheme", "unit", "chain")

    def get_extra_context(self, request, obj):
        ranking = obj.ranking
        items = list(
            obj.items.select_related("indicator__group", "entered_by")
            .prefetch_related(
                Prefetch("adjustments", queryset=Adjustment.objects.select_related("by").order_by("-created"))
            )
            .order_by("indicator__group__sort_order", "indicator__sort_order", "pk")
        )
        for item in items:
            ind = item.indicator
            item.shown = show_value(item.value, ind.value_unit)
            target = services.effective_target(ind, ranking)
            item.target_shown = show_value(target, ind.value_unit) if target is not None else ""
            item.formula = ind.formula_text()
            if item.numerator is not None and item.denominator is not None:
                item.fraction = f"{num(item.numerator)} / {num(item.denominator)}"
        groups = list(ranking.scheme.groups.order_by("sort_order", "pk"))
        for group in groups:
            group.subtotal = Decimal(obj.subtotals.get(group.code, "0"))
            group.items = [i for i in items if i.indicator.group_id == group.pk]
        editable = _can_manage(request.user) and ranking.status == RankingStatus.COMPUTED
        return {
            "groups": groups,
            "editable": editable,
            "value_form": forms.ManualValueForm(),
            "adjust_form": forms.AdjustForm(),
            "edit_url": None,
            "delete_url": None,
        }


def _item_for(request, pk) -> IndicatorScore:
    item = get_object_or_404(
        IndicatorScore.objects.restrict(request.user, "view").select_related("score__ranking", "indicator"),
        pk=pk,
    )
    if not get_scope(request.user).has_perm(item, "change"):
        raise PermissionDenied(_("只有领导小组办公室可以录入和调整考核得分。"))
    return item


@login_required
def item_enter(request, pk):
    """Enter a manual indicator's value with evidence."""
    item = _item_for(request, pk)
    form = forms.ManualValueForm(
        request.POST or None,
        request.FILES or None,
        initial={"value": item.value, "evidence_note": item.evidence_note},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.enter_value(
                item,
                value=form.cleaned_data["value"],
                evidence=form.cleaned_data.get("evidence"),
                evidence_note=form.cleaned_data.get("evidence_note", ""),
                by=request.user,
            )
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("已录入“{}”，排名已重新计算。").format(item.indicator.name))
            return redirect(item.score.get_absolute_url())
    return render(request, "assessment/item_form.html", {"item": item, "form": form, "kind": "enter"})


@login_required
def item_adjust(request, pk):
    """Adjust one indicator score by hand; the reason is required."""
    item = _item_for(request, pk)
    form = forms.AdjustForm(request.POST or None, initial={"score": item.final_score})
    if request.method == "POST" and form.is_valid():
        try:
            services.adjust_score(
                item,
                score=form.cleaned_data["score"],
                reason=form.cleaned_data.get("reason", ""),
                by=request.user,
            )
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("已调整“{}”的得分，调整已记录。").format(item.indicator.name))
            return redirect(item.score.get_absolute_url())
    return render(
        request, "assessment/item_form.html", {"item": item, "form": form, "kind": "adjust"}, status=200
    )


@login_required
def item_evidence(request, pk):
    item = get_object_or_404(IndicatorScore.objects.restrict(request.user, "view"), pk=pk)
    if not item.evidence:
        raise Http404(_("没有佐证材料。"))
    return FileResponse(
        item.evidence.open("rb"), as_attachment=True, filename=item.evidence.name.rsplit("/", 1)[-1]
    )


class AdjustmentListView(generic.ObjectListView):
    queryset = Adjustment.objects.select_related("item__score__ranking", "item__indicator", "by")
    filterset_class = filtersets.AdjustmentFilterSet
    table_class = tables.AdjustmentTable
    bulk_actions = ()
