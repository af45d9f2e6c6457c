"""The dashboard's data function: every figure the leaders' dashboard shows, read from the
summary tables only (``chainlead.dashboard.summary``), for a period, a scope and optionally a
past month-end ("as of").

- Periods are whole months (the period picker is a year and a month range); a ``DashboardContext``
  with other dates is widened to whole months.
- The scope is the user's (``KeyProject.objects.restrict(user, "view")``: responsible unit *or* area
  among the user's units) narrowed by the optional area filter (the area and every unit below it).
  The whole zone reads the zone rollups; a narrowed scope aggregates the events of that scope.
- Every figure carries the link to the list behind it (``projects:keyproject_list`` with
  ``?metric=…&period_start=…&period_end=…``, plus the chain, area, size band or tag).
"""

from __future__ import annotations

import datetime
import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from chainlead.dashboard.models import (
    EventKind,
    EventSnapshot,
    FactSnapshot,
    Grain,
    ProjectEvent,
    ProjectFact,
)
from chainlead.dashboard.summary import BAND_EDGES, TAGS, cents_to_wan, month_end
from chainlead.projects.metrics import METRICS, Period

K = EventKind
ZERO = Decimal(0)
PERIOD_KINDS = (
    K.ATTRACTED,
    K.SIGNED,
    K.REGISTERED,
    K.SIGNED_AND_REGISTERED,
    K.STARTED,
    K.COMPLETED,
    K.IN_PRODUCTION,
    K.FAI,
)
CARD_KEYS = list(METRICS)


def whole_months(period: Period) -> Period:
    start = period.start.replace(day=1)
    return Period(start, month_end(period.end.year, period.end.month))


@dataclass
class Scope:
    """Which projects count: ``units`` (None = the whole zone) and an area filter (None = all)."""

    units: frozenset[int] | None = None
    areas: frozenset[int] | None = None

    @property
    def whole_zone(self) -> bool:
        return self.units is None and self.areas is None

    def q(self) -> Q:
        q = Q()
        if self.units is not None:
            q &= Q(area_id__in=self.units) | Q(unit_id__in=self.units)
        if self.areas is not None:
            q &= Q(area_id__in=self.areas)
        return q

    def parts(self) -> list[tuple[Q, frozenset | None]]:
        """The scope as disjoint conditions, each led by ``area_id IN`` or ``unit_id IN`` so that
        it runs on the (kind, area, month) or (kind, unit, month, area) index (an ``OR`` of the
        two would read the whole period). Sums over the parts add up exactly. The second item is
        the set of areas of a part that is just "area in this set" (it can read the per-area
        rollup instead of the events), else None."""
        units, areas = self.units, self.areas
        if units is None:
            return [(Q(area_id__in=areas), areas)]
        if areas is None:
            return [(Q(area_id__in=units), units), (Q(unit_id__in=units) & ~Q(area_id__in=units), None)]
        return [
            (Q(area_id__in=areas & units), areas & units),
            (Q(area_id__in=areas - units, unit_id__in=units), None),
        ]


class Totals(dict):
    """kind → [n, investment, output] (investment and output in 0.01万元)."""

    def get3(self, kind) -> list[int]:
        return self.get(kind) or [0, 0, 0]

    def add(self, kind, n, inv, out) -> None:
        row = self.setdefault(kind, [0, 0, 0])
        row[0] += int(n or 0)
        row[1] += int(inv or 0)
        row[2] += int(out or 0)

    def landed(self) -> list[int]:
        s, r, b = self.get3(K.SIGNED), self.get3(K.REGISTERED), self.get3(K.SIGNED_AND_REGISTERED)
        return [s[i] + r[i] - b[i] for i in range(3)]


SUMS = {"sn": Sum("n"), "si": Sum("investment"), "so": Sum("output")}


class Reader:
    """Aggregates over the summary tables for one scope, today or as of a month-end.

    The whole zone reads the rollups (``dim`` is the key); a narrowed scope reads the events of
    each of its parts (see ``Scope.parts``) and adds them up."""

    def __init__(self, scope: Scope, as_of: datetime.date | None = None):
        self.scope = scope
        self.as_of = as_of
        if as_of is None:
            self.events = ProjectEvent.objects.all()
            self.facts = ProjectFact.objects.all()
        else:
            self.events = EventSnapshot.objects.filter(as_of=as_of)
            self.facts = FactSnapshot.objects.filter(as_of=as_of)

    def _parts(self, qs) -> list[tuple]:
        """(queryset, month field, month2 field) for each part of the scope."""
        if self.scope.whole_zone:
            return [(qs, "month", "month2")]
        return [(qs.filter(q), "month", "month2") for q, _areas in self.scope.parts()]

    def _querysets(self, grain: int, kinds, *, by_area: bool = False) -> list[tuple]:
        """(queryset, group column) per part. ``by_area``: the figures need no key finer than the
        area (period totals, trends, per area), so a part that is "area in S" reads the per-area
        rollup (``dim`` in S) instead of its events."""
        if self.scope.whole_zone:
            return [(self.facts.filter(grain=grain, kind__in=kinds), "dim")]
        column = {Grain.CHAIN: "chain_id", Grain.AREA: "area_id", Grain.BAND: "band"}[grain]
        out = []
        for q, areas in self.scope.parts():
            if by_area and areas is not None:
                out.append((self.facts.filter(grain=Grain.AREA, kind__in=kinds, dim__in=areas), "dim"))
            else:
                out.append((self.events.filter(q, kind__in=kinds), column))
        return out

    @staticmethod
    def _between(field: str, first: datetime.date, last: datetime.date) -> Q:
        return Q(**{f"{field}__gte": first, f"{field}__lte": last})

    @classmethod
    def _in(cls, period: Period, m: str = "month", m2: str = "month2") -> Q:
        """Events in the period's months; a 签约且注册 pair only when both months are in it."""
        first, last = period.start.replace(day=1), period.end
        return cls._between(m, first, last) & (
            ~Q(kind=K.SIGNED_AND_REGISTERED) | cls._between(m2, first, last)
        )

    def series(self, first: datetime.date, last: datetime.date) -> list[tuple]:
        """(kind, month, month2, n, investment, output) for the months first…last."""
        rows = []
        for qs, _column in self._querysets(Grain.CHAIN, PERIOD_KINDS, by_area=True):
            rows.extend(
                qs.filter(self._between("month", first, last))
                .values("kind", "month", "month2")
                .annotate(**SUMS)
                .values_list("kind", "month", "month2", "sn", "si", "so")
                .order_by()
            )
        return rows

    def grouped(self, grain: int, period: Period, kinds, *, states=()) -> dict[int, Totals]:
        """key → Totals for the period (plus the given state kinds, which have no month)."""
        out: dict[int, Totals] = defaultdict(Totals)
        for qs, column in self._querysets(grain, (*kinds, *states), by_area=grain == Grain.AREA):
            cond = self._in(period)
            if states:
                cond |= Q(kind__in=states)
            rows = (
                qs.filter(cond)
                .values(column, "kind")
                .annotate(**SUMS)
                .values_list(column, "kind", "sn", "si", "so")
                .order_by()
            )
            for key, kind, n, inv, out_ in rows:
                out[int(key or 0)].add(kind, n, inv, out_)
        return out

    def tags(self, period: Period) -> dict[int, list[int]]:
        """tag index → [n, investment, output] of the projects attracted in the period."""
        if self.scope.whole_zone:
            rows = (
                self.facts.filter(grain=Grain.TAG, kind=K.ATTRACTED)
                .filter(self._in(period))
                .values("dim")
                .annotate(**SUMS)
                .values_list("dim", "sn", "si", "so")
                .order_by()
            )
            return {int(d): [int(n or 0), int(i or 0), int(o or 0)] for d, n, i, o in rows}
        # one row per distinct combination of tags (a few dozen), expanded to the tags here
        out: dict[int, list[int]] = {}
        for qs, m, m2 in self._parts(self.events.filter(kind=K.ATTRACTED)):
            rows = (
                qs.filter(self._in(period, m, m2))
                .exclude(tags=0)
                .values("tags")
                .annotate(**SUMS)
                .values_list("tags", "sn", "si", "so")
                .order_by()
            )
            for mask, n, inv, output in rows:
                for i in range(len(TAGS)):
                    if mask & (1 << i):
                        total = out.setdefault(i, [0, 0, 0])
                        total[0] += int(n or 0)
                        total[1] += int(inv or 0)
                        total[2] += int(output or 0)
        return out

    def enterprises(self, periods: dict[str, Period], by_chain: Period | None = None):
        """Distinct enterprises brought into the statistics in each period (and per chain).

        Distinct counts do not add up over parts, so this is one query with the scope's ``OR``;
        it reads only the 企业纳统 events of the months asked for, a small share of all events."""
        first = min(p.start for p in periods.values()).replace(day=1)
        last = max(p.end for p in periods.values())
        qs = self.events.filter(kind=K.ENTERPRISE_IN_STATS)
        if not self.scope.whole_zone:
            qs = qs.filter(self.scope.q())

        def within(p: Period) -> Q:
            return Q(month__gte=p.start.replace(day=1), month__lte=p.end)

        totals = qs.filter(month__gte=first, month__lte=last).aggregate(
            **{name: Count("enterprise_id", distinct=True, filter=within(p)) for name, p in periods.items()}
        )
        chains: dict[int, int] = {}
        if by_chain is not None:
            rows = (
                qs.filter(within(by_chain))
                .values("chain_id")
                .annotate(c=Count("enterprise_id", distinct=True))
                .values_list("chain_id", "c")
                .order_by()
            )
            chains = {int(k or 0): int(c) for k, c in rows}
        return totals, chains

    def lagging(self, today: datetime.date, limit: int = 10) -> list[tuple]:
        """(project id, kind of plan, planned date) of the plans missed longest ago.

        Ordered by the date alone, the (kind, month) index hands over the first rows and stops;
        the projects that share the last date are then fetched whole, so ties are broken by id."""
        rows = []
        for qs, m, _m2 in self._parts(ProjectEvent.objects.filter(kind=K.DUE)):
            qs = qs.filter(**{f"{m}__lt": today})
            head = list(qs.order_by("month").values_list("project_id", "sub", "month")[:limit])
            if len(head) == limit:
                last = head[-1][2]
                head = [r for r in head if r[2] < last]
                head.extend(qs.filter(month=last).values_list("project_id", "sub", "month").order_by())
            rows.extend(head)
        return sorted(rows, key=lambda r: (r[2], r[0]))[:limit]

    def lagging_count(self, today: datetime.date) -> int:
        first = today.replace(day=1)
        if self.scope.whole_zone:
            # whole months from the rollup, the current month from the events
            before = ProjectFact.objects.filter(grain=Grain.CHAIN, kind=K.DUE, month__lt=first).aggregate(
                n=Sum("n")
            )["n"]
            now = ProjectEvent.objects.filter(kind=K.DUE, month__gte=first, month__lt=today).count()
            return int(before or 0) + now
        return sum(
            qs.filter(**{f"{m}__lt": today}).count()
            for qs, m, _m2 in self._parts(ProjectEvent.objects.filter(kind=K.DUE))
        )


def period_totals(series: list[tuple], period: Period) -> Totals:
    m1, m2 = period.start.replace(day=1), period.end
    totals = Totals()
    for kind, month, month2, n, inv, out in series:
        if not (m1 <= month <= m2):
            continue
        if kind == K.SIGNED_AND_REGISTERED and not (m1 <= month2 <= m2):
            continue
        totals.add(kind, n, inv, out)
    return totals


def headline_values(totals: Totals, enterprises: int) -> dict[str, int | Decimal]:
    """The eight headline figures (amounts in 万元), as ``metrics.headline`` names them."""
    att, landed = totals.get3(K.ATTRACTED), totals.landed()
    return {
        "attracted": att[0],
        "attracted_investment": cents_to_wan(att[1]),
        "landed": landed[0],
        "landed_output": cents_to_wan(landed[2]),
        "started": totals.get3(K.STARTED)[0],
        "completed": totals.get3(K.COMPLETED)[0],
        "in_production": totals.get3(K.IN_PRODUCTION)[0],
        "enterprises_in_stats": enterprises,
    }


# --- links ---------------------------------------------------------------------------------------------
_SAFE = re.compile(r"^[A-Za-z0-9_.\-]*$")


@functools.cache
def _base_url(name: str) -> str:
    return reverse(name)


def list_url(metric: str, period: Period, *, as_of: datetime.date | None = None, **filters) -> str:
    """The list behind a figure: the projects list, or "as of" the dashboard's own history list."""
    params = [
        ("metric" if metric in METRICS else "dmetric", metric),
        ("period_start", period.start.isoformat()),
        ("period_end", period.end.isoformat()),
    ]
    params.extend((k, v) for k, v in filters.items() if v not in (None, ""))
    if as_of is not None:
        params.append(("as_of", as_of.isoformat()))
    if as_of is not None or metric not in METRICS:
        base = _base_url("dashboard:metric_list")
    else:
        base = _base_url("projects:keyproject_list")
    # The values are dates, ids, choice keys and amounts: nothing to escape but to be safe.
    return base + "?" + "&".join(f"{k}={v}" if _SAFE.match(str(v)) else urlencode({k: v}) for k, v in params)


def band_filters(band: int) -> dict:
    """``investment_min``/``investment_max`` (万元, inclusive) of a size band."""
    lo = BAND_EDGES[band - 1] if band > 0 else None
    hi = BAND_EDGES[band] - Decimal("0.01") if band < len(BAND_EDGES) else None
    return {"investment_min": lo, "investment_max": hi}


def change(current, previous) -> dict:
    """同比: the change in % (one decimal) with an arrow; "—" when last year is 0."""
    current, previous = Decimal(current or 0), Decimal(previous or 0)
    if previous == 0:
        return {"pct": None, "arrow": "", "text": "—", "direction": "none"}
    pct = ((current - previous) / previous * 100).quantize(Decimal("0.1"))
    if pct > 0:
        return {"pct": pct, "arrow": "▲", "text": f"▲ {pct}%", "direction": "up"}
    if pct < 0:
        return {"pct": pct, "arrow": "▼", "text": f"▼ {abs(pct)}%", "direction": "down"}
    return {"pct": pct, "arrow": "", "text": _("持平"), "direction": "flat"}


@dataclass
class Card:
    key: str
    label: str
    unit: str  # "count" or "yi"
    value: int | Decimal
    last_year: int | Decimal
    change: dict
    url: str
    definition_url: str

    @property
    def is_money(self) -> bool:
        return self.unit == "yi"

    @property
    def unit_label(self) -> str:
        if self.unit == "yi":
            return _("亿元")
        return _("家") if self.key == "enterprises_in_stats" else _("个")


@dataclass
class DashboardData:
    period: Period
    last_year: Period
    as_of: datetime.date | None
    scope: Scope
    cards: list[Card] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    last_year_values: dict = field(default_factory=dict)
    funnel: list[dict] = field(default_factory=list)
    trend: dict = field(default_factory=dict)
    chains: list[dict] = field(default_factory=list)
    areas: list[dict] = field(default_factory=list)
    bands: list[dict] = field(default_factory=list)
    tags: list[dict] = field(default_factory=list)
    lagging: list[dict] = field(default_factory=list)
    lagging_total: int = 0
    extra: dict = field(default_factory=dict)


BAND_LABELS = ["1亿元以下", "1–5亿元", "5–10亿元", "10–50亿元", "50亿元以上"]


def compute(dash) -> DashboardData:
    """Everything the dashboard shows for a ``DashboardContext`` (see ``panels.py``)."""
    from chainlead.chains.models import KeyChain
    from chainlead.enterprises.choices import SourceTag

    period = whole_months(Period(dash.period_start, dash.period_end))
    last_year = period.same_period_last_year()
    last_year = Period(last_year.start, month_end(last_year.end.year, last_year.end.month))
    as_of = dash.as_of_date
    scope = dash.scope()
    reader = Reader(scope, as_of)
    data = DashboardData(period=period, last_year=last_year, as_of=as_of, scope=scope)
    area_param = dash.area.pk if dash.area is not None else None

    # 1. one query for both periods, the funnel and both trend years
    year = period.end.year
    first = min(last_year.start, datetime.date(year - 1, 1, 1))
    series = reader.series(first, period.end)
    current, previous = period_totals(series, period), period_totals(series, last_year)
    ent_totals, ent_chains = reader.enterprises({"now": period, "before": last_year}, by_chain=period)
    data.values = headline_values(current, ent_totals["now"])
    data.last_year_values = headline_values(previous, ent_totals["before"])
    for key in CARD_KEYS:
        metric = METRICS[key]
        value, before = data.values[key], data.last_year_values[key]
        data.cards.append(
            Card(
                key=key,
                label=str(metric.label),
                unit=metric.unit,
                value=value,
                last_year=before,
                change=change(value, before),
                url=list_url(key, period, as_of=as_of, area=area_param),
                definition_url=reverse("dashboard:definition_detail", args=[key]),
            )
        )

    # 2. the funnel: 洽谈 → 落地 → 开工 → 竣工 → 投产 in the period (count and total investment)
    for key, label, row in (
        ("attracted", _("洽谈和招引"), current.get3(K.ATTRACTED)),
        ("landed", _("签约和注册"), current.landed()),
        ("started", _("开工"), current.get3(K.STARTED)),
        ("completed", _("竣工"), current.get3(K.COMPLETED)),
        ("in_production", _("投产"), current.get3(K.IN_PRODUCTION)),
    ):
        data.funnel.append(
            {
                "key": key,
                "label": label,
                "n": row[0],
                "investment": cents_to_wan(row[1]),
                "url": list_url(key, period, as_of=as_of, area=area_param),
            }
        )

    # 3. monthly trend of both years: signings, starts, total investment of newly landed projects
    last_month = period.end.month
    trend = {"months": list(range(1, 13)), "this_year": year, "last_year": year - 1}
    for name, y, upto in (("current", year, last_month), ("previous", year - 1, 12)):
        rows = []
        for m in range(1, 13):
            if m > upto:
                rows.append(None)
                continue
            p = Period(datetime.date(y, m, 1), month_end(y, m))
            t = period_totals(series, p)
            rows.append(
                {
                    "landed": t.landed()[0],
                    "started": t.get3(K.STARTED)[0],
                    "landed_investment": cents_to_wan(t.landed()[1]),
                    "period": p,
                }
            )
        trend[name] = rows
    data.trend = trend

    # 4. per chain: the three tasks (招引, 建设, 纳统) for the scorecards and the chain chart
    by_chain = reader.grouped(
        Grain.CHAIN,
        period,
        (K.ATTRACTED, K.SIGNED, K.REGISTERED, K.SIGNED_AND_REGISTERED, K.STARTED, K.FAI),
        states=(K.IN_CONSTRUCTION,),
    )
    chains = list(KeyChain.objects.order_by("sort_order", "pk").values("pk", "name", "short_name"))
    for chain in [*chains, {"pk": 0, "name": _("未归属产业链"), "short_name": _("未归属")}]:
        t = by_chain.get(chain["pk"], Totals())
        if chain["pk"] == 0 and not t:
            continue
        chain_filter = chain["pk"] or None
        row = {
            "id": chain["pk"],
            "name": chain["name"],
            "short_name": chain["short_name"] or chain["name"],
            "attracted": t.get3(K.ATTRACTED)[0],
            "attracted_investment": cents_to_wan(t.get3(K.ATTRACTED)[1]),
            "landed": t.landed()[0],
            "started": t.get3(K.STARTED)[0],
            "in_construction": t.get3(K.IN_CONSTRUCTION)[0],
            "fai": t.get3(K.FAI)[0],
            "enterprises_in_stats": ent_chains.get(chain["pk"], 0),
            "urls": {},
        }
        if chain_filter:
            for key in ("attracted", "landed", "started", "enterprises_in_stats"):
                row["urls"][key] = list_url(key, period, as_of=as_of, area=area_param, chain=chain_filter)
            row["urls"]["fai"] = list_url("fai", period, as_of=as_of, area=area_param, chain=chain_filter)
            row["urls"]["in_construction"] = list_url(
                "in_construction", period, as_of=as_of, area=area_param, chain=chain_filter
            )
            row["urls"]["chain"] = reverse("chains:keychain_detail", args=[chain_filter])
        data.chains.append(row)

    # 5. per area or battle zone: the children of the current area (or the zone's top areas)
    data.areas = _areas(reader, period, dash, as_of)

    # 6. size bands and source tags of the projects attracted in the period
    by_band = reader.grouped(Grain.BAND, period, (K.ATTRACTED,))
    for band, label in enumerate(BAND_LABELS):
        row = by_band.get(band, Totals()).get3(K.ATTRACTED)
        data.bands.append(
            {
                "band": band,
                "label": label,
                "n": row[0],
                "investment": cents_to_wan(row[1]),
                "url": list_url("attracted", period, as_of=as_of, area=area_param, **band_filters(band)),
            }
        )
    labels = dict(SourceTag.choices)
    by_tag = reader.tags(period)
    for i, tag in enumerate(TAGS):
        row = by_tag.get(i, [0, 0, 0])
        data.tags.append(
            {
                "tag": tag,
                "label": str(labels.get(tag, tag)),
                "n": row[0],
                "investment": cents_to_wan(row[1]),
                "url": list_url("attracted", period, as_of=as_of, area=area_param, tag=tag),
            }
        )
    return data


def _areas(reader: Reader, period: Period, dash, as_of) -> list[dict]:
    """Roll the per-area rows up to the rows shown: the top territorial units of the zone, or
    the units right under the filtered area (its battle zones)."""
    from chainlead.organization.choices import TERRITORIAL_KINDS
    from chainlead.organization.models import Unit

    kinds = [k.value for k in TERRITORIAL_KINDS]
    units = list(Unit.objects.filter(kind__in=kinds).values("pk", "name", "short_name", "path", "sort_order"))
    by_path = {u["path"]: u for u in units}
    if dash.area is not None:
        shown = [u for u in units if u["path"].startswith(dash.area.path) and u["path"] != dash.area.path]
        shown = [u for u in shown if u["path"][:-7] == dash.area.path] or [by_path.get(dash.area.path)]
        shown = [u for u in shown if u]
    else:
        # top territorial units: no territorial ancestor
        shown = [u for u in units if not any(p in by_path for p in _ancestor_paths(u["path"]))]
    shown.sort(key=lambda u: (u["sort_order"], u["path"]))
    grouped = reader.grouped(
        Grain.AREA, period, (K.ATTRACTED, K.SIGNED, K.REGISTERED, K.SIGNED_AND_REGISTERED, K.STARTED)
    )
    id_path = {u["pk"]: u["path"] for u in units}
    rows = {u["path"]: Totals() for u in shown}
    for area_id, totals in grouped.items():
        path = id_path.get(area_id)
        if path is None:
            continue
        target = next((p for p in rows if path.startswith(p)), None)
        if target is None:
            continue
        for kind, (n, inv, out) in totals.items():
            rows[target].add(kind, n, inv, out)
    out = []
    for u in shown:
        t = rows[u["path"]]
        att, landed = t.get3(K.ATTRACTED), t.landed()
        out.append(
            {
                "id": u["pk"],
                "name": u["short_name"] or u["name"],
                "attracted": att[0],
                "attracted_investment": cents_to_wan(att[1]),
                "landed": landed[0],
                "started": t.get3(K.STARTED)[0],
                "url": list_url("attracted", period, as_of=as_of, area=u["pk"]),
                "url_landed": list_url("landed", period, as_of=as_of, area=u["pk"]),
                "url_started": list_url("started", period, as_of=as_of, area=u["pk"]),
            }
        )
    return out


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts))]


DUE_LABELS = {"start": "开工", "completion": "竣工", "production": "投产"}


def lagging(dash, limit: int = 10) -> tuple[list[dict], int]:
    """The plans missed longest ago (today's data only)."""
    from chainlead.core import clock
    from chainlead.projects.models import KeyProject

    today = clock.today()
    reader = Reader(dash.scope())
    rows = reader.lagging(today, limit)
    names = dict(KeyProject._base_manager.filter(pk__in=[r[0] for r in rows]).values_list("pk", "name"))
    items = []
    for pid, kind, due in rows:
        items.append(
            {
                "id": pid,
                "name": names.get(pid, f"#{pid}"),
                "kind": kind,
                "kind_label": _(DUE_LABELS.get(kind, kind)),
                "planned": due,
                "days": (today - due).days,
                "url": reverse("projects:keyproject_detail", args=[pid]),
            }
        )
    return items, reader.lagging_count(today)


def freshness(dash, limit: int = 12) -> dict:
    """Per responsible unit: projects, when its project data last changed, plus the columns the
    other apps add (``hooks.register_freshness_source``), stalest first."""
    from chainlead.core import clock
    from chainlead.dashboard.hooks import FRESHNESS_SOURCES
    from chainlead.dashboard.models import UnitFreshness
    from chainlead.organization.models import Unit

    scope = dash.scope()
    qs = UnitFreshness.objects.filter(projects__gt=0)
    if scope.units is not None:
        qs = qs.filter(unit_id__in=scope.units)
    if scope.areas is not None:
        qs = qs.filter(unit_id__in=scope.areas)
    rows = list(qs.order_by("last_change", "unit_id").values_list("unit_id", "last_change", "projects"))
    names = dict(Unit.objects.filter(pk__in=[r[0] for r in rows[:limit]]).values_list("pk", "name"))
    now = clock.now()
    shown = [
        {
            "unit_id": unit,
            "name": names.get(unit) or _("（未指定单位）"),
            "last_change": last,
            "days": max((now - last).days, 0),
            "projects": n,
            "extra": {},
        }
        for unit, last, n in rows[:limit]
    ]
    columns = []
    for source in FRESHNESS_SOURCES.values():
        values = source.values(dash, [r["unit_id"] for r in shown])
        if values is None:
            continue
        columns.extend(source.columns)
        for r in shown:
            r["extra"].update(values.get(r["unit_id"], {}))
    return {"rows": shown, "total_units": len(rows), "columns": columns}
