"""Fast logged inserts for large imports.

``RestrictedQuerySet.bulk_create`` logs a bulk write correctly, but it builds three model
instances per row and lets Django compile every value of every row into SQL: for 100,000 projects
that is about a minute. An import already holds each new row as a dict of column values, so this
module writes the same three things straight from those dicts:

1. the rows themselves, with ids reserved up front so the log rows can name them (``executemany``
   on SQLite, ``COPY`` on PostgreSQL);
2. one simple-history row per object (``history_type="+"``), as ``log_bulk`` writes, copied from
   the rows just written with one ``INSERT … SELECT`` per chunk;
3. one ``ObjectChange`` per object (action "create", the context's user, request id, source and
   batch id, the post-change snapshot as JSON), as ``log_bulk`` writes.

``tests/test_bulk.py`` checks that the rows written here equal the ones the logged
``bulk_create`` writes for the same objects. Only backends whose id allocation is known are
handled (SQLite, PostgreSQL); anything else falls back to the logged ``bulk_create``.
"""

from __future__ import annotations

import datetime
import decimal
import json
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from chainlead.core.changelog import _json_value, _snapshot_fields, _user_name
from chainlead.core.context import current
from chainlead.core.models import ObjectChange

CHUNK = 5000


def supported() -> bool:
    return connection.vendor in ("sqlite", "postgresql")


def _copy(table: str, columns: list[str], rows: list[list]) -> None:
    """PostgreSQL: COPY the rows in (one statement per table and chunk, no round trip per row)."""
    qn = connection.ops.quote_name
    sql = "COPY {} ({}) FROM STDIN".format(qn(table), ", ".join(qn(c) for c in columns))
    with connection.cursor() as cursor:
        with cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)


def reserve_ids(model, count: int) -> list[int]:
    """``count`` new primary keys for ``model``, never used before (call inside the transaction)."""
    if count == 0:
        return []
    table = model._meta.db_table
    pk = model._meta.pk.column
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # BEGIN IMMEDIATE holds the write lock, so nobody else inserts until we commit.
            cursor.execute(f"SELECT MAX({qn(pk)}) FROM {qn(table)}")
            top = cursor.fetchone()[0] or 0
            cursor.execute("SELECT name FROM sqlite_master WHERE type='table' AND name='sqlite_sequence'")
            if cursor.fetchone():
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                found = cursor.fetchone()
                if found and found[0]:
                    top = max(top, found[0])
            return list(range(top + 1, top + 1 + count))
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, count]
        )
        return [row[0] for row in cursor.fetchall()]


def _jsonable(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    return _json_value(value)


_encode_string = json.encoder.encode_basestring


def _encode(value) -> str:
    """One value as JSON text, as ``_jsonable`` + ``json.dumps`` would give it."""
    kind = type(value)
    if value is None:
        return "null"
    if kind is str:
        return _encode_string(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if kind is decimal.Decimal:
        return '"' + str(value) + '"'
    if kind is datetime.date:
        return '"' + value.isoformat() + '"'
    return json.dumps(_jsonable(value), ensure_ascii=False)


def _prep(field, value):
    """A column value as the database driver wants it (only types the drivers don't adapt)."""
    if value is None:
        return None
    internal = field.get_internal_type()
    if internal in ("DateTimeField", "JSONField", "UUIDField"):
        return field.get_db_prep_save(value, connection)
    return value


def insert_logged(model, rows: list[dict], *, base: dict, describe=None, progress=None) -> list[int]:
    """Insert one object per dict of ``rows`` and log them like ``bulk_create`` does.

    A row holds the values that differ between objects; ``base`` every other column (attname →
    value, every concrete field except the pk). ``describe(values)`` gives the object's ``str()``
    for the log (default: its name). Returns the new primary keys, in order."""
    if not rows:
        return []
    describe = describe or (lambda values: values["name"])
    ctx = current()
    now = timezone.now()
    qn = connection.ops.quote_name
    pk_field = model._meta.pk
    pk_name = pk_field.attname
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    attnames = [f.attname for f in fields]
    special = {
        f.attname: f for f in fields if f.get_internal_type() in ("DateTimeField", "JSONField", "UUIDField")
    }

    def prep(attname, value):
        return _prep(special[attname], value) if attname in special and value is not None else value

    ids = reserve_ids(model, len(rows))
    # The model's rows: [pk, *attnames].
    model_pos = {a: i for i, a in enumerate(attnames, start=1)}
    base_model = [None] + [prep(a, base[a]) for a in attnames]
    insert_sql = "INSERT INTO {} ({}) VALUES ({})".format(
        qn(model._meta.db_table),
        ", ".join(qn(c) for c in [pk_field.column] + [f.column for f in fields]),
        ", ".join(["%s"] * (len(fields) + 1)),
    )
    # The history rows: the same columns plus simple-history's own.
    history = model.history.model
    tracked = [f.attname for f in history.tracked_fields]
    user_id = ctx.user_id
    history_tail = [connection.ops.adapt_datetimefield_value(now), "", "+", user_id]
    history_columns = [history._meta.get_field(a).column for a in tracked] + [
        "history_date",
        "history_change_reason",
        "history_type",
        "history_user_id",
    ]
    source_columns = [model._meta.get_field(a).column for a in tracked]
    history_copy_sql = "INSERT INTO {} ({}) SELECT {}, %s, %s, %s, %s FROM {} WHERE {}".format(
        qn(history._meta.db_table),
        ", ".join(qn(c) for c in history_columns),
        ", ".join(qn(c) for c in source_columns),
        qn(model._meta.db_table),
        qn(pk_field.column),
    )
    # The change log: one ObjectChange per object.
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    oc_fields = {f.attname: f for f in ObjectChange._meta.concrete_fields if not f.primary_key}
    oc_attnames = list(oc_fields)
    base_change = {
        "time": connection.ops.adapt_datetimefield_value(now),
        "user_id": user_id,
        "user_name": _user_name(ctx.user),
        "request_id": oc_fields["request_id"].get_db_prep_save(ctx.request_id or uuid.uuid4(), connection),
        "source": ctx.source[:60],
        "batch_id": ctx.batch_id or "",
        "action": "create",
        "content_type_id": content_type.pk,
        "related_content_type_id": None,
        "related_object_id": None,
        "prechange_data": None,
        "object_id": None,
        "object_repr": "",
        "postchange_data": None,
    }
    base_change_list = [base_change[a] for a in oc_attnames]
    oc_object, oc_repr, oc_post = (
        oc_attnames.index(a) for a in ("object_id", "object_repr", "postchange_data")
    )
    oc_sql = "INSERT INTO {} ({}) VALUES ({})".format(
        qn(ObjectChange._meta.db_table),
        ", ".join(qn(oc_fields[a].column) for a in oc_attnames),
        ", ".join(["%s"] * len(oc_attnames)),
    )
    snapshot_names = [f.attname for f in _snapshot_fields(model)]
    base_snapshot = {a: (None if a == pk_name else _jsonable(base[a])) for a in snapshot_names}
    # The post-change JSON is assembled as text from pre-encoded pieces: the columns no row sets
    # are encoded once. SQLite stores JSON as text (only the escaping of non-ASCII characters
    # differs from json.dumps' default; the values are the same); PostgreSQL's COPY parses it.
    postgres = connection.vendor == "postgresql"
    varying = {pk_name}
    for row in rows:
        varying.update(row)
    template = [
        None if a in varying else f"{json.dumps(a)}: {json.dumps(base_snapshot[a], ensure_ascii=False)}"
        for a in snapshot_names
    ]
    slots = [
        (i, a, json.dumps(a) + ": ", _encode(base_snapshot[a]))
        for i, a in enumerate(snapshot_names)
        if a in varying
    ]
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        model_params = []
        change_params = []
        for pk, row in zip(ids[start : start + CHUNK], chunk, strict=True):
            values = base_model.copy()
            values[0] = pk
            for attname, value in row.items():
                prepared = prep(attname, value) if attname in special else value
                values[model_pos[attname]] = prepared
            items = template.copy()
            for i, attname, prefix, default in slots:
                if attname == pk_name:
                    items[i] = prefix + str(pk)
                elif attname in row:
                    items[i] = prefix + _encode(row[attname])
                else:
                    items[i] = prefix + default
            post = "{" + ", ".join(items) + "}"
            model_params.append(values)
            change = base_change_list.copy()
            change[oc_object] = pk
            change[oc_repr] = str(describe(row) if "name" in row else describe(base | row))[:200]
            change[oc_post] = post
            change_params.append(change)
        chunk_ids = ids[start : start + CHUNK]
        if postgres:
            _copy(model._meta.db_table, [pk_field.column] + [f.column for f in fields], model_params)
        else:
            with connection.cursor() as cursor:
                cursor.executemany(insert_sql, model_params)
        with connection.cursor() as cursor:
            # The history rows are the rows just written, copied inside the database.
            if postgres:
                cursor.execute(history_copy_sql + " = ANY(%s)", [*history_tail, chunk_ids])
            else:  # reserved ids are consecutive on SQLite
                cursor.execute(
                    history_copy_sql + " BETWEEN %s AND %s", [*history_tail, chunk_ids[0], chunk_ids[-1]]
                )
        if postgres:
            _copy(ObjectChange._meta.db_table, [oc_fields[a].column for a in oc_attnames], change_params)
        else:
            with connection.cursor() as cursor:
                cursor.executemany(oc_sql, change_params)
        if progress is not None:
            progress(start + len(chunk), len(rows))
    return ids
