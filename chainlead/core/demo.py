"""The demo zone: a reference zone modelled on the seed's new area (青岛西海岸新区), loaded by
``chainlead demo``. Each app contributes a ``demo.py`` with ``load(ctx)``; they run in the order
of ``DEMO_APPS`` inside one transaction and one change context, so the whole demo is one
request id in the change log. Everything is deterministic: the same data on every machine."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from importlib import import_module

DEMO_PASSWORD = "Chainlead@2026"

#: Apps with a demo module, in dependency order. Later issues append to this list.
DEMO_APPS = [
    "chainlead.organization",
    "chainlead.enterprises",
    "chainlead.chains",
    "chainlead.projects",
    "chainlead.targets",
    "chainlead.warroom",
    "chainlead.dispatch",
    "chainlead.supervision",
    "chainlead.assessment",
    "chainlead.ledger",
    "chainlead.dashboard",
]


@dataclass
class DemoContext:
    """What one app's demo hands to the next: units and users by key, a seeded RNG."""

    units: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    logins: list = field(default_factory=list)  # (username, password, name, role, unit)
    rng: random.Random = field(default_factory=lambda: random.Random(20211130))
    extra: dict = field(default_factory=dict)
    verbosity: int = 1

    def log(self, message: str) -> None:
        if self.verbosity:
            print(message)


def load_demo(verbosity: int = 1) -> DemoContext:
    from django.conf import settings

    if getattr(settings, "TESTING", False) and verbosity == 0:
        return _replay_or_record()
    return _load(verbosity)


def _load(verbosity: int) -> DemoContext:
    ctx = DemoContext(verbosity=verbosity)
    for app in DEMO_APPS:
        module = import_module(f"{app}.demo")
        module.load(ctx)
    return ctx


# --- tests: load the demo once per process, then replay its rows --------------------------------
# About twenty test classes start from the demo zone, and loading it (hashing passwords, freezing
# lights, building bulletins…) takes a minute. Under tests the first load in a process is real and
# recorded as the rows it inserted, changed and deleted in every model table, plus the files it
# wrote; later loads replay them with plain SQL in the caller's transaction. The first load of
# every process is the real thing, so the demo itself stays tested.
_recording: dict | None = None


def _pk(connection, table: str) -> str:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    for info in constraints.values():
        if info["primary_key"]:
            return info["columns"][0]
    raise LookupError(table)


def _rows(connection, tables: list[str]) -> dict[str, tuple[list[str], dict]]:
    qn = connection.ops.quote_name
    out = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {qn(table)}")
            columns = [c[0] for c in cursor.description]
            key = columns.index(_pk(connection, table))
            out[table] = (columns, {row[key]: row for row in cursor.fetchall()})
    return out


def _json_adapter(connection):
    """PostgreSQL hands JSON columns back as dicts and lists, which psycopg will not send back as
    parameters unless wrapped."""
    if connection.vendor != "postgresql":
        import datetime

        # Django's SQLite backend reads TIME columns as datetime.time but registers no adapter back.
        def adapt_sqlite(row):
            return tuple(v.isoformat() if isinstance(v, datetime.time) else v for v in row)

        return adapt_sqlite
    from psycopg.types.json import Jsonb

    def adapt(row):
        return tuple(Jsonb(v) if isinstance(v, (dict, list)) else v for v in row)

    return adapt


def _keys(connection, tables: list[str]) -> dict[str, frozenset]:
    qn = connection.ops.quote_name
    out = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT {qn(_pk(connection, table))} FROM {qn(table)}")
            out[table] = frozenset(r[0] for r in cursor.fetchall())
    return out


def _replay_or_record() -> DemoContext:
    import copy
    import shutil
    import tempfile
    from pathlib import Path

    from django.conf import settings
    from django.db import connection, transaction

    global _recording
    tables = sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))
    media = Path(settings.MEDIA_ROOT)
    if _recording is None or _recording["vendor"] != connection.vendor or _recording["start"] != _keys(
        connection, tables
    ):
        # First load in this process, or the database does not start where the recording did
        # (a flushed database, other rows present): load for real and record again.
        before = _rows(connection, tables)
        ctx = _load(0)
        after = _rows(connection, tables)
        changes = {}
        for table in tables:
            columns, old = before[table]
            _, new = after[table]
            changes[table] = (
                columns,
                [k for k in old if k not in new],
                [row for k, row in new.items() if k in old and old[k] != row],
                [row for k, row in new.items() if k not in old],
            )
        files = Path(tempfile.mkdtemp(prefix="chainlead-demo-files-"))
        if media.exists():
            shutil.copytree(media, files, dirs_exist_ok=True)
        _recording = {
            "vendor": connection.vendor,
            "start": {table: frozenset(before[table][1]) for table in tables},
            "changes": changes,
            "ctx": copy.deepcopy(ctx),
            "files": files,
        }
        return ctx
    qn = connection.ops.quote_name
    adapt = _json_adapter(connection)
    # One transaction, so foreign keys (deferred) are checked once all rows are in.
    with transaction.atomic(), connection.cursor() as cursor:
        for table, (columns, deleted, updated, inserted) in _recording["changes"].items():
            updated = [adapt(row) for row in updated]
            inserted = [adapt(row) for row in inserted]
            pk = _pk(connection, table)
            key = columns.index(pk)
            for k in deleted:
                cursor.execute(f"DELETE FROM {qn(table)} WHERE {qn(pk)} = %s", [k])
            sets = ", ".join(f"{qn(c)} = %s" for c in columns)
            for row in updated:
                cursor.execute(f"UPDATE {qn(table)} SET {sets} WHERE {qn(pk)} = %s", [*row, row[key]])
            if inserted:
                marks = ", ".join(["%s"] * len(columns))
                names = ", ".join(qn(c) for c in columns)
                cursor.executemany(f"INSERT INTO {qn(table)} ({names}) VALUES ({marks})", inserted)
        if connection.vendor == "postgresql":
            # Sequences are not rolled back with the first load's transaction, but set them anyway.
            for table, (columns, _, _, inserted) in _recording["changes"].items():
                pk = _pk(connection, table)
                if inserted and isinstance(inserted[0][columns.index(pk)], int):
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence(%s, %s), GREATEST((SELECT MAX({qn(pk)}) FROM {qn(table)}), 1))",
                        [table, pk],
                    )
    shutil.copytree(_recording["files"], media, dirs_exist_ok=True)
    return copy.deepcopy(_recording["ctx"])
