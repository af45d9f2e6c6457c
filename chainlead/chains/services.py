"""Read services of the chains app: the chain-map data and a chain's headline figures.

``chain_map_data(chain)`` is the one source of the chain map. The chain page draws it with
ECharts, the API serves it at ``/api/chains/chains/{id}/map/`` and the leaders' dashboard reuses
it (``miniature=True``) for a small map with the missing nodes marked. It returns plain dicts and
lists (JSON-ready) and runs a fixed number of queries whatever the size of the chain:

- ``miniature=True``: 1 query (the nodes);
- full: 3 queries (nodes; projects grouped by node, purpose and stage; enterprise links).

Projects that have been terminated (终止) are left out of every figure: they no longer fill,
strengthen or extend anything. They are counted apart as ``terminated``.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import pgettext

from chainlead.chains.choices import STRENGTH_HEX, NodeEnterpriseRole, Segment, Strength
from chainlead.chains.models import ChainNode, KeyChain, NodeEnterprise

#: Purposes of a project on a chain, in display order, with the one-character tag used on the map.
PURPOSE_KEYS = ("fill", "strengthen", "extend")
#: 1亿元 in 万元: the "亿元以上项目" cut.
YI = Decimal(10000)


def _purposes() -> list[dict]:
    from chainlead.projects.choices import PURPOSE_COLORS, Purpose

    short = {
        Purpose.FILL: pgettext("purpose short", "补"),
        Purpose.STRENGTHEN: pgettext("purpose short", "强"),
        Purpose.EXTEND: pgettext("purpose short", "延"),
    }
    return [
        {"key": p.value, "label": str(p.label), "short": str(short[p]), "color": PURPOSE_COLORS[p]}
        for p in Purpose
    ]


def _legend() -> dict:
    return {
        "segments": [{"key": s.value, "label": str(s.label)} for s in Segment],
        "strengths": [{"key": s.value, "label": str(s.label), "color": STRENGTH_HEX[s]} for s in Strength],
    }


def _empty_counts() -> dict:
    return {"fill": 0, "strengthen": 0, "extend": 0, "other": 0, "total": 0}


def _node_rows(chain: KeyChain):
    return list(
        ChainNode.objects.filter(chain=chain)
        .order_by("segment", "sort_order", "name")
        .values("id", "name", "segment", "parent_id", "strength", "industry_code", "sort_order")
    )


def _segment_order(rows: list[dict]) -> list[dict]:
    rank = {s.value: i for i, s in enumerate(Segment)}
    return sorted(rows, key=lambda r: (rank.get(r["segment"], 9), r["sort_order"], r["name"]))


def project_breakdown(chain: KeyChain) -> dict:
    """Projects of the chain, grouped in ONE query: per node and purpose, plus chain totals.

    Returns ``{"by_node": {node_id: counts}, "totals": {...}}`` where counts are
    ``{"fill", "strengthen", "extend", "other", "total"}`` and the totals add the investment
    (万元, Decimal), the ≥ 1亿元 count, the projects on no node and the terminated ones."""
    return _breakdown(chain=chain)


def project_breakdown_for_node(node: ChainNode) -> dict:
    """A node's live projects by purpose (``fill``/``strengthen``/``extend``/``other``/``total``)
    and ``all`` (terminated included), in one query."""
    totals = _breakdown(chain_node=node)["totals"]
    return {
        **{k: totals[k] for k in (*PURPOSE_KEYS, "other", "total")},
        "all": totals["total"] + totals["terminated"],
    }


def _breakdown(**filters) -> dict:
    from chainlead.projects.choices import Stage
    from chainlead.projects.models import KeyProject

    rows = (
        KeyProject.objects.filter(**filters)
        .values("chain_node_id", "purpose", "stage")
        .annotate(
            n=Count("id"),
            investment=Sum("total_investment"),
            big=Count("id", filter=Q(total_investment__gte=YI)),
        )
        .order_by()
    )
    by_node: dict[int, dict] = defaultdict(_empty_counts)
    totals = {
        **_empty_counts(),
        "investment": Decimal(0),
        "big": 0,
        "without_node": 0,
        "terminated": 0,
    }
    for row in rows:
        if row["stage"] == Stage.TERMINATED:
            totals["terminated"] += row["n"]
            continue
        key = row["purpose"] if row["purpose"] in PURPOSE_KEYS else "other"
        totals[key] += row["n"]
        totals["total"] += row["n"]
        totals["investment"] += row["investment"] or Decimal(0)
        totals["big"] += row["big"]
        if row["chain_node_id"] is None:
            totals["without_node"] += row["n"]
        else:
            counts = by_node[row["chain_node_id"]]
            counts[key] += row["n"]
            counts["total"] += row["n"]
    return {"by_node": dict(by_node), "totals": totals}


def chain_map_data(chain: KeyChain, *, miniature: bool = False) -> dict:
    """The chain map as plain data.

    ``nodes`` come in map order (上游 → 中游 → 下游, then ``sort_order``). Each node has ``id``,
    ``name``, ``segment``, ``strength`` and ``color``; the full map adds ``parent``,
    ``industry_code``, ``url``, ``projects`` (counts by purpose: fill/strengthen/extend/other/
    total), ``masters`` and ``supporting`` (enterprise names) and ``enterprises`` (id, name,
    role). ``edges`` link parent → child. ``totals`` sums the nodes by strength and the projects
    by purpose (investment in 万元 as a string, to stay JSON-ready)."""
    rows = _segment_order(_node_rows(chain))
    strength_counts = {s.value: 0 for s in Strength}
    for row in rows:
        strength_counts[row["strength"]] = strength_counts.get(row["strength"], 0) + 1
    chain_info = {"id": chain.pk, "name": chain.name, "short_name": chain.short_name, "code": chain.code}
    if miniature:
        return {
            "chain": chain_info,
            "nodes": [
                {
                    "id": r["id"],
                    "name": r["name"],
                    "segment": r["segment"],
                    "strength": r["strength"],
                    "color": STRENGTH_HEX.get(r["strength"], "#999999"),
                }
                for r in rows
            ],
            "totals": {"nodes": len(rows), **strength_counts},
        }

    breakdown = project_breakdown(chain)
    links = (
        NodeEnterprise.objects.filter(node__chain=chain)
        .order_by("role", "enterprise__name")
        .values("node_id", "role", "enterprise_id", "enterprise__name")
    )
    enterprises: dict[int, list[dict]] = defaultdict(list)
    master_ids: set[int] = set()
    supporting_ids: set[int] = set()
    for link in links:
        enterprises[link["node_id"]].append(
            {"id": link["enterprise_id"], "name": link["enterprise__name"], "role": link["role"]}
        )
        if link["role"] == NodeEnterpriseRole.CHAIN_MASTER:
            master_ids.add(link["enterprise_id"])
        else:
            supporting_ids.add(link["enterprise_id"])

    ids = {r["id"] for r in rows}
    nodes, edges = [], []
    for r in rows:
        linked = enterprises.get(r["id"], [])
        nodes.append(
            {
                "id": r["id"],
                "name": r["name"],
                "segment": r["segment"],
                "parent": r["parent_id"],
                "strength": r["strength"],
                "color": STRENGTH_HEX.get(r["strength"], "#999999"),
                "industry_code": r["industry_code"],
                "url": reverse("chains:chainnode_detail", args=[r["id"]]),
                "projects": breakdown["by_node"].get(r["id"], _empty_counts()),
                "masters": [e["name"] for e in linked if e["role"] == NodeEnterpriseRole.CHAIN_MASTER],
                "supporting": [e["name"] for e in linked if e["role"] == NodeEnterpriseRole.SUPPORTING],
                "enterprises": linked,
            }
        )
        if r["parent_id"] in ids:
            edges.append({"source": r["parent_id"], "target": r["id"]})
    project_totals = breakdown["totals"]
    return {
        "chain": chain_info,
        "nodes": nodes,
        "edges": edges,
        "totals": {
            "nodes": len(rows),
            **strength_counts,
            "projects": {**project_totals, "investment": str(project_totals["investment"])},
            "masters": len(master_ids),
            "supporting": len(supporting_ids),
        },
        "legend": {**_legend(), "purposes": _purposes()},
    }


def chain_figures(map_data: dict) -> dict:
    """The chain page's header figures, read off ``chain_map_data`` (no further query)."""
    totals = map_data["totals"]
    projects = totals["projects"]
    return {
        "nodes": totals["nodes"],
        "present": totals[Strength.PRESENT],
        "weak": totals[Strength.WEAK],
        "missing": totals[Strength.MISSING],
        "projects": projects["total"],
        "investment": Decimal(projects["investment"]),
        "big": projects["big"],
        "fill": projects["fill"],
        "strengthen": projects["strengthen"],
        "extend": projects["extend"],
        "other": projects["other"],
        "without_node": projects["without_node"],
        "terminated": projects["terminated"],
        "masters": totals["masters"],
        "supporting": totals["supporting"],
    }


# --- list annotations ------------------------------------------------------------------------------
def _count(model, outer: str, **filters):
    """A correlated ``COUNT(*)`` subquery: rows of ``model`` whose ``outer`` field is the row's pk."""
    from django.db.models import IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    sub = (
        model._base_manager.filter(**{outer: OuterRef("pk")}, **filters)
        .order_by()
        .values(outer)
        .annotate(c=Count("pk"))
        .values("c")
    )
    return Coalesce(Subquery(sub, output_field=IntegerField()), 0)


def _sum(model, outer: str, field: str, **filters):
    from django.db.models import DecimalField, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    sub = (
        model._base_manager.filter(**{outer: OuterRef("pk")}, **filters)
        .order_by()
        .values(outer)
        .annotate(s=Sum(field))
        .values("s")
    )
    money = DecimalField(max_digits=18, decimal_places=2)
    return Coalesce(Subquery(sub, output_field=money), Value(Decimal(0)), output_field=money)


def annotate_chains(queryset):
    """Node counts by strength and live-project figures for each chain of a list (no N+1)."""
    from chainlead.projects.choices import Stage
    from chainlead.projects.models import KeyProject

    live = {"stage__in": [s for s in Stage.values if s != Stage.TERMINATED]}
    return queryset.annotate(
        node_count=_count(ChainNode, "chain"),
        present_count=_count(ChainNode, "chain", strength=Strength.PRESENT),
        weak_count=_count(ChainNode, "chain", strength=Strength.WEAK),
        missing_count=_count(ChainNode, "chain", strength=Strength.MISSING),
        project_count=_count(KeyProject, "chain", **live),
        project_investment=_sum(KeyProject, "chain", "total_investment", **live),
    )


def annotate_nodes(queryset):
    """Enterprise and live-project counts (by purpose) for each node of a list (no N+1)."""
    from chainlead.projects.choices import Stage
    from chainlead.projects.models import KeyProject

    live = {"stage__in": [s for s in Stage.values if s != Stage.TERMINATED]}
    return queryset.annotate(
        master_count=_count(NodeEnterprise, "node", role=NodeEnterpriseRole.CHAIN_MASTER),
        supporting_count=_count(NodeEnterprise, "node", role=NodeEnterpriseRole.SUPPORTING),
        project_count=_count(KeyProject, "chain_node", **live),
        fill_count=_count(KeyProject, "chain_node", purpose="fill", **live),
        strengthen_count=_count(KeyProject, "chain_node", purpose="strengthen", **live),
        extend_count=_count(KeyProject, "chain_node", purpose="extend", **live),
    )
