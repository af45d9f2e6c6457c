"""Summary tables that keep the dashboard fast at province scale and equal to a fresh query.

Why
    A leader's dashboard shows about forty figures (eight headline cards and their 同比, a funnel,
    two trend years, breakdowns by chain, area, size band and source tag, one scorecard per chain).
    Computed straight from ``KeyProject`` each is a ``GROUP BY`` over every project: with a million
    projects that is over a second per query. So the dashboard reads only small derived tables,
    which this module keeps exactly equal to what ``projects.metrics`` would compute on the live
    rows (or, "as of" a month-end, on the rows rebuilt from the history tables).

What is stored (``dashboard.models``)
    1. Events (``ProjectEvent``): per project, one narrow row per thing it counts for — 洽谈 in a
       month, 签约, 注册, 签约且注册 (a month pair), 开工, 竣工, 投产, 入库纳统, 企业纳统 (with the
       enterprise id: that figure counts enterprises, not projects), the state 在建, the next
       planned date it has not met (for "most lagging"), and the project itself. Each row carries
       the keys the dashboard slices by: area, responsible unit, chain, enterprise, size band, a
       bitmask of the enterprise's source tags, and the amounts in 0.01万元 (integers, so sums are
       exact on SQLite too). The events are this module's memory of "what is counted now" for
       each project, which is what makes the incremental path exact.
    2. Zone rollups (``ProjectFact``): the events summed by (kind, month, month2) and one key —
       chain, area, size band or source tag (``Grain``), plus the planned dates not yet met per
       month (so "N projects behind plan" is a sum, not a count over every project). A
       whole-zone dashboard reads a few hundred of these rows whatever the number of projects; a
       leader's area filter reads the per-area rollup for its period figures and trends. The
       rest of a narrowed view (an area's chains, a user's units under the restrict() rule:
       responsible unit *or* area among them) aggregates the events of that scope, split into
       disjoint parts that run on the (kind, area, month) and (kind, unit, month) indexes.
    3. Month-end snapshots (``EventSnapshot``/``FactSnapshot``): the same two tables as they stood
       at the end of a month, rebuilt from the simple-history tables (the last history row of
       each project and enterprise up to that moment; deleted ones drop out). They keep January of
       the previous year up to the month-end — all an "as of" view can show (its period lies in
       that year; 同比 and the trend need the year before) — so an "as of" month is a lookup, not a
       reconstruction over millions of history rows. Snapshots never change afterwards: the past
       does not move when today's data is corrected.

How it is kept up to date
    - ``apply(project_ids)`` recomputes the events of the given projects from their live rows,
      compares them with the stored events, and writes only the difference: changed events are
      replaced and the rollups get ``+new − old`` through ``INSERT … ON CONFLICT DO UPDATE SET
      n = n + excluded.n`` (SQLite ≥ 3.24 and PostgreSQL). Re-applying an unchanged project writes
      nothing, so every path below may overlap safely.
    - ``post_save``/``post_delete`` of ``KeyProject`` apply the one project inside the writing
      transaction; a change to an enterprise's source tags applies its projects.
    - Bulk writes (``bulk_create``, ``bulk_update``, ``QuerySet.update``) send no signals, but the
      change log makes every write path — bulk ones included — add a row to the history tables.
      ``sync()`` reads the history rows above a frontier (project and enterprise), applies the
      projects they name and moves the frontier. The dashboard calls ``sync()`` before every read
      (two indexed look-ups when nothing changed), and a cron job calls it every ten minutes.
      Ids above a gap (a transaction that committed after a younger one) are remembered as
      "seen" until the gap fills or is older than ``GAP_GRACE`` (a rolled-back transaction).
    - ``rebuild()`` (command ``chainlead dashboard_rebuild``, job ``dashboard.rebuild``, nightly
      as a safety net) recomputes everything: the events in one pass over the projects, the
      rollups with one ``INSERT … SELECT … GROUP BY`` per grain. ``build_snapshot(as_of)`` does
      the same from the history tables for one month-end (cron on the first days of each month;
      an "as of" view of a month that has none builds it on the spot when the zone is small, else
      queues a job).

Exactness
    ``fact_keys()`` (the incremental path) and ``ROLLUPS`` (the rebuild's SQL) define the same
    rollups; the tests check that after creates, updates, stage moves, deletes and bulk updates
    the dashboard's figures equal ``metrics.headline`` on a fresh query and a plain loop over the
    rows, and that an incremental state equals a rebuild.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max
from django.utils import timezone

from chainlead.dashboard.models import (
    NO_MONTH,
    EventKind,
    EventSnapshot,
    FactSnapshot,
    Grain,
    ProjectEvent,
    ProjectFact,
    SnapshotState,
    SummaryState,
    UnitFreshness,
)

logger = logging.getLogger(__name__)

K = EventKind
#: Fields of a project (live or historical: the names are the same) that the events depend on.
PROJECT_FIELDS = (
    "id",
    "area_id",
    "responsible_unit_id",
    "chain_id",
    "enterprise_id",
    "stage",
    "negotiating_on",
    "signed_on",
    "registered_on",
    "started_on",
    "completed_on",
    "production_on",
    "fai_in_db",
    "fai_month",
    "enterprise_in_stats",
    "stats_month",
    "total_investment",
    "expected_output",
    "planned_start_on",
    "planned_completion_on",
    "planned_production_on",
)
EVENT_COLUMNS = (
    "project_id",
    "kind",
    "month",
    "month2",
    "area_id",
    "unit_id",
    "chain_id",
    "enterprise_id",
    "band",
    "tags",
    "sub",
    "n",
    "investment",
    "output",
)
#: Size bands of total investment in 万元 (DOMAIN.md §8.9): < 1亿, 1–5亿, 5–10亿, 10–50亿, ≥ 50亿.
BAND_EDGES = (Decimal(10000), Decimal(50000), Decimal(100000), Decimal(500000))
#: Kinds that only live in the events (not rolled up): per-enterprise, per-project and live-only.
EVENT_ONLY_KINDS = (K.ENTERPRISE_IN_STATS, K.DUE, K.PROJECT)
#: How long a gap in history ids may stay open before it is taken for a rolled-back transaction.
GAP_GRACE = datetime.timedelta(minutes=getattr(settings, "CHAINLEAD_DASHBOARD_GAP_MINUTES", 30))


def _tags() -> list[str]:
    from chainlead.enterprises.choices import SourceTag

    return list(SourceTag.values)


TAGS = _tags()
TAG_BIT = {tag: 1 << i for i, tag in enumerate(TAGS)}


def tag_mask(tags) -> int:
    mask = 0
    for tag in tags or ():
        mask |= TAG_BIT.get(tag, 0)
    return mask


def band_of(total_investment) -> int:
    value = total_investment or Decimal(0)
    for i, edge in enumerate(BAND_EDGES):
        if value < edge:
            return i
    return len(BAND_EDGES)


def cents(value) -> int:
    """万元 Decimal → integer 0.01万元."""
    if value is None:
        return 0
    return int((Decimal(value) * 100).to_integral_value())


def cents_to_wan(value) -> Decimal:
    return (Decimal(int(value or 0)) / 100).quantize(Decimal("0.01"))


def month_of(day: datetime.date | None) -> datetime.date | None:
    return day.replace(day=1) if day else None


# --- what a project counts for ------------------------------------------------------------------------
def project_events(row: dict, tags: int, *, live: bool = True) -> list[tuple]:
    """The event rows (``EVENT_COLUMNS`` order) of one project row (a dict of ``PROJECT_FIELDS``)."""
    from chainlead.projects.choices import Stage

    base = (
        row["area_id"] or 0,
        row["responsible_unit_id"] or 0,
        row["chain_id"] or 0,
        row["enterprise_id"] or 0,
        band_of(row["total_investment"]),
        tags,
    )
    inv, out = cents(row["total_investment"]), cents(row["expected_output"])
    pid = row["id"]
    events = []

    def add(kind, month, month2=NO_MONTH, sub=""):
        events.append((pid, kind, month, month2, *base, sub, 1, inv, out))

    if row["negotiating_on"]:
        add(K.ATTRACTED, month_of(row["negotiating_on"]))
    signed, registered = month_of(row["signed_on"]), month_of(row["registered_on"])
    if signed:
        add(K.SIGNED, signed)
    if registered:
        add(K.REGISTERED, registered)
    if signed and registered:
        add(K.SIGNED_AND_REGISTERED, signed, registered)
    for kind, field in (
        (K.STARTED, "started_on"),
        (K.COMPLETED, "completed_on"),
        (K.IN_PRODUCTION, "production_on"),
    ):
        if row[field]:
            add(kind, month_of(row[field]))
    if row["fai_in_db"] and row["fai_month"]:
        add(K.FAI, month_of(row["fai_month"]))
    if row["enterprise_in_stats"] and row["stats_month"] and row["enterprise_id"]:
        add(K.ENTERPRISE_IN_STATS, month_of(row["stats_month"]))
    stage = row["stage"]
    if stage == Stage.STARTED:
        add(K.IN_CONSTRUCTION, NO_MONTH)
    if live:
        due = next_due(row)
        if due:
            add(K.DUE, due[1], sub=due[0])
        add(K.PROJECT, NO_MONTH, sub=stage)
    return events


def next_due(row: dict) -> tuple[str, datetime.date] | None:
    """The planned date the project must meet next (for "most lagging"): 开工 before it has
    started, 竣工 while under construction, 投产 once completed. Projects on hold, terminated or
    already producing have none."""
    from chainlead.projects.choices import Stage

    stage = row["stage"]
    if stage in (Stage.NEGOTIATING, Stage.SIGNED, Stage.REGISTERED) and row["planned_start_on"]:
        return ("start", row["planned_start_on"])
    if stage == Stage.STARTED and row["planned_completion_on"]:
        return ("completion", row["planned_completion_on"])
    if stage == Stage.COMPLETED and row["planned_production_on"]:
        return ("production", row["planned_production_on"])
    return None


def fact_keys(event: tuple) -> list[tuple]:
    """The rollup keys (grain, kind, month, month2, dim) an event adds to. Must match ``ROLLUPS``."""
    kind = event[1]
    if kind == K.DUE:  # counted per month of the planned date, for "how many are late"
        return [(Grain.CHAIN, kind, event[2].replace(day=1), NO_MONTH, event[6])]
    if kind in EVENT_ONLY_KINDS:
        return []
    month, month2 = event[2], event[3]
    keys = [
        (Grain.CHAIN, kind, month, month2, event[6]),
        (Grain.AREA, kind, month, month2, event[4]),
    ]
    if kind == K.ATTRACTED:
        keys.append((Grain.BAND, kind, month, month2, event[8]))
        tags = event[9]
        for i in range(len(TAGS)):
            if tags & (1 << i):
                keys.append((Grain.TAG, kind, month, month2, i))
    return keys


def _rollup_sql() -> list[tuple[int, str, str, tuple]]:
    """(grain, dim expression, where clause, params) for the rebuild's INSERT … SELECT."""
    not_rolled = ", ".join(f"'{k}'" for k in EVENT_ONLY_KINDS)
    rollups = [
        (Grain.CHAIN, "chain_id", f"kind NOT IN ({not_rolled})", ()),
        (Grain.AREA, "area_id", f"kind NOT IN ({not_rolled})", ()),
        (Grain.BAND, "band", f"kind = '{K.ATTRACTED}'", ()),
    ]
    for i in range(len(TAGS)):
        rollups.append((Grain.TAG, str(i), f"kind = '{K.ATTRACTED}' AND (tags & %s) <> 0", (1 << i,)))
    return rollups


ROLLUPS = _rollup_sql()


def rollup_delta(old: Iterable[tuple], new: Iterable[tuple]) -> dict[tuple, list[int]]:
    """Rollup changes (n, investment, output) of replacing events ``old`` by ``new``."""
    delta: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    for sign, events in ((-1, old), (1, new)):
        for event in events:
            n, inv, out = event[11], event[12], event[13]
            for key in fact_keys(event):
                d = delta[key]
                d[0] += sign * n
                d[1] += sign * inv
                d[2] += sign * out
    return {k: v for k, v in delta.items() if v != [0, 0, 0]}


# --- SQL helpers --------------------------------------------------------------------------------------
def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def insert_rows(
    model, columns: tuple[str, ...], rows: list[tuple], extra: dict | None = None, *, table=None
) -> int:
    """Fast insert of plain rows (COPY on PostgreSQL, executemany on SQLite). ``extra`` adds
    constant columns (e.g. ``as_of``); ``table`` writes to another table of the same columns."""
    if not rows:
        return 0
    extra = extra or {}
    cols = (*columns, *extra)
    tail = tuple(extra.values())
    table = _q(table or model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({', '.join(_q(c) for c in cols)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, *tail))
        else:
            sql = f"INSERT INTO {table} ({', '.join(_q(c) for c in cols)}) VALUES ({', '.join(['%s'] * len(cols))})"
            cursor.executemany(sql, [(*row, *tail) for row in rows])
    return len(rows)


def upsert_facts(delta: dict[tuple, list[int]], *, model=ProjectFact, as_of=None) -> None:
    """Add ``delta`` to the rollups: ``INSERT … ON CONFLICT … DO UPDATE SET n = n + excluded.n``."""
    if not delta:
        return
    table = _q(model._meta.db_table)
    keys = ["grain", "kind", "month", "month2", "dim"]
    if as_of is not None:
        keys = ["as_of", *keys]
    cols = [*keys, "n", "investment", "output"]
    items = list(delta.items())
    with connection.cursor() as cursor:
        for start in range(0, len(items), 400):
            chunk = items[start : start + 400]
            values = ", ".join(["(" + ", ".join(["%s"] * len(cols)) + ")"] * len(chunk))
            params: list = []
            for key, (n, inv, out) in chunk:
                params.extend(((as_of,) if as_of is not None else ()) + tuple(key) + (n, inv, out))
            updates = ", ".join(
                f"{_q(c)} = {table}.{_q(c)} + excluded.{_q(c)}" for c in ("n", "investment", "output")
            )
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(_q(c) for c in cols)}) VALUES {values} "
                f"ON CONFLICT ({', '.join(_q(c) for c in keys)}) DO UPDATE SET {updates}",
                params,
            )


def _history_models():
    from chainlead.enterprises.models import Enterprise
    from chainlead.projects.models import KeyProject

    return KeyProject.history.model, Enterprise.history.model


def _tag_masks(enterprise_ids: Iterable[int] | None = None) -> dict[int, int]:
    from chainlead.enterprises.models import Enterprise

    qs = Enterprise._base_manager.all()
    if enterprise_ids is not None:
        qs = qs.filter(pk__in=list(enterprise_ids))
    return {pk: tag_mask(tags) for pk, tags in qs.values_list("pk", "source_tags").iterator(chunk_size=20000)}


# --- the incremental path -----------------------------------------------------------------------------
def is_built() -> bool:
    return SummaryState.objects.filter(key="live", built_at__isnull=False).exists()


def apply(project_ids: Iterable[int]) -> int:
    """Bring the events and rollups of these projects in line with their live rows. Returns the
    number of projects whose events changed."""
    from chainlead.projects.models import KeyProject

    ids = sorted({int(i) for i in project_ids if i is not None})
    changed = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        with transaction.atomic():
            changed += _apply_chunk(KeyProject, chunk)
    return changed


def _apply_chunk(KeyProject, ids: list[int]) -> int:
    old: dict[int, list[tuple]] = defaultdict(list)
    for row in ProjectEvent.objects.filter(project_id__in=ids).values_list(*EVENT_COLUMNS):
        old[row[0]].append(tuple(row))
    rows = list(KeyProject._base_manager.filter(pk__in=ids).values(*PROJECT_FIELDS, "last_updated"))
    masks = _tag_masks({r["enterprise_id"] for r in rows if r["enterprise_id"]})
    new: dict[int, list[tuple]] = {}
    for row in rows:
        new[row["id"]] = project_events(row, masks.get(row["enterprise_id"], 0))
    changed_ids, old_events, new_events = [], [], []
    for pid in ids:
        before = sorted(old.get(pid, []), key=lambda e: e[1])
        after = sorted(new.get(pid, []), key=lambda e: e[1])
        if before == after:
            continue
        changed_ids.append(pid)
        old_events.extend(before)
        new_events.extend(after)
    _touch_units(rows, old_events, new_events)
    if not changed_ids:
        return 0
    ProjectEvent.objects.filter(project_id__in=changed_ids).delete()
    insert_rows(ProjectEvent, EVENT_COLUMNS, new_events)
    upsert_facts(rollup_delta(old_events, new_events))
    return len(changed_ids)


def _touch_units(rows, old_events, new_events) -> None:
    """Per responsible unit: how many projects it has and when one of them last changed."""
    counts: dict[int, int] = defaultdict(int)
    when: dict[int, datetime.datetime] = {}
    now = timezone.now()
    live = {r["id"] for r in rows}
    for row in rows:
        unit = row["responsible_unit_id"] or 0
        stamp = row["last_updated"] or now
        when[unit] = max(when.get(unit, stamp), stamp)
    for sign, events in ((-1, old_events), (1, new_events)):
        for e in events:
            if e[1] == K.PROJECT:
                counts[e[5]] += sign
                if sign < 0 and e[0] not in live:  # deleted: its unit changed now
                    when[e[5]] = now
    units = set(when) | {u for u, c in counts.items() if c}
    if not units:
        return
    table = _q(UnitFreshness._meta.db_table)
    cols = ("unit_id", "last_change", "projects")
    values = ", ".join(["(%s, %s, %s)"] * len(units))
    params: list = []
    for unit in units:
        params.extend((unit, when.get(unit, now), counts.get(unit, 0)))
    lc = _q("last_change")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(_q(c) for c in cols)}) VALUES {values} "
            f"ON CONFLICT ({_q('unit_id')}) DO UPDATE SET "
            f"{_q('projects')} = {table}.{_q('projects')} + excluded.{_q('projects')}, "
            f"{lc} = CASE WHEN excluded.{lc} > {table}.{lc} THEN excluded.{lc} ELSE {table}.{lc} END",
            params,
        )


def apply_enterprise(enterprise_id: int, tags) -> int:
    """An enterprise's source tags changed: re-apply its projects whose events carry old tags."""
    ids = list(
        ProjectEvent.objects.filter(enterprise_id=enterprise_id, kind=K.PROJECT)
        .exclude(tags=tag_mask(tags))
        .values_list("project_id", flat=True)
    )
    return apply(ids) if ids else 0


def _advance(frontier: int, seen: list[int], rows: list[tuple], now) -> tuple[int, list[int]]:
    """Move the frontier over contiguous applied ids (and over gaps older than GAP_GRACE)."""
    dates = {r[0]: r[2] for r in rows}
    applied = sorted({*seen, *dates})
    for hid in applied:
        if hid == frontier + 1 or (dates.get(hid) and now - dates[hid] > GAP_GRACE):
            frontier = hid
        elif hid > frontier:
            break
    return frontier, [h for h in applied if h > frontier]


def sync() -> int:
    """Apply every project named by history rows written since the last sync (bulk writes
    included). Cheap when nothing changed. Builds everything on first use."""
    state = SummaryState.objects.filter(key="live").first()
    if state is None or state.built_at is None:
        rebuild()
        return -1
    HP, HE = _history_models()
    if not _pending(HP, state.project_frontier, state.project_seen) and not _pending(
        HE, state.enterprise_frontier, state.enterprise_seen
    ):
        return 0
    with transaction.atomic():
        state = SummaryState.objects.select_for_update().get(pk=state.pk)
        p_rows = _history_rows(HP, state.project_frontier)
        e_rows = _history_rows(HE, state.enterprise_frontier)
        p_seen, e_seen = set(state.project_seen), set(state.enterprise_seen)
        ids = {r[1] for r in p_rows if r[0] not in p_seen}
        enterprise_ids = {r[1] for r in e_rows if r[0] not in e_seen}
        if enterprise_ids:
            from chainlead.projects.models import KeyProject

            ids |= set(
                KeyProject._base_manager.filter(enterprise_id__in=enterprise_ids).values_list("pk", flat=True)
            )
            ids |= set(
                ProjectEvent.objects.filter(enterprise_id__in=enterprise_ids, kind=K.PROJECT).values_list(
                    "project_id", flat=True
                )
            )
        changed = apply(ids)
        now = timezone.now()
        state.project_frontier, state.project_seen = _advance(
            state.project_frontier, state.project_seen, p_rows, now
        )
        state.enterprise_frontier, state.enterprise_seen = _advance(
            state.enterprise_frontier, state.enterprise_seen, e_rows, now
        )
        state.synced_at = now
        state.save()
    return changed


def _pending(H, frontier: int, seen: list[int]) -> bool:
    if not seen:
        return H.objects.filter(history_id__gt=frontier).exists()
    ids = set(H.objects.filter(history_id__gt=frontier).values_list("history_id", flat=True))
    return bool(ids - set(seen))


def _history_rows(H, frontier: int) -> list[tuple]:
    return list(
        H.objects.filter(history_id__gt=frontier)
        .order_by("history_id")
        .values_list("history_id", "id", "history_date")
    )


# --- rebuilds -----------------------------------------------------------------------------------------
def _run_rollups(event_model, fact_model, as_of=None) -> None:
    events, facts = _q(event_model._meta.db_table), _q(fact_model._meta.db_table)
    cols = ["grain", "kind", "month", "month2", "dim", "n", "investment", "output"]
    if as_of is not None:
        cols.append("as_of")
    with connection.cursor() as cursor:
        select_as_of = ", as_of" if as_of is not None else ""
        where_as_of = " AND as_of = %s" if as_of is not None else ""
        tail = (as_of,) if as_of is not None else ()
        for grain, dim, where, params in ROLLUPS:
            cursor.execute(
                f"INSERT INTO {facts} ({', '.join(_q(c) for c in cols)}) "
                f"SELECT %s, kind, month, month2, {dim}, SUM(n), SUM(investment), SUM(output){select_as_of} "
                f"FROM {events} WHERE {where}{where_as_of} "
                f"GROUP BY kind, month, month2{'' if dim.isdigit() else ', ' + dim}{select_as_of}",
                (int(grain), *params, *tail),
            )
        # planned dates not met, per month of the date (live only: snapshots keep no plans)
        if connection.vendor == "postgresql":
            first_of = "CAST(date_trunc('month', month) AS date)"
        else:
            first_of = "date(month, 'start of month')"
        cursor.execute(
            f"INSERT INTO {facts} ({', '.join(_q(c) for c in cols)}) "
            f"SELECT %s, kind, {first_of}, month2, chain_id, SUM(n), SUM(investment), SUM(output){select_as_of} "
            f"FROM {events} WHERE kind = %s{where_as_of} "
            f"GROUP BY kind, {first_of}, month2, chain_id{select_as_of}",
            (int(Grain.CHAIN), K.DUE.value, *tail),
        )


LOAD_TABLE = "dash_load"


def _open_load(model, extra: tuple[str, ...] = ()) -> None:
    """An empty temporary table with the event columns, to load into before sorting."""
    cols = ", ".join(_q(c) for c in (*EVENT_COLUMNS, *extra))
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {LOAD_TABLE}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {LOAD_TABLE} AS SELECT {cols} FROM {_q(model._meta.db_table)} WHERE 1 = 0"
        )


def _close_load(model, extra: tuple[str, ...] = ()) -> None:
    """Move the loaded events into ``model`` in (kind, area, month) order, so that an area's
    events of a kind and period sit on neighbouring pages: an area's figures then read a few
    hundred pages instead of one page per row scattered over the table in project order."""
    cols = ", ".join(_q(c) for c in (*EVENT_COLUMNS, *extra))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_q(model._meta.db_table)} ({cols}) SELECT {cols} FROM {LOAD_TABLE} "
            "ORDER BY kind, area_id, month, project_id"
        )
        cursor.execute(f"DROP TABLE {LOAD_TABLE}")


def _analyze(*models) -> None:
    """Fresh planner statistics after a bulk load: without them SQLite picks the (kind, month)
    index for an area's figures and reads the whole period instead of the area's rows."""
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {_q(model._meta.db_table)}")


def _delete_all(model, **filters) -> None:
    """One DELETE statement (the tables have no relations and no signals)."""
    with connection.cursor() as cursor:
        if filters:
            where = " AND ".join(f"{_q(k)} = %s" for k in filters)
            cursor.execute(f"DELETE FROM {_q(model._meta.db_table)} WHERE {where}", list(filters.values()))
        else:
            cursor.execute(f"DELETE FROM {_q(model._meta.db_table)}")


def rebuild(progress: Callable[[int, int, str], None] | None = None) -> dict:
    """Recompute the live events, rollups and unit freshness from the projects."""
    from chainlead.projects.models import KeyProject

    started = time.monotonic()
    HP, HE = _history_models()
    with transaction.atomic():
        state, _created = SummaryState.objects.select_for_update().get_or_create(key="live")
        p_frontier = HP.objects.aggregate(m=Max("history_id"))["m"] or 0
        e_frontier = HE.objects.aggregate(m=Max("history_id"))["m"] or 0
        for model in (ProjectEvent, ProjectFact, UnitFreshness):
            _delete_all(model)
        masks = _tag_masks()
        total = KeyProject._base_manager.count()
        buffer: list[tuple] = []
        done = events = 0
        _open_load(ProjectEvent)
        qs = KeyProject._base_manager.order_by().values(*PROJECT_FIELDS)
        for row in qs.iterator(chunk_size=20000):
            buffer.extend(project_events(row, masks.get(row["enterprise_id"], 0)))
            done += 1
            if len(buffer) >= 100000:
                events += insert_rows(ProjectEvent, EVENT_COLUMNS, buffer, table=LOAD_TABLE)
                buffer = []
                if progress:
                    progress(done, total, "")
        events += insert_rows(ProjectEvent, EVENT_COLUMNS, buffer, table=LOAD_TABLE)
        _close_load(ProjectEvent)
        _run_rollups(ProjectEvent, ProjectFact)
        _rebuild_freshness()
        _analyze(ProjectEvent, ProjectFact)
        state.project_frontier, state.project_seen = p_frontier, []
        state.enterprise_frontier, state.enterprise_seen = e_frontier, []
        state.built_at = state.synced_at = timezone.now()
        state.build_seconds = round(time.monotonic() - started, 3)
        state.save()
    if progress:
        progress(total, total, "")
    return {"projects": total, "events": events, "seconds": state.build_seconds}


def _rebuild_freshness() -> None:
    from chainlead.projects.models import KeyProject

    rows = (
        KeyProject._base_manager.order_by()
        .values("responsible_unit_id")
        .annotate(last=Max("last_updated"), n=Count("pk"))
        .values_list("responsible_unit_id", "last", "n")
    )
    UnitFreshness.objects.bulk_create(
        [UnitFreshness(unit_id=u or 0, last_change=last, projects=n) for u, last, n in rows]
    )


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year + (month == 12), month % 12 + 1, 1) - datetime.timedelta(days=1)


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last moment of ``day`` in the platform's time zone (the "as of" moment of a month-end)."""
    moment = datetime.datetime.combine(day, datetime.time(23, 59, 59, 999999))
    return timezone.make_aware(moment, timezone.get_default_timezone())


def _as_of_rows(H, moment, fields: tuple[str, ...]):
    """The last history row of every object up to ``moment`` (deleted ones left out), streamed
    in id order: one sorted pass instead of a correlated sub-query per row."""
    qs = (
        H.objects.filter(history_date__lte=moment)
        .order_by("id", "history_date", "history_id")
        .values_list("history_type", *fields)
    )
    current = None
    for row in qs.iterator(chunk_size=20000):
        if current is not None and current[1] != row[1]:
            if current[0] != "-":
                yield current[1:]
        current = row
    if current is not None and current[0] != "-":
        yield current[1:]


def snapshot_window(as_of: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The months a snapshot keeps: January of the previous year up to ``as_of``."""
    return datetime.date(as_of.year - 1, 1, 1), as_of


def build_snapshot(as_of: datetime.date, progress: Callable | None = None) -> dict:
    """Rebuild the events and rollups as they stood at the end of ``as_of`` from the history."""
    started = time.monotonic()
    HP, HE = _history_models()
    moment = end_of_day(as_of)
    first, last = snapshot_window(as_of)
    masks = {pk: tag_mask(tags) for pk, tags in _as_of_rows(HE, moment, ("id", "source_tags"))}
    with transaction.atomic():
        _delete_all(EventSnapshot, as_of=as_of)
        _delete_all(FactSnapshot, as_of=as_of)
        buffer: list[tuple] = []
        projects = events = 0
        _open_load(EventSnapshot, ("as_of",))
        for values in _as_of_rows(HP, moment, PROJECT_FIELDS):
            row = dict(zip(PROJECT_FIELDS, values, strict=True))
            projects += 1
            for e in project_events(row, masks.get(row["enterprise_id"], 0), live=False):
                if e[1] == K.IN_CONSTRUCTION or (
                    first <= e[2] <= last and (e[3] == NO_MONTH or first <= e[3] <= last)
                ):
                    buffer.append(e)
            if len(buffer) >= 100000:
                events += insert_rows(
                    EventSnapshot, EVENT_COLUMNS, buffer, {"as_of": as_of}, table=LOAD_TABLE
                )
                buffer = []
                if progress:
                    progress(projects, 0, "")
        events += insert_rows(EventSnapshot, EVENT_COLUMNS, buffer, {"as_of": as_of}, table=LOAD_TABLE)
        _close_load(EventSnapshot, ("as_of",))
        _run_rollups(EventSnapshot, FactSnapshot, as_of=as_of)
        _analyze(EventSnapshot, FactSnapshot)
        seconds = round(time.monotonic() - started, 3)
        SnapshotState.objects.update_or_create(
            as_of=as_of,
            defaults={
                "built_at": timezone.now(),
                "build_seconds": seconds,
                "projects": projects,
                "events": events,
            },
        )
    return {"as_of": as_of.isoformat(), "projects": projects, "events": events, "seconds": seconds}


def has_snapshot(as_of: datetime.date) -> bool:
    return SnapshotState.objects.filter(as_of=as_of).exists()


def prune_zero_rows() -> int:
    """Rollup rows whose counts went back to zero (after moves and deletes) are dropped."""
    deleted, _ = ProjectFact.objects.filter(n=0, investment=0, output=0).delete()
    return deleted
