"""Pages of 督查通报: 红黄绿灯 (list, detail with the consequence ladder and the excuse form,
history per subject), 督查通报 (create → generate job → edit sections → issue → download), and
the standard pages of the rules, the consequence ladder and the templates. Views are declarations
plus thin handlers that call ``services``; permissions come from the generic views and are checked
again in the services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chainlead.core.exceptions import ServiceError
from chainlead.dispatch.models import Period
from chainlead.organization.permissions import get_scope
from chainlead.supervision import filtersets, forms, queries, services, tables
from chainlead.supervision.choices import SECTIONS, Component, LightColor, SubjectKind
from chainlead.supervision.models import Bulletin, BulletinTemplate, ConsequenceStep, Light, WarningRule
from chainlead.utilities import views as generic

LIGHT_RELATED = ("period__cycle", "responsible_unit", "excused_by")


def _events(obj, limit=20):
    from django.contrib.contenttypes.models import ContentType

    from chainlead.core.models import AuditEvent

    events = list(
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
        ).order_by("-time", "-pk")[:limit]
    )
    for event in events:
        event.label = event.verb_label
    return events


# ================================================================================================
# rules, ladder, templates
# ================================================================================================
class WarningRuleListView(generic.ObjectListView):
    queryset = WarningRule.objects.all()
    filterset_class = filtersets.WarningRuleFilterSet
    table_class = tables.WarningRuleTable
    bulk_actions = ()


class WarningRuleView(generic.ObjectDetailView):
    queryset = WarningRule.objects.all()

    def get_extra_context(self, request, obj):
        latest = (
            Light.objects.restrict(request.user, "view")
            .filter(component=obj.code, is_frozen=True)
            .order_by("-period__start")
            .values_list("period_id", flat=True)
            .first()
        )
        counts = {}
        if latest:
            for color in (
                Light.objects.restrict(request.user, "view")
                .filter(period_id=latest, component=obj.code)
                .values_list("color", flat=True)
            ):
                counts[color] = counts.get(color, 0) + 1
        return {
            "counts": [(LightColor(c), counts.get(c.value, 0)) for c in LightColor],
            "latest_period": latest,
        }


class WarningRuleEditView(generic.ObjectEditView):
    queryset = WarningRule.objects.all()
    form_class = forms.WarningRuleForm


class WarningRuleDeleteView(generic.ObjectDeleteView):
    queryset = WarningRule.objects.all()


class ConsequenceStepListView(generic.ObjectListView):
    queryset = ConsequenceStep.objects.all()
    filterset_class = filtersets.ConsequenceStepFilterSet
    table_class = tables.ConsequenceStepTable
    bulk_actions = ()


class ConsequenceStepView(generic.ObjectDetailView):
    queryset = ConsequenceStep.objects.all()


class ConsequenceStepEditView(generic.ObjectEditView):
    queryset = ConsequenceStep.objects.all()
    form_class = forms.ConsequenceStepForm


class ConsequenceStepDeleteView(generic.ObjectDeleteView):
    queryset = ConsequenceStep.objects.all()


class BulletinTemplateListView(generic.ObjectListView):
    queryset = BulletinTemplate.objects.all()
    filterset_class = filtersets.BulletinTemplateFilterSet
    table_class = tables.BulletinTemplateTable
    bulk_actions = ()


class BulletinTemplateView(generic.ObjectDetailView):
    queryset = BulletinTemplate.objects.all()


class BulletinTemplateEditView(generic.ObjectEditView):
    queryset = BulletinTemplate.objects.all()
    form_class = forms.BulletinTemplateForm


class BulletinTemplateDeleteView(generic.ObjectDeleteView):
    queryset = BulletinTemplate.objects.all()


# ================================================================================================
# lights
# ================================================================================================
class LightListView(generic.ObjectListView):
    """Overall lights of the latest period unless the user filters otherwise."""

    queryset = Light.objects.select_related(*LIGHT_RELATED)
    filterset_class = filtersets.LightFilterSet
    table_class = tables.LightTable
    bulk_actions = ()
    export_name = "红黄绿灯清单"

    @property
    def template_name(self):
        # The htmx partial (#object-list) lives in the shared list template.
        if getattr(self.request, "htmx", False):
            return "chainlead/object_list.html"
        return "supervision/light_list.html"

    def get(self, request):
        if not request.GET:
            period = _default_period(request.user)
            if period is not None:
                return redirect(
                    f"{reverse('supervision:light_list')}?period={period}&component={Component.OVERALL}&subject_kind={SubjectKind.PROJECT}"
                )
        return super().get(request)

    def get_extra_context(self, request):
        period_id = request.GET.get("period")
        period = (
            Period.objects.select_related("cycle").filter(pk=period_id).first()
            if period_id and period_id.isdigit()
            else None
        )
        counts = services.light_counts(period) if period else None
        scope = get_scope(request.user)
        return {
            "period": period,
            "counts": [(LightColor(k), v) for k, v in counts.items()] if counts else [],
            "frozen": services.is_frozen(period) if period else False,
            "can_recompute": scope.is_office and period is not None and period.is_open,
            "ladder": queries.ladder(),
        }


def _default_period(user):
    row = (
        Light.objects.restrict(user, "view")
        .order_by("-period__start")
        .values_list("period_id", flat=True)
        .first()
    )
    return row


class LightView(generic.ObjectDetailView):
    queryset = Light.objects.select_related(*LIGHT_RELATED, "project", "target", "unit")

    def get_extra_context(self, request, obj):
        components = list(
            Light.objects.filter(period_id=obj.period_id, subject_key=obj.subject_key)
            .select_related("excused_by")
            .order_by("component")
        )
        rows = queries.history(obj.subject_key, Component.OVERALL)
        scope = self.scope
        return {
            "components": components,
            "consequence": queries.consequence_for(obj),
            "ladder": queries.ladder(),
            "history_line": queries.history_line(rows),
            "excuse_form": forms.ExcuseForm(),
            "can_excuse": scope.has_perm(obj, "approve"),
            "events": _events(obj),
            "rules": {r.code: r for r in WarningRule.objects.all()},
        }


@login_required
def light_history(request, kind, pk):
    """The history of one subject's lights, period by period: "红 3月 → 黄 4月 追上进度"."""
    if kind not in SubjectKind.values:
        raise Http404
    scope = get_scope(request.user)
    if not scope.can(Light, "view"):
        raise PermissionDenied(_("您没有查看预警灯的权限。"))
    key = f"{kind}:{pk}"
    visible = Light.objects.restrict(request.user, "view").filter(subject_key=key)
    rows = list(
        visible.filter(component=Component.OVERALL)
        .select_related("period__cycle", "excused_by")
        .order_by("period__start")
    )
    if not rows:
        raise Http404(_("没有这个对象的预警灯记录。"))
    comps = {}
    for light in (
        visible.exclude(component=Component.OVERALL).select_related("period").order_by("period__start")
    ):
        comps.setdefault(light.component, {})[light.period_id] = light
    grid = [
        {"component": Component(code), "cells": [comps[code].get(r.period_id) for r in rows]}
        for code in sorted(comps)
    ]
    from chainlead.supervision.choices import COLOR_RANK, LIGHT_HEX

    chart = {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 60, "right": 20, "top": 20, "bottom": 30},
        "xAxis": {"type": "category", "data": [str(r.period.short_label) for r in rows]},
        "yAxis": {"type": "value", "min": 0, "max": 3, "interval": 1, "axisLabel": {"formatter": "{value}"}},
        "series": [
            {
                "type": "line",
                "step": "middle",
                "symbolSize": 14,
                "data": [
                    {"value": r.rank, "itemStyle": {"color": LIGHT_HEX[LightColor(r.effective_color)]}}
                    for r in rows
                ],
                "lineStyle": {"color": "#9aa0ac"},
            }
        ],
    }
    latest = rows[-1]
    return render(
        request,
        "supervision/light_history.html",
        {
            "rows": rows,
            "steps": queries.transitions(rows),
            "line": queries.history_line(rows),
            "grid": grid,
            "latest": latest,
            "subject": latest.subject,
            "consequence": queries.consequence_for(latest),
            "chart": chart,
            "load_charts": True,
            "color_rank": COLOR_RANK,
        },
    )


@login_required
@require_POST
def light_excuse(request, pk):
    light = get_object_or_404(Light.objects.restrict(request.user, "view"), pk=pk)
    form = forms.ExcuseForm(request.POST)
    try:
        if request.POST.get("action") == "revoke":
            services.revoke_excuse(light, by=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("已撤销免亮：{}").format(light))
        else:
            services.excuse_light(light, by=request.user, reason=form.data.get("reason", ""))
            messages.success(request, _("已批准说明免亮：{}").format(light))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(light.get_absolute_url())


@login_required
@require_POST
def light_recompute(request, period_pk):
    period = get_object_or_404(Period.objects.select_related("cycle"), pk=period_pk)
    try:
        result = services.recompute_period(period, by=request.user)
        messages.success(
            request,
            _("已重算{}的预警灯：{}盏，变化{}盏。").format(period.label, result["lights"], result["changed"]),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('supervision:light_list')}?period={period.pk}&component=overall")


# ================================================================================================
# bulletins
# ================================================================================================
BULLETIN_RELATED = ("period__cycle", "scope_unit", "scope_chain", "template", "job", "issued_by")


class BulletinListView(generic.ObjectListView):
    queryset = Bulletin.objects.select_related(*BULLETIN_RELATED)
    filterset_class = filtersets.BulletinFilterSet
    table_class = tables.BulletinTable
    bulk_actions = ()
    export_name = "督查通报"


class BulletinView(generic.ObjectDetailView):
    queryset = Bulletin.objects.select_related(*BULLETIN_RELATED)

    def get_extra_context(self, request, obj):
        can_change = self.scope.has_perm(obj, "change")
        data = obj.data or {}
        return {
            "sections": [(label, getattr(obj, name)) for name, label in SECTIONS],
            "headline": data.get("headline", {}),
            "lagging": data.get("lagging", [])[:30],
            "good": data.get("good", []),
            "problems": data.get("problems", [])[:20],
            "ranking": data.get("ranking", []),
            "job": obj.job,
            "can_edit": can_change and not obj.is_issued,
            "can_issue": can_change and not obj.is_issued and bool(obj.data),
            "issue_form": forms.IssueForm(),
            "events": _events(obj),
            "edit_url": reverse("supervision:bulletin_edit", args=[obj.pk])
            if can_change and not obj.is_issued
            else None,
            "delete_url": reverse("supervision:bulletin_delete", args=[obj.pk])
            if can_change and not obj.is_issued
            else None,
        }


class BulletinEditView(generic.ObjectEditView):
    """New: choose period and scope (→ a generation job). Existing draft: edit the text sections
    (→ the document is rebuilt). An issued bulletin cannot be edited."""

    queryset = Bulletin.objects.select_related(*BULLETIN_RELATED)
    template_name = "supervision/bulletin_edit.html"

    @property
    def form_class(self):
        return forms.BulletinCreateForm if self._is_new else forms.BulletinForm

    def _object(self, request, kwargs):
        self._is_new = "pk" not in kwargs
        obj = super()._object(request, kwargs)
        if obj.pk and obj.is_issued:
            raise _Issued(obj)
        return obj

    def get(self, request, **kwargs):
        try:
            return super().get(request, **kwargs)
        except _Issued as exc:
            messages.error(request, _("通报{}已印发，已归档，不能再修改。").format(exc.obj.doc_number))
            return redirect(exc.obj.get_absolute_url())

    def post(self, request, **kwargs):
        try:
            return super().post(request, **kwargs)
        except _Issued as exc:
            messages.error(request, _("通报{}已印发，已归档，不能再修改。").format(exc.obj.doc_number))
            return redirect(exc.obj.get_absolute_url())

    def save(self, request, form):
        if self._is_new:
            data = form.cleaned_data
            return services.create_bulletin(
                period=data["period"],
                by=request.user,
                scope_kind=data["scope_kind"],
                scope_unit=data.get("scope_unit"),
                scope_chain=data.get("scope_chain"),
                template=data.get("template"),
            )
        values = {
            name: form.cleaned_data[name] for name in form.Meta.fields if name in services.EDITABLE_FIELDS
        }
        bulletin = form.instance
        version = form.cleaned_data.get("_version")
        fresh = Bulletin.objects.get(pk=bulletin.pk)
        if version is not None:
            fresh.expect_version(version)
        return services.save_bulletin(fresh, by=request.user, **values)


class _Issued(Exception):
    def __init__(self, obj):
        self.obj = obj


class BulletinDeleteView(generic.ObjectDeleteView):
    queryset = Bulletin.objects.select_related("period__cycle")

    def post(self, request, **kwargs):
        obj = self.get_object(request, "delete", **kwargs)
        try:
            services.delete_bulletin(obj, by=request.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect(obj.get_absolute_url())
        messages.success(request, _("已删除督查通报草稿。"))
        return redirect("supervision:bulletin_list")


@login_required
@require_POST
def bulletin_issue(request, pk):
    bulletin = get_object_or_404(Bulletin.objects.restrict(request.user, "view"), pk=pk)
    form = forms.IssueForm(request.POST)
    number = form.cleaned_data.get("number") if form.is_valid() else None
    try:
        bulletin = services.issue_bulletin(bulletin, by=request.user, number=number)
        messages.success(
            request, _("已印发：{} {}，已归档。").format(bulletin.doc_number, bulletin.issue_label)
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(bulletin.get_absolute_url())


@login_required
@require_POST
def bulletin_regenerate(request, pk):
    bulletin = get_object_or_404(Bulletin.objects.restrict(request.user, "change"), pk=pk)
    if bulletin.is_issued:
        messages.error(request, _("通报{}已印发，已归档，不能重新生成。").format(bulletin.doc_number))
    else:
        services.enqueue_generation(bulletin, by=request.user, fill_texts=request.POST.get("reset") == "1")
        messages.info(request, _("已开始重新生成。"))
    return redirect(bulletin.get_absolute_url())


@login_required
def bulletin_file(request, pk, kind):
    bulletin = get_object_or_404(Bulletin.objects.restrict(request.user, "view"), pk=pk)
    field = {"docx": bulletin.docx, "pdf": bulletin.pdf}.get(kind)
    if not field:
        raise Http404(_("文件尚未生成。"))
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404(_("文件不存在。"))
    from chainlead.supervision.documents import file_stem

    return FileResponse(handle, as_attachment=True, filename=f"{file_stem(bulletin)}.{kind}")
