"""Pages of the chains app: key chains (with the chain map), chain roles, chain nodes and the
enterprises on the nodes."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.utils.translation import gettext_lazy as _

from chainlead.chains import filtersets, forms, services, tables
from chainlead.chains.choices import STRENGTH_COLORS, ChainRoleKind, NodeEnterpriseRole, Segment, Strength
from chainlead.chains.models import ChainNode, ChainRole, KeyChain, NodeEnterprise
from chainlead.chains.templatetags.chain_tags import url_of
from chainlead.organization.permissions import get_scope
from chainlead.utilities import views as generic
from chainlead.utilities.views import model_url


def _projects_for(request, **filters):
    """The projects the user may see (KeyProject is not public), with what the tabs show."""
    from chainlead.projects.models import KeyProject

    return (
        KeyProject.objects.restrict(request.user, "view")
        .filter(**filters)
        .select_related("chain_node", "responsible_unit")
        .order_by("-total_investment", "name")
    )


# --- Key chains -----------------------------------------------------------------------------------
class KeyChainListView(generic.ObjectListView):
    queryset = services.annotate_chains(
        KeyChain.objects.select_related("lead_department").prefetch_related(
            Prefetch("roles", queryset=ChainRole.objects.filter(kind=ChainRoleKind.CHAIN_LEADER))
        )
    )
    filterset_class = filtersets.KeyChainFilterSet
    table_class = tables.KeyChainTable


class KeyChainView(generic.ObjectDetailView):
    """The chain page: headline figures, the people, the chain map and the lists behind it."""

    queryset = KeyChain.objects.select_related("lead_department")

    def get_extra_context(self, request, obj):
        map_data = services.chain_map_data(obj)
        figures = services.chain_figures(map_data)
        roles = list(obj.roles.select_related("unit", "user").order_by("kind", "sort_order", "pk"))
        people = [
            {"kind": kind, "label": kind.label, "people": [r for r in roles if r.kind == kind]}
            for kind in (
                ChainRoleKind.CHAIN_LEADER,
                ChainRoleKind.DEPUTY_CHAIN_LEADER,
                ChainRoleKind.CHAIN_TASK_FORCE,
                ChainRoleKind.SECRETARIAT,
            )
        ]
        segments = {s.value: s.label for s in Segment}
        node_groups = _node_groups(map_data["nodes"])
        enterprise_rows = []
        for node in map_data["nodes"]:
            for ent in node["enterprises"]:
                enterprise_rows.append(
                    {
                        "name": ent["name"],
                        "url": _enterprise_url(ent["id"]),
                        "is_master": ent["role"] == NodeEnterpriseRole.CHAIN_MASTER,
                        "node": node,
                        "segment": segments.get(node["segment"], node["segment"]),
                    }
                )
        enterprise_rows.sort(key=lambda r: (not r["is_master"], r["name"]))
        projects = list(_projects_for(request, chain=obj))
        for project in projects:
            project.url = url_of(project)
        visible_total = figures["projects"] + figures["terminated"]
        scope = get_scope(request.user)
        return {
            "map_data": map_data,
            "figures": figures,
            "people": people,
            "node_groups": node_groups,
            "map_labels": map_labels(),
            "enterprise_rows": enterprise_rows,
            "projects": projects,
            "hidden_projects": max(visible_total - len(projects), 0),
            "add_node_url": _add_url(scope, ChainNode, obj),
            "add_role_url": _add_url(scope, ChainRole, obj),
            "add_link_url": _add_url(scope, NodeEnterprise, obj),
        }


def _add_url(scope, model, chain) -> str | None:
    """The add page of ``model``, if the user may add one to ``chain`` (its lead department)."""
    if not scope.can(model, "add"):
        return None
    units = scope.units_for(model, "add")
    if units is not None and chain.lead_department_id not in units:
        return None
    return model_url(model, "add")


def map_labels() -> dict:
    """The words the map script shows (tooltips), translated here so the script holds none."""
    return {
        "strength": _("本地基础"),
        "industry_code": _("行业代码"),
        "masters": _("链主企业"),
        "supporting": _("配套企业"),
        "projects": _("项目"),
        "none": _("暂无"),
        "click": _("点击查看节点详情"),
        "unit_company": _("家"),
        "unit_project": _("个"),
        "other": _("未标注"),
    }


def _node_groups(nodes: list[dict]) -> list[dict]:
    """The map's nodes per segment, each segment in tree order (a parent, then its children)."""
    strength_labels = {s.value: s.label for s in Strength}
    names = {n["id"]: n["name"] for n in nodes}
    groups = []
    for segment in Segment:
        seg_nodes = [n for n in nodes if n["segment"] == segment]
        ids = {n["id"] for n in seg_nodes}
        children: dict = {}
        for n in seg_nodes:
            children.setdefault(n["parent"] if n["parent"] in ids else None, []).append(n)
        ordered: list[dict] = []
        stack = [(n, 0) for n in reversed(children.get(None, []))]
        while stack:
            n, depth = stack.pop()
            kids = children.get(n["id"], [])
            ordered.append(
                {
                    **n,
                    "depth": depth,
                    "indent": depth * 1.25,
                    "has_children": bool(kids),
                    "parent_name": names.get(n["parent"], ""),
                    "strength_label": strength_labels.get(n["strength"], n["strength"]),
                    "strength_color": STRENGTH_COLORS.get(n["strength"], "secondary"),
                }
            )
            stack.extend((k, depth + 1) for k in reversed(kids))
        if ordered:
            groups.append({"key": segment.value, "label": segment.label, "nodes": ordered})
    return groups


def _enterprise_url(pk: int) -> str | None:
    from chainlead.enterprises.models import Enterprise

    return url_of(Enterprise(pk=pk))


class KeyChainEditView(generic.ObjectEditView):
    queryset = KeyChain.objects.all()
    form_class = forms.KeyChainForm


class KeyChainDeleteView(generic.ObjectDeleteView):
    queryset = KeyChain.objects.all()


class KeyChainBulkEditView(generic.BulkEditView):
    queryset = KeyChain.objects.all()
    form_class = forms.KeyChainBulkEditForm


class KeyChainBulkDeleteView(generic.BulkDeleteView):
    queryset = KeyChain.objects.all()


# --- Chain roles ----------------------------------------------------------------------------------
#: 链长 → 副链长 → 专班 → 秘书处, the order people are listed in on paper (not alphabetical).
ROLE_RANK = Case(
    *[When(kind=kind, then=Value(i)) for i, kind in enumerate(ChainRoleKind)], output_field=IntegerField()
)


class ChainRoleListView(generic.ObjectListView):
    queryset = (
        ChainRole.objects.select_related("chain", "unit", "user")
        .annotate(kind_rank=ROLE_RANK)
        .order_by("chain__sort_order", "kind_rank", "sort_order", "pk")
    )
    template_name = "chains/chainrole_list.html"
    filterset_class = filtersets.ChainRoleFilterSet
    table_class = tables.ChainRoleTable


class ChainRoleView(generic.ObjectDetailView):
    queryset = ChainRole.objects.select_related("chain", "unit", "user")


class ChainRoleEditView(generic.ObjectEditView):
    queryset = ChainRole.objects.all()
    form_class = forms.ChainRoleForm


class ChainRoleDeleteView(generic.ObjectDeleteView):
    queryset = ChainRole.objects.all()


class ChainRoleBulkEditView(generic.BulkEditView):
    queryset = ChainRole.objects.all()
    form_class = forms.ChainRoleBulkEditForm


class ChainRoleBulkDeleteView(generic.BulkDeleteView):
    queryset = ChainRole.objects.all()


# --- Chain nodes ----------------------------------------------------------------------------------
class ChainNodeListView(generic.ObjectListView):
    queryset = services.annotate_nodes(ChainNode.objects.select_related("chain", "parent"))
    filterset_class = filtersets.ChainNodeFilterSet
    table_class = tables.ChainNodeTable


class ChainNodeView(generic.ObjectDetailView):
    """A node: its chain, segment, strength, parent and children, enterprises and projects."""

    queryset = ChainNode.objects.select_related("chain", "chain__lead_department", "parent")

    def get_extra_context(self, request, obj):
        from chainlead.projects.choices import Purpose, Stage

        links = list(obj.enterprise_links.select_related("enterprise").order_by("role", "enterprise__name"))
        for link in links:
            link.enterprise_url = url_of(link.enterprise)
        projects = list(_projects_for(request, chain_node=obj))
        for project in projects:
            project.url = url_of(project)
        counts = services.project_breakdown_for_node(obj)
        groups = [
            {
                "key": purpose.value,
                "label": purpose.label,
                "count": counts.get(purpose.value, 0),
                "projects": [p for p in projects if p.purpose == purpose],
            }
            for purpose in Purpose
        ]
        others = [p for p in projects if p.purpose not in Purpose.values]
        scope = get_scope(request.user)
        return {
            "children": list(obj.children.order_by("sort_order", "name")),
            "masters": [link for link in links if link.role == NodeEnterpriseRole.CHAIN_MASTER],
            "supporting": [link for link in links if link.role == NodeEnterpriseRole.SUPPORTING],
            "purpose_groups": groups,
            "other_projects": others,
            "project_total": counts.get("total", 0),
            "hidden_projects": max(counts.get("all", 0) - len(projects), 0),
            "terminated_stage": Stage.TERMINATED,
            "add_child_url": _add_url(scope, ChainNode, obj.chain),
            "add_link_url": _add_url(scope, NodeEnterprise, obj.chain),
        }


class ChainNodeEditView(generic.ObjectEditView):
    queryset = ChainNode.objects.all()
    form_class = forms.ChainNodeForm


class ChainNodeDeleteView(generic.ObjectDeleteView):
    queryset = ChainNode.objects.all()


class ChainNodeBulkEditView(generic.BulkEditView):
    queryset = ChainNode.objects.all()
    form_class = forms.ChainNodeBulkEditForm


class ChainNodeBulkDeleteView(generic.BulkDeleteView):
    queryset = ChainNode.objects.all()


# --- Enterprises on nodes -------------------------------------------------------------------------
class NodeEnterpriseListView(generic.ObjectListView):
    queryset = NodeEnterprise.objects.select_related("node", "node__chain", "enterprise").order_by(
        "node__chain__sort_order", "role", "node__sort_order", "enterprise__name"
    )
    template_name = "chains/nodeenterprise_list.html"
    filterset_class = filtersets.NodeEnterpriseFilterSet
    table_class = tables.NodeEnterpriseTable


class NodeEnterpriseView(generic.ObjectDetailView):
    queryset = NodeEnterprise.objects.select_related("node", "node__chain", "enterprise")

    def get_extra_context(self, request, obj):
        return {"enterprise_url": url_of(obj.enterprise)}


class NodeEnterpriseEditView(generic.ObjectEditView):
    queryset = NodeEnterprise.objects.all()
    form_class = forms.NodeEnterpriseForm


class NodeEnterpriseDeleteView(generic.ObjectDeleteView):
    queryset = NodeEnterprise.objects.all()


class NodeEnterpriseBulkEditView(generic.BulkEditView):
    queryset = NodeEnterprise.objects.all()
    form_class = forms.NodeEnterpriseBulkEditForm


class NodeEnterpriseBulkDeleteView(generic.BulkDeleteView):
    queryset = NodeEnterprise.objects.all()
