"""Backup and restore of everything chainlead keeps: the database (including the change log and the
audit events) and the uploaded files, with a manifest of row counts and checksums to verify a
restore against.

- SQLite: a consistent copy through SQLite's online backup API (safe while the site runs, WAL
  included).
- PostgreSQL: ``pg_dump --format=custom`` / ``pg_restore --clean`` (the client tools of the
  server's major version must be installed).

A backup restores into the same kind of database it came from.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection

import chainlead

MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def table_fingerprints() -> dict[str, dict]:
    """Row count and a checksum of the rows (ordered by primary key) of every model table."""
    out = {}
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table in out or table not in existing or model._meta.proxy:
                continue
            columns = [f.column for f in model._meta.concrete_fields]
            pk = model._meta.pk.column
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)} ORDER BY {connection.ops.quote_name(pk)}")
            h = hashlib.sha256()
            count = 0
            for row in cursor.fetchall():
                count += 1
                h.update(repr(tuple(_normal(v) for v in row)).encode())
            out[table] = {"rows": count, "sha256": h.hexdigest()}
    return out


def _normal(value):
    """The same value reads back the same way from SQLite and from PostgreSQL dumps."""
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.astimezone(datetime.UTC).isoformat()
    return value


def media_fingerprints(root: Path) -> dict[str, str]:
    if not root.exists():
        return {}
    return {str(p.relative_to(root)): _sha256(p) for p in sorted(root.rglob("*")) if p.is_file()}


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"不支持的数据库类型：{vendor}")
    return vendor


def _pg_env() -> tuple[list[str], dict]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = ["--host", db.get("HOST") or "127.0.0.1", "--port", str(db.get("PORT") or 5432), "--dbname", db["NAME"]]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    return args, env


def create_backup(output: Path) -> dict:
    """Write a .tar.gz with the database dump, the uploaded files and the manifest."""
    engine = _engine()
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if engine == "sqlite":
            dump = tmp / "database.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(dump)
            with target:
                connection.connection.backup(target)
            target.close()
        else:
            dump = tmp / "database.pgdump"
            args, env = _pg_env()
            result = subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), *args], env=env,
                                    capture_output=True, text=True)
            if result.returncode:
                raise BackupError("pg_dump 失败：" + result.stderr.strip().splitlines()[-1])
        manifest = {
            "chainlead": chainlead.__version__,
            "created": datetime.datetime.now(datetime.UTC).isoformat(),
            "engine": engine,
            "database_file": dump.name,
            "database_sha256": _sha256(dump),
            "tables": table_fingerprints(),
            "media": media_fingerprints(media_root),
        }
        output.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(output, "w:gz") as tar:
            tar.add(dump, arcname=dump.name)
            if media_root.exists():
                tar.add(media_root, arcname="media")
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return manifest


def read_manifest(archive: Path) -> dict:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            return json.loads(member.read())
    except (tarfile.TarError, KeyError, AttributeError, OSError, ValueError):
        raise BackupError(f"“{archive.name}”不是有效的 chainlead 备份文件（无法读取或缺少 manifest.json）。")


def restore_backup(archive: Path) -> dict:
    """Replace the database and the uploaded files with the backup's, then verify them."""
    engine = _engine()
    manifest = read_manifest(archive)
    if manifest["engine"] != engine:
        raise BackupError(f"这份备份来自 {manifest['engine']} 数据库，不能恢复到 {engine}。")
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(tmp, filter="data")
        dump = tmp / manifest["database_file"]
        if _sha256(dump) != manifest["database_sha256"]:
            raise BackupError("备份中的数据库文件校验不符，文件可能已损坏。")
        if engine == "sqlite":
            source = sqlite3.connect(dump)
            connection.ensure_connection()
            with connection.connection:
                source.backup(connection.connection)
            source.close()
        else:
            connection.close()
            args, env = _pg_env()
            result = subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *args,
                                     str(dump)], env=env, capture_output=True, text=True)
            if result.returncode:
                raise BackupError("pg_restore 失败：" + result.stderr.strip().splitlines()[-1])
        if media_root.exists():
            shutil.rmtree(media_root)
        if (tmp / "media").exists():
            shutil.copytree(tmp / "media", media_root)
    problems = verify(manifest)
    if problems:
        raise BackupError("恢复后校验不符：" + "；".join(problems[:10]))
    return manifest


def verify(manifest: dict) -> list[str]:
    """Differences between the live data and a manifest (empty: identical)."""
    problems = []
    tables = table_fingerprints()
    for table, expected in manifest["tables"].items():
        got = tables.get(table)
        if got != expected:
            problems.append(f"{table}: {got} ≠ {expected}")
    media = media_fingerprints(Path(settings.MEDIA_ROOT))
    if media != manifest["media"]:
        missing = set(manifest["media"]) ^ set(media)
        problems.append(f"文件不符：{sorted(missing)[:5] or '内容变化'}")
    return problems
