"""Pages of the targets app: campaigns, attack targets (with their monthly plans and linked
projects), the complete/reopen buttons, and the battle zones' printable checklists."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, DecimalField, ExpressionWrapper, F, Q, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from chainlead.core import clock
from chainlead.core.exceptions import ServiceError
from chainlead.core.models import AuditEvent
from chainlead.organization.choices import Role, UnitKind
from chainlead.organization.models import RoleGrant, Unit
from chainlead.organization.permissions import get_scope
from chainlead.projects.models import KeyProject
from chainlead.targets import filtersets, forms, services, tables
from chainlead.targets.choices import TERMINAL_STATUSES, TargetStatus
from chainlead.targets.models import AttackTarget, Campaign, TargetMonthPlan, TargetProject
from chainlead.targets.queries import count_kwargs, overdue_q
from chainlead.utilities import views as generic
from chainlead.utilities.views import model_url


class UserFormMixin:
    """Forms whose choices depend on who is editing (targets and zones in the user's scope)."""

    def get_form_kwargs(self, request, obj) -> dict:
        return {"user": request.user}


# --- Campaigns ------------------------------------------------------------------------------------
class CampaignListView(generic.ObjectListView):
    queryset = Campaign.objects.all()
    filterset_class = filtersets.CampaignFilterSet
    table_class = tables.CampaignTable

    def get_queryset(self, request):
        # The overdue count depends on today's date: build it per request, not at import time.
        return Campaign.objects.select_related("area").annotate(
            target_count=Count("targets", distinct=True),
            done_count=Count("targets", filter=Q(targets__status=TargetStatus.DONE), distinct=True),
            overdue_count=Count("targets", filter=overdue_q(prefix="targets__"), distinct=True),
        )


class CampaignView(generic.ObjectDetailView):
    queryset = Campaign.objects.select_related("area")

    def get_extra_context(self, request, obj):
        targets = list(
            AttackTarget.objects.restrict(request.user, "view")
            .filter(campaign=obj)
            .select_related("battle_zone", "responsible_unit")
            .order_by("battle_zone__sort_order", "battle_zone__name", "number")
        )
        return {"targets": targets, "counts": _count(targets)}


class CampaignEditView(generic.ObjectEditView):
    queryset = Campaign.objects.all()
    form_class = forms.CampaignForm


class CampaignDeleteView(generic.ObjectDeleteView):
    queryset = Campaign.objects.all()


class CampaignBulkEditView(generic.BulkEditView):
    queryset = Campaign.objects.all()
    form_class = forms.CampaignBulkEditForm


class CampaignBulkDeleteView(generic.BulkDeleteView):
    queryset = Campaign.objects.all()


# --- Attack targets -------------------------------------------------------------------------------
def _target_list_queryset():
    rate = ExpressionWrapper(
        F("actual_value") * Value(Decimal(100)) / F("goal_value"),
        output_field=DecimalField(max_digits=20, decimal_places=4),
    )
    return AttackTarget.objects.select_related(
        "battle_zone__parent", "campaign", "responsible_unit"
    ).annotate(completion=Case(When(goal_value=0, then=Value(None)), default=rate))


class AttackTargetListView(generic.ObjectListView):
    queryset = AttackTarget.objects.all()
    filterset_class = filtersets.AttackTargetFilterSet
    table_class = tables.AttackTargetTable

    def get_queryset(self, request):
        return _target_list_queryset()


class AttackTargetView(generic.ObjectDetailView):
    queryset = AttackTarget.objects.select_related("battle_zone__parent", "campaign", "responsible_unit")

    def get_extra_context(self, request, obj):
        scope = self.scope
        plans = list(obj.month_plans.all())
        links = list(obj.project_links.select_related("project"))
        visible_projects = (
            set(
                KeyProject.objects.restrict(request.user, "view")
                .filter(pk__in=[link.project_id for link in links])
                .values_list("pk", flat=True)
            )
            if links
            else set()
        )
        project_rows = [
            {
                "link": link,
                "project": link.project,
                "url": tables.safe_url(link.project) if link.project_id in visible_projects else None,
            }
            for link in links
        ]
        today = clock.today()
        actual = obj.actual_value if obj.actual_value else None
        events = AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(AttackTarget), object_id=obj.pk
        ).order_by("-time", "-pk")[:10]
        events = list(events)
        for event in events:
            event.label = event.verb_label
        return {
            "events": events,
            "overdue_days": (today - obj.deadline).days if obj.is_overdue else 0,
            "late_days": (obj.done_on - obj.deadline).days if obj.is_done_late else 0,
            "plans": plans,
            "plan_totals": _plan_totals(plans),
            "chart": _chart_data(obj, plans),
            "project_rows": project_rows,
            # The target's own rights (edit_url / delete_url, from the generic view) cover its
            # plans and links, which live in the same units; these say what the roles allow.
            "is_open": obj.status not in TERMINAL_STATUSES,
            "plan_add_ok": scope.can(TargetMonthPlan, "add"),
            "plan_delete_ok": scope.can(TargetMonthPlan, "delete"),
            "link_add_ok": scope.can(TargetProject, "add"),
            "link_delete_ok": scope.can(TargetProject, "delete"),
            "complete_form": forms.CompleteTargetForm(
                initial={"done_on": today, "actual_value": _plain(max(actual or 0, obj.goal_value))}
            ),
            "reopen_form": forms.ReopenTargetForm(),
            "zone_url": _zone_url(request.user, obj.battle_zone),
        }


def _zone_url(user, zone):
    units = get_scope(user).units_for(AttackTarget, "view")
    if units is None or zone.pk in units:
        return reverse("targets:zone_detail", args=[zone.pk])
    return None


def _plain(value: Decimal) -> str:
    """12.00 → "12" for an input's initial value (no separators, no exponent)."""
    return f"{Decimal(value).normalize():f}"


def _plan_totals(plans) -> dict:
    planned = sum((p.planned_value for p in plans), Decimal(0))
    reported = [p.actual_value for p in plans if p.actual_value is not None]
    return {"planned": planned, "actual": sum(reported, Decimal(0)) if reported else None}


def _chart_data(target, plans) -> dict:
    """Plan vs actual by month for the chart (numbers as floats; labels translated here)."""
    years = {p.month.year for p in plans}
    if len(years) <= 1:
        labels = [_("{}月").format(p.month.month) for p in plans]
    else:
        labels = [p.month.strftime("%Y-%m") for p in plans]
    cum_plan, cum_actual = [], []
    running_plan = running_actual = Decimal(0)
    for p in plans:
        running_plan += p.planned_value
        cum_plan.append(float(running_plan))
        if p.actual_value is not None:
            running_actual += p.actual_value
            cum_actual.append(float(running_actual))
        else:
            cum_actual.append(None)
    return {
        "labels": labels,
        "planned": [float(p.planned_value) for p in plans],
        "actual": [float(p.actual_value) if p.actual_value is not None else None for p in plans],
        "cumPlanned": cum_plan,
        "cumActual": cum_actual,
        "goal": float(target.goal_value),
        "integer": all(
            Decimal(v) == Decimal(v).to_integral_value()
            for v in [
                target.goal_value,
                *(p.planned_value for p in plans),
                *(p.actual_value or 0 for p in plans),
            ]
        ),
        "unit": target.goal_unit,
        "names": {
            "planned": _("月计划"),
            "actual": _("月实际"),
            "cumPlanned": _("累计计划"),
            "cumActual": _("累计完成"),
            "monthly": _("当月"),
            "cumulative": _("累计"),
        },
    }


class AttackTargetEditView(UserFormMixin, generic.ObjectEditView):
    queryset = AttackTarget.objects.all()
    form_class = forms.AttackTargetForm

    def get_initial(self, request) -> dict:
        """Default the zone (if the user has exactly one), its next number and its unit."""
        initial = super().get_initial(request)
        zone_id = initial.get("battle_zone")
        if not zone_id:
            zones = forms.AttackTargetForm(user=request.user).fields["battle_zone"].queryset
            only = list(zones.values_list("pk", flat=True)[:2])
            if len(only) == 1:
                zone_id = initial["battle_zone"] = only[0]
        if zone_id and str(zone_id).isdigit():
            initial.setdefault("number", services.next_number(int(zone_id)))
            initial.setdefault("responsible_unit", zone_id)
            zone = Unit.objects.filter(pk=zone_id).only("parent_id").first()
            if zone and zone.parent_id and "campaign" not in initial:
                campaigns = list(
                    Campaign.objects.filter(area_id=zone.parent_id).values_list("pk", flat=True)[:2]
                )
                if len(campaigns) == 1:
                    initial["campaign"] = campaigns[0]
        return initial


class AttackTargetDeleteView(generic.ObjectDeleteView):
    queryset = AttackTarget.objects.all()


class AttackTargetBulkEditView(generic.BulkEditView):
    queryset = AttackTarget.objects.all()
    form_class = forms.AttackTargetBulkEditForm


class AttackTargetBulkDeleteView(generic.BulkDeleteView):
    queryset = AttackTarget.objects.all()


class AttackTargetCompleteView(generic.BaseObjectView):
    """POST: mark the target done (``services.complete_target``)."""

    queryset = AttackTarget.objects.all()

    def post(self, request, pk):
        target = self.get_object(request, "change", pk=pk)
        form = forms.CompleteTargetForm(request.POST)
        if not form.is_valid():
            messages.error(request, _form_message(form))
        else:
            try:
                services.complete_target(
                    target,
                    on=form.cleaned_data["done_on"],
                    actual_value=form.cleaned_data["actual_value"],
                    by=request.user,
                )
            except ServiceError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("已将攻坚目标“{}”标记为已完成。").format(target))
        return redirect(target.get_absolute_url())


class AttackTargetReopenView(generic.BaseObjectView):
    """POST: put a done or cancelled target back to 推进中 (``services.reopen_target``)."""

    queryset = AttackTarget.objects.all()

    def post(self, request, pk):
        target = self.get_object(request, "change", pk=pk)
        try:
            services.reopen_target(target, by=request.user, reason=request.POST.get("reason", ""))
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已重新打开攻坚目标“{}”。").format(target))
        return redirect(target.get_absolute_url())


def _form_message(form) -> str:
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        text = "；".join(str(e) for e in errors)
        parts.append(f"{label}：{text}" if label else text)
    return "；".join(parts)


# --- Monthly plans --------------------------------------------------------------------------------
class TargetMonthPlanListView(generic.ObjectListView):
    queryset = TargetMonthPlan.objects.select_related("target__battle_zone")
    filterset_class = filtersets.TargetMonthPlanFilterSet
    table_class = tables.TargetMonthPlanTable


class TargetMonthPlanView(generic.ObjectDetailView):
    queryset = TargetMonthPlan.objects.select_related("target__battle_zone")


class TargetMonthPlanEditView(UserFormMixin, generic.ObjectEditView):
    queryset = TargetMonthPlan.objects.all()
    form_class = forms.TargetMonthPlanForm


class TargetMonthPlanDeleteView(generic.ObjectDeleteView):
    queryset = TargetMonthPlan.objects.all()


class TargetMonthPlanBulkEditView(generic.BulkEditView):
    queryset = TargetMonthPlan.objects.all()
    form_class = forms.TargetMonthPlanBulkEditForm


class TargetMonthPlanBulkDeleteView(generic.BulkDeleteView):
    queryset = TargetMonthPlan.objects.all()


# --- Linked projects ------------------------------------------------------------------------------
class TargetProjectListView(generic.ObjectListView):
    queryset = TargetProject.objects.select_related("target__battle_zone", "project").order_by(
        "target__battle_zone__sort_order", "target__battle_zone__name", "target__number", "pk"
    )
    filterset_class = filtersets.TargetProjectFilterSet
    table_class = tables.TargetProjectTable


class TargetProjectView(generic.ObjectDetailView):
    queryset = TargetProject.objects.select_related("target__battle_zone", "project")

    def get_extra_context(self, request, obj):
        visible = KeyProject.objects.restrict(request.user, "view").filter(pk=obj.project_id).exists()
        return {"project_url": tables.safe_url(obj.project) if visible else None}


class TargetProjectEditView(UserFormMixin, generic.ObjectEditView):
    queryset = TargetProject.objects.all()
    form_class = forms.TargetProjectForm


class TargetProjectDeleteView(generic.ObjectDeleteView):
    queryset = TargetProject.objects.all()


class TargetProjectBulkEditView(generic.BulkEditView):
    queryset = TargetProject.objects.all()
    form_class = forms.TargetProjectBulkEditForm


class TargetProjectBulkDeleteView(generic.BulkDeleteView):
    queryset = TargetProject.objects.all()


# --- Battle-zone checklists (战区清单) ---------------------------------------------------------------
def visible_zones(user):
    """Battle zones whose list the user may read: their own zone, an area's zones for the area,
    every zone for the office and the leaders."""
    scope = get_scope(user)
    if not scope.can(AttackTarget, "view"):
        raise PermissionDenied(_("您没有查看攻坚目标的权限。"))
    zones = Unit.objects.filter(kind=UnitKind.BATTLE_ZONE, is_active=True)
    units = scope.units_for(AttackTarget, "view")
    return zones if units is None else zones.filter(pk__in=units)


def _heads(unit_ids) -> dict[int, list]:
    """Unit heads (指挥长) by unit id."""
    heads: dict[int, list] = {}
    grants = (
        RoleGrant.objects.filter(unit_id__in=unit_ids, role=Role.UNIT_HEAD, user__is_active=True)
        .select_related("user")
        .order_by("user__name")
    )
    for grant in grants:
        heads.setdefault(grant.unit_id, []).append(grant.user)
    return heads


def _count(targets) -> dict:
    """Total / done / in progress / overdue / cancelled of a list of targets (no query)."""
    counts = {"total": 0, "done": 0, "in_progress": 0, "overdue": 0, "cancelled": 0}
    for t in targets:
        counts["total"] += 1
        if t.status == TargetStatus.DONE:
            counts["done"] += 1
        elif t.status == TargetStatus.CANCELLED:
            counts["cancelled"] += 1
        elif t.is_overdue:
            counts["overdue"] += 1
        else:
            counts["in_progress"] += 1
    counts["done_rate"] = (
        (Decimal(counts["done"]) * 100 / counts["total"]).quantize(Decimal("0.1"))
        if counts["total"]
        else None
    )
    return counts


CHINESE_ORDINALS = "一二三四五六七八九十"


def _ordinal(i: int) -> str:
    """1 → 一, 11 → 十一, 20 → 二十 (headings of a printed list: 一、二、…)."""
    if i <= 10:
        return CHINESE_ORDINALS[i - 1]
    tens, ones = divmod(i, 10)
    head = "十" if tens == 1 else CHINESE_ORDINALS[tens - 1] + "十"
    return head + (CHINESE_ORDINALS[ones - 1] if ones else "")


def _by_campaign(targets) -> list[dict]:
    """Targets (already ordered by campaign, then number) grouped under their campaign."""
    groups: list[dict] = []
    for t in targets:
        if not groups or groups[-1]["campaign"].pk != t.campaign_id:
            groups.append({"campaign": t.campaign, "targets": []})
        groups[-1]["targets"].append(t)
    for i, group in enumerate(groups, start=1):
        group["ordinal"] = _ordinal(i)
        group["counts"] = _count(group["targets"])
    return groups


class ZoneListView(LoginRequiredMixin, View):
    """战区清单: the battle zones the user may read, with their counts."""

    template_name = "targets/zone_list.html"

    def get(self, request):
        zones = list(
            visible_zones(request.user)
            .select_related("parent")
            .annotate(**count_kwargs("attack_targets__"))
            .order_by("parent__sort_order", "parent__name", "sort_order", "name")
        )
        heads = _heads([z.pk for z in zones])
        rows = []
        totals = {"total": 0, "done": 0, "in_progress": 0, "overdue": 0, "cancelled": 0}
        for zone in zones:
            zone.commanders = heads.get(zone.pk, [])
            zone.done_rate = (
                (Decimal(zone.done) * 100 / zone.total).quantize(Decimal("0.1")) if zone.total else None
            )
            for key in totals:
                totals[key] += getattr(zone, key)
            rows.append(zone)
        totals["done_rate"] = (
            (Decimal(totals["done"]) * 100 / totals["total"]).quantize(Decimal("0.1"))
            if totals["total"]
            else None
        )
        return render(
            request,
            self.template_name,
            {
                "zones": rows,
                "totals": totals,
                "today": clock.today(),
                "target_list_url": model_url(AttackTarget, "list"),
            },
        )


class ZoneDetailView(LoginRequiredMixin, View):
    """One battle zone's numbered checklist, grouped by campaign, as offices print it."""

    template_name = "targets/zone_detail.html"

    def get(self, request, unit_id: int):
        zone = get_object_or_404(visible_zones(request.user).select_related("parent"), pk=unit_id)
        targets = list(
            AttackTarget.objects.restrict(request.user, "view")
            .filter(battle_zone=zone)
            .select_related("campaign", "responsible_unit")
            .order_by("campaign__sort_order", "campaign__name", "campaign_id", "number")
        )
        heads = _heads([zone.pk, zone.parent_id] if zone.parent_id else [zone.pk])
        scope = get_scope(request.user)
        add_url = None
        if scope.can(AttackTarget, "add"):
            units = scope.units_for(AttackTarget, "add")
            if units is None or zone.pk in units:
                add_url = f"{model_url(AttackTarget, 'add')}?battle_zone={zone.pk}"
        return render(
            request,
            self.template_name,
            {
                "zone": zone,
                "targets": targets,
                "groups": _by_campaign(targets),
                "counts": _count(targets),
                "commanders": heads.get(zone.pk, []),
                "area_commanders": heads.get(zone.parent_id, []) if zone.parent_id else [],
                "today": clock.today(),
                "add_url": add_url,
                "zone_list_url": reverse("targets:zone_list"),
                "filtered_list_url": f"{model_url(AttackTarget, 'list')}?battle_zone={zone.pk}",
            },
        )
