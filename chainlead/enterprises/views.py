"""Pages of the enterprises app: the enterprise registry (企业库) with its revenue and contacts, the
dated 四上 thresholds, and the monthly list of 纳统 candidates."""

from __future__ import annotations

from django.db.models import Case, When
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from chainlead.core.exceptions import ServiceError
from chainlead.enterprises import filtersets, forms, services, tables
from chainlead.enterprises.choices import StatsCategory
from chainlead.enterprises.models import Contact, Enterprise, EnterpriseRevenue, StatsThreshold
from chainlead.utilities import views as generic
from chainlead.utilities.export import export_table


def _may(scope, model, action: str, unit_id) -> bool:
    """May the user ``action`` objects of ``model`` that belong to ``unit_id``? (no query)"""
    if not scope.can(model, action):
        return False
    units = scope.units_for(model, action)
    return units is None or unit_id in units


def _with_urls(objects, attr: str | None = None) -> list:
    """Objects of other apps with ``url`` set from ``get_absolute_url()`` (of ``obj.<attr>`` if
    given), or None while that app's pages are not installed."""
    out = []
    for obj in objects:
        target = getattr(obj, attr) if attr else obj
        try:
            obj.url = target.get_absolute_url()
        except NoReverseMatch:
            obj.url = None
        out.append(obj)
    return out


class EnterpriseChildDeleteView(generic.ObjectDeleteView):
    """Deleting a revenue row or a contact returns to its enterprise's tab, not to a list."""

    tab = ""

    def post(self, request, **kwargs):
        obj = self.get_object(request, "delete", **kwargs)
        back = obj.enterprise.get_absolute_url() + self.tab
        response = super().post(request, **kwargs)
        if response.status_code == 302 and not self.model.objects.filter(pk=obj.pk).exists():
            return redirect(back)
        return response


# --- Enterprises ----------------------------------------------------------------------------------
class EnterpriseListView(generic.ObjectListView):
    queryset = Enterprise.objects.select_related("responsible_unit")
    filterset_class = filtersets.EnterpriseFilterSet
    table_class = tables.EnterpriseTable


class EnterpriseView(generic.ObjectDetailView):
    queryset = Enterprise.objects.select_related("responsible_unit")

    def get_extra_context(self, request, obj):
        scope = self.scope
        unit_id = obj.responsible_unit_id
        revenues = list(obj.revenues.order_by("-period"))
        projects = _with_urls(obj.projects.order_by("-total_investment"))
        rows = services.revenue_rows_with_thresholds(obj, revenues)
        return {
            "revenue_rows": rows,
            "latest_revenue": revenues[0] if revenues else None,
            "current_rule": rows[0]["rule"] if rows else None,
            "contacts": list(obj.contacts.all()),
            "projects": projects,
            "node_links": _with_urls(
                obj.node_links.select_related("node__chain").order_by("role", "node__chain__name"), "node"
            ),
            "can_add_revenue": _may(scope, EnterpriseRevenue, "add", unit_id),
            "can_change_revenue": _may(scope, EnterpriseRevenue, "change", unit_id),
            "can_delete_revenue": _may(scope, EnterpriseRevenue, "delete", unit_id),
            "can_add_contact": _may(scope, Contact, "add", unit_id),
            "can_change_contact": _may(scope, Contact, "change", unit_id),
            "can_delete_contact": _may(scope, Contact, "delete", unit_id),
        }


class EnterpriseEditView(generic.ObjectEditView):
    queryset = Enterprise.objects.all()
    form_class = forms.EnterpriseForm

    def save(self, request, form):
        # A unit head may not hand an enterprise to a unit outside their own scope (they would
        # lose it, and the receiving unit never agreed): that hand-over is the office's.
        obj = form.save()
        if not Enterprise.objects.restrict(request.user, "change").filter(pk=obj.pk).exists():
            raise ServiceError(
                _("服务单位只能选择您负责的单位；如需把企业移交给其他单位服务，请联系领导小组办公室。"),
                field="responsible_unit",
            )
        return obj


class EnterpriseDeleteView(generic.ObjectDeleteView):
    queryset = Enterprise.objects.all()


class EnterpriseBulkEditView(generic.BulkEditView):
    queryset = Enterprise.objects.all()
    form_class = forms.EnterpriseBulkEditForm


class EnterpriseBulkDeleteView(generic.BulkDeleteView):
    queryset = Enterprise.objects.all()


# --- Revenue --------------------------------------------------------------------------------------
class EnterpriseRevenueListView(generic.ObjectListView):
    queryset = EnterpriseRevenue.objects.select_related("enterprise")
    filterset_class = filtersets.EnterpriseRevenueFilterSet
    table_class = tables.EnterpriseRevenueTable


class EnterpriseRevenueView(generic.ObjectDetailView):
    queryset = EnterpriseRevenue.objects.select_related("enterprise")

    def get_extra_context(self, request, obj):
        rule = services.threshold_for(obj.enterprise.stats_category, services.month_end(obj.period))
        return {
            "rule": rule,
            "reached": bool(rule and rule.threshold is not None and obj.revenue_ytd >= rule.threshold),
        }


class EnterpriseRevenueEditView(generic.ObjectEditView):
    queryset = EnterpriseRevenue.objects.all()
    form_class = forms.EnterpriseRevenueForm


class EnterpriseRevenueDeleteView(EnterpriseChildDeleteView):
    queryset = EnterpriseRevenue.objects.select_related("enterprise")
    tab = "#tab-revenue"


class EnterpriseRevenueBulkDeleteView(generic.BulkDeleteView):
    queryset = EnterpriseRevenue.objects.select_related("enterprise")


# --- 四上 thresholds -------------------------------------------------------------------------------
#: The categories in the order of ``StatsCategory`` (industry first), not alphabetically by code.
CATEGORY_ORDER = Case(*(When(category=c, then=i) for i, c in enumerate(StatsCategory.values)), default=99)


class StatsThresholdListView(generic.ObjectListView):
    queryset = StatsThreshold.objects.order_by(CATEGORY_ORDER, "-valid_from")
    filterset_class = filtersets.StatsThresholdFilterSet
    table_class = tables.StatsThresholdTable
    bulk_actions = ("bulk_delete",)


class StatsThresholdView(generic.ObjectDetailView):
    queryset = StatsThreshold.objects.all()

    def get_extra_context(self, request, obj):
        others = (
            StatsThreshold.objects.filter(category=obj.category).exclude(pk=obj.pk).order_by("-valid_from")
        )
        return {"others": others}


class StatsThresholdEditView(generic.ObjectEditView):
    queryset = StatsThreshold.objects.all()
    form_class = forms.StatsThresholdForm


class StatsThresholdDeleteView(generic.ObjectDeleteView):
    queryset = StatsThreshold.objects.all()


class StatsThresholdBulkDeleteView(generic.BulkDeleteView):
    queryset = StatsThreshold.objects.all()


# --- Contacts -------------------------------------------------------------------------------------
class ContactListView(generic.ObjectListView):
    queryset = Contact.objects.select_related("enterprise")
    filterset_class = filtersets.ContactFilterSet
    table_class = tables.ContactTable
    bulk_actions = ("bulk_delete",)


class ContactView(generic.ObjectDetailView):
    queryset = Contact.objects.select_related("enterprise")


class ContactEditView(generic.ObjectEditView):
    queryset = Contact.objects.all()
    form_class = forms.ContactForm


class ContactDeleteView(EnterpriseChildDeleteView):
    queryset = Contact.objects.select_related("enterprise")
    tab = "#tab-contacts"


class ContactBulkDeleteView(generic.BulkDeleteView):
    queryset = Contact.objects.select_related("enterprise")


# --- 纳统 candidates --------------------------------------------------------------------------------
class StatsCandidateListView(generic.BaseObjectView):
    """The monthly list of enterprises that have reached their 四上 threshold but are not yet
    已纳统 (``services.stats_candidates``), restricted like the enterprise list."""

    queryset = Enterprise.objects.select_related("responsible_unit")
    template_name = "enterprises/candidates.html"

    def get(self, request):
        self.require_model_permission("view")
        raw = (request.GET.get("month") or "").strip()
        month, error, table = None, None, None
        try:
            month = services.parse_month(raw) if raw else services.previous_month()
        except ServiceError as exc:
            error = exc.message
        if month is not None:
            visible = self.get_queryset(request).restrict(request.user, "view")
            table = tables.StatsCandidateTable(services.stats_candidates(month, visible))
            month_label = date_format(month, "YEAR_MONTH_FORMAT")
            if request.GET.get("export") == "xlsx":
                RequestConfig(request, paginate=False).configure(table)
                name = _("纳统候选企业（{}）").format(month_label)
                return export_table(table, f"{name}.xlsx", _("纳统候选企业"))
            RequestConfig(request, paginate={"per_page": 100}).configure(table)
        query = request.GET.copy()
        query.pop("page", None)
        if month is not None:
            query["month"] = month.strftime("%Y-%m")
        context = self.base_context(
            table=table,
            month=month,
            month_value=month.strftime("%Y-%m") if month else raw,
            month_label=date_format(month, "YEAR_MONTH_FORMAT") if month else "",
            error=error,
            export_query=query.urlencode(),
            add_url=None,
            enterprise_list_url=generic.model_url(Enterprise, "list"),
        )
        return render(request, self.template_name, context)
