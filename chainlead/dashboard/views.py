"""Pages of the dashboard: the leaders' dashboard, its big screen, the figure definitions, the
list behind a dashboard-only figure (or behind any figure "as of" a month-end) and the status
of the summary tables."""

from __future__ import annotations

import datetime
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import json_script
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import A
from django_tables2 import Column as TableColumn

from chainlead.core import clock
from chainlead.dashboard import charts, definitions, figures, hooks, summary
from chainlead.dashboard.forms import DashboardFilterForm, default_period
from chainlead.dashboard.models import SnapshotState, SummaryState
from chainlead.dashboard.panels import DashboardContext, panels_for, render_panels
from chainlead.organization.permissions import get_scope
from chainlead.projects.metrics import METRICS, Period
from chainlead.projects.models import KeyProject
from chainlead.projects.tables import KeyProjectTable
from chainlead.projects.views import KeyProjectListView

#: Zones up to this many projects build a missing "as of" snapshot while the page waits;
#: bigger ones queue a job and show its progress.
SNAPSHOT_INLINE_LIMIT = 50000
#: Big screen: minutes between refreshes (``?refresh=N`` overrides, 1–60).
SCREEN_REFRESH_MINUTES = 5
#: Big screen: how many panels fit under the headline figures at 1920×1080.
SCREEN_SLOTS = 7
PASSTHROUGH = ("preset", "year", "m1", "m2", "as_of", "area")


def _require_view(user) -> None:
    if not get_scope(user).can(KeyProject, "view"):
        raise PermissionDenied(_("您没有查看驾驶舱的权限。"))


def _filters(request):
    """The filter form and the period, "as of" date and area it selects (defaults on bad input)."""
    user = request.user
    units = get_scope(user).units_for(KeyProject, "view")
    params = QueryDict(mutable=True)
    for key in PASSTHROUGH:
        if request.GET.get(key):
            params[key] = request.GET[key]
    form = DashboardFilterForm(params, user=user, scope_units=units)
    if form.is_valid():
        data = form.cleaned_data
        return form, data["start"], data["end"], data.get("as_of"), data.get("area"), params
    start, end = default_period(clock.today())
    return form, start, end, None, None, QueryDict()


def area_choices(form) -> list[tuple[str, str]]:
    """The area picker's options (one query, indented by level)."""
    rows = form.fields["area"].queryset.values_list("pk", "name", "path")
    return [("", form.fields["area"].empty_label)] + [
        (pk, "　" * max(path.count("/") - 3, 0) + name) for pk, name, path in rows
    ]


def dashboard_context(request, *, screen: bool = False) -> dict:
    """Everything the dashboard and the big screen render."""
    _require_view(request.user)
    form, start, end, as_of, area, params = _filters(request)
    print_mode = request.GET.get("print") == "1"
    dash = DashboardContext(
        user=request.user,
        period_start=start,
        period_end=end,
        as_of=summary.end_of_day(as_of) if as_of else None,
        area=area,
        extra={"screen": screen, "print": print_mode},
    )
    snapshot_job = None
    big = None  # is the zone too big to build missing summaries while the page waits?
    if not summary.is_built():
        big = KeyProject._base_manager.count() > SNAPSHOT_INLINE_LIMIT
        if big:
            from chainlead.dashboard.jobs import ensure_rebuild_job

            snapshot_job = ensure_rebuild_job(by=request.user)
    if snapshot_job is None:
        summary.sync()
    if snapshot_job is None and as_of is not None and not summary.has_snapshot(as_of):
        if big is None:
            big = KeyProject._base_manager.count() > SNAPSHOT_INLINE_LIMIT
        if not big:
            summary.build_snapshot(as_of)
        else:
            from chainlead.dashboard.jobs import ensure_snapshot_job

            snapshot_job = ensure_snapshot_job(as_of, by=request.user)
    data = None
    rendered = []
    cards = []
    if snapshot_job is None:
        data = figures.compute(dash)
        dash.extra["data"] = data
        dash.extra["generated_at"] = timezone.localtime().strftime("%Y-%m-%d %H:%M")
        cards = scorecards(dash, data)
        panels = panels_for(request.user)
        if screen:
            panels = [p for p in panels if p.big_screen][:SCREEN_SLOTS]
        rendered = render_panels(request, dash, panels)
    state = SummaryState.objects.filter(key="live").only("synced_at", "built_at").first()
    query = params.urlencode()
    return {
        "form": form,
        "area_choices": area_choices(form),
        "dash": dash,
        "dashboard_data": data,
        "dashboard_period": Period(start, end),
        "period_label": Period(start, end).label,
        "as_of": as_of,
        "area": area,
        "scorecards": cards,
        "panels": rendered,
        "snapshot_job": snapshot_job,
        "summary_state": state,
        "query": query,
        "print": print_mode,
        "load_charts": True,
        "today": clock.today(),
        "is_office": get_scope(request.user).is_office,
    }


def minimaps(chains: dict) -> dict:
    """Each chain's map in miniature (``chains.services.chain_map_data``) with its chart option,
    cached until a chain node changes: one query instead of one per chain."""
    from django.core.cache import cache
    from django.db.models import Count, Max

    from chainlead.chains.models import ChainNode
    from chainlead.chains.services import chain_map_data

    signature = ChainNode.objects.aggregate(n=Count("pk"), last=Max("last_updated"))
    last = signature["last"].timestamp() if signature["last"] else 0
    language = translation.get_language() or ""
    key = f"dashboard:minimaps:{language}:{signature['n']}:{last}:{','.join(map(str, sorted(chains)))}"
    maps = cache.get(key)
    if maps is None:
        maps = {}
        for pk, chain in chains.items():
            mini = chain_map_data(chain, miniature=True)
            url = reverse("chains:keychain_detail", args=[pk])
            maps[pk] = {
                # the <script type="application/json"> tag itself: rendering it is the costly part
                "script": json_script(charts.chain_minimap(mini, url=url), f"minimap-{pk}"),
                "height": charts.minimap_height(mini),
                "nodes": mini["totals"]["nodes"],
                "missing": mini["totals"].get("missing", 0),
                "missing_names": [n["name"] for n in mini["nodes"] if n["strength"] == "missing"],
            }
        cache.set(key, maps, 24 * 3600)
    return maps


def scorecards(dash, data) -> list[dict]:
    """One card per chain: 招引, 建设, 纳统 and its chain map in miniature (missing nodes red)."""
    from chainlead.chains.models import KeyChain

    chains = {c.pk: c for c in KeyChain.objects.all()}
    maps = minimaps(chains)
    ids = [row["id"] for row in data.chains if row["id"] in chains]
    extra = []
    for figure in hooks.CHAIN_FIGURES.values():
        values = figure.values(dash, ids)
        if values is not None:
            extra.append((figure, values))
    cards = []
    for row in data.chains:
        chain = chains.get(row["id"])
        if chain is None:
            continue
        mini = maps[chain.pk]
        lines = {"attraction": [], "construction": [], "statistics": []}
        for figure, values in extra:
            lines.setdefault(figure.task, []).append(
                {"label": figure.label, "value": values.get(chain.pk), "unit": figure.unit}
            )
        cards.append(
            {
                "row": row,
                "chain": chain,
                "map_script": mini["script"],
                "map_height": mini["height"],
                "map_id": f"minimap-{chain.pk}",
                "nodes": mini["nodes"],
                "missing": mini["missing"],
                "missing_names": mini["missing_names"],
                "extra": lines,
            }
        )
    return cards


@login_required
def index(request):
    """驾驶舱: headline figures with 同比, chain scorecards, charts and the other apps' panels."""
    return render(request, "dashboard/index.html", dashboard_context(request))


@login_required
def screen(request):
    """大屏: 1920×1080, dark, no navigation; the body refreshes itself through htmx."""
    context = dashboard_context(request, screen=True)
    try:
        minutes = int(request.GET.get("refresh", SCREEN_REFRESH_MINUTES))
    except ValueError:
        minutes = SCREEN_REFRESH_MINUTES
    context["refresh_seconds"] = min(max(minutes, 1), 60) * 60
    context["screen_slots"] = SCREEN_SLOTS
    template = "dashboard/screen_body.html" if request.htmx else "dashboard/screen.html"
    return render(request, template, context)


@login_required
def definition_list(request):
    """指标口径: every figure, what counts, which date, which stages, the formula."""
    _require_view(request.user)
    rows = []
    for key, metric in definitions.all_metrics().items():
        rows.append(_definition_row(key, metric))
    return render(
        request,
        "dashboard/definition_list.html",
        {"rows": rows, "notes": definitions.COMMON_NOTES},
    )


def _definition_row(key, metric) -> dict:
    return {
        "key": key,
        "label": metric.label,
        "unit": _("亿元") if metric.unit == "yi" else _("家") if key == "enterprises_in_stats" else _("个"),
        "definition": metric.definition,
        "date_field": definitions.date_field_label(metric),
        "stages": metric.stages,
        "formula": definitions.FORMULAS.get(key, ""),
        "task": definitions.TASKS.get(key, ""),
        "url": reverse("dashboard:definition_detail", args=[key]),
    }


@login_required
def definition_detail(request, key: str):
    """One figure: its definition, its value for the default period (this user's scope) and the
    list behind it."""
    _require_view(request.user)
    metrics = definitions.all_metrics()
    if key not in metrics:
        raise Http404
    start, end = default_period(clock.today())
    period = Period(start, end)
    dash = DashboardContext(user=request.user, period_start=start, period_end=end)
    summary.sync()
    data = figures.compute(dash)
    if key in data.values:
        value, before = data.values[key], data.last_year_values[key]
    else:
        field = {"fai": "fai", "in_construction": "in_construction"}[key]
        value = sum(row[field] for row in data.chains)
        before = None
    return render(
        request,
        "dashboard/definition_detail.html",
        {
            "row": _definition_row(key, metrics[key]),
            "metric": metrics[key],
            "value": value,
            "before": before,
            "change": figures.change(value, before) if before is not None else None,
            "period": period,
            "period_label": period.label,
            "last_year_label": data.last_year.label,
            "list_url": figures.list_url(key if key in METRICS else key, period),
            "notes": definitions.COMMON_NOTES,
        },
    )


# --- the list behind a figure ---------------------------------------------------------------------------
class AsOfKeyProjectTable(KeyProjectTable):
    """The project table over history rows (as they stood): links go to today's project page."""

    name = TableColumn(linkify=("projects:keyproject_detail", [A("id")]))
    chain = TableColumn()

    class Meta(KeyProjectTable.Meta):
        model = KeyProject.history.model
        exclude = ("pk",)


def _restrict_history(qs, user, action="view"):
    """``restrict()`` for history rows: the same unit rule as ``KeyProject.objects.restrict``."""
    units = get_scope(user).units_for(KeyProject, action)
    if units is None:
        return qs
    if not units:
        return qs.none()
    return qs.filter(Q(area_id__in=units) | Q(responsible_unit_id__in=units))


class MetricListView(KeyProjectListView):
    """The projects behind a dashboard figure that the projects list cannot filter by itself:
    the dashboard-only figures (``?dmetric=fai|in_construction``) and any figure "as of" a past
    month-end (``?as_of=2021-10-31&metric=…``), listed as the rows stood then."""

    template_name = "dashboard/metric_list.html"
    bulk_actions = ()

    def _params(self, request):
        as_of = request.GET.get("as_of")
        try:
            as_of = datetime.date.fromisoformat(as_of) if as_of else None
        except ValueError:
            raise Http404
        key = request.GET.get("dmetric") or ""
        if key and key not in definitions.EXTRA_METRICS:
            raise Http404
        return as_of, key

    def get(self, request):
        as_of, _key = self._params(request)
        self.table_class = AsOfKeyProjectTable if as_of else KeyProjectTable
        return super().get(request)

    def get_queryset(self, request):
        as_of, key = self._params(request)
        if as_of is not None:
            qs = (
                KeyProject.history.filter(history_date__lte=summary.end_of_day(as_of))
                .latest_of_each()
                .exclude(history_type="-")
                .select_related("chain", "chain_node", "area", "responsible_unit", "enterprise")
            )
        else:
            qs = super().get_queryset(request)
        if key:
            try:
                start = datetime.date.fromisoformat(request.GET.get("period_start", ""))
                end = datetime.date.fromisoformat(request.GET.get("period_end", ""))
            except ValueError:
                start, end = default_period(clock.today())
            qs = qs.filter(definitions.EXTRA_METRICS[key].filter(Period(start, end)))
        if as_of is not None:
            qs.restrict = partial(_restrict_history, qs)
        return qs

    def get_extra_context(self, request):
        as_of, key = self._params(request)
        metric_key = key or request.GET.get("metric") or ""
        metric = definitions.all_metrics().get(metric_key)
        period = None
        try:
            period = Period(
                datetime.date.fromisoformat(request.GET.get("period_start", "")),
                datetime.date.fromisoformat(request.GET.get("period_end", "")),
            )
        except ValueError:
            pass
        return {
            "as_of": as_of,
            "metric": metric,
            "metric_key": metric_key,
            "metric_period": period,
            "definition_url": reverse("dashboard:definition_detail", args=[metric_key]) if metric else None,
        }


# --- the summary tables ----------------------------------------------------------------------------------
def _require_office(user) -> None:
    if not get_scope(user).is_office:
        raise PermissionDenied(_("只有领导小组办公室可以管理驾驶舱汇总表。"))


@login_required
def summary_status(request):
    """汇总表状态: when the summaries were built and synced, which month-ends have snapshots."""
    _require_office(request.user)
    from chainlead.core.models import Job

    state = SummaryState.objects.filter(key="live").first()
    jobs = Job.objects.filter(name__startswith="dashboard.").order_by("-created")[:5]
    return render(
        request,
        "dashboard/summary_status.html",
        {
            "state": state,
            "snapshots": SnapshotState.objects.all()[:36],
            "jobs": jobs,
            "as_of_choices": DashboardFilterForm(None, user=request.user).fields["as_of"].choices[1:],
        },
    )


@login_required
@require_POST
def summary_rebuild(request):
    """Queue a rebuild of the summary tables (and optionally one month-end snapshot)."""
    _require_office(request.user)
    from chainlead.dashboard.jobs import enqueue_rebuild, ensure_snapshot_job

    as_of = request.POST.get("as_of")
    if as_of:
        try:
            day = datetime.date.fromisoformat(as_of)
        except ValueError:
            messages.error(request, _("截至日期格式不正确。"))
            return redirect("dashboard:summary_status")
        ensure_snapshot_job(day, by=request.user, force=True)
        messages.success(request, _("已开始生成截至{}的快照。").format(day.strftime("%Y年%m月%d日")))
    else:
        enqueue_rebuild(by=request.user)
        messages.success(request, _("已开始重建驾驶舱汇总表。"))
    return redirect("dashboard:summary_status")
