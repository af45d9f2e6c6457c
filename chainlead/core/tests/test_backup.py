"""Backup and restore round-trip the data, the files and the change log with nothing lost:
counts and checksums of every table and every file are compared."""

import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings

ROOT = settings.BASE_DIR


def run(env, *args, check=True):
    result = subprocess.run([sys.executable, "-m", "chainlead.cli", "chainlead", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600)
    if check and result.returncode:
        raise AssertionError(f"{args}: {result.stdout}\n{result.stderr}")
    return result


SNAPSHOT = (
    "import json; from chainlead.core.backup import table_fingerprints, media_fingerprints; "
    "from django.conf import settings; from pathlib import Path; "
    "print(json.dumps({'t': table_fingerprints(), 'm': media_fingerprints(Path(settings.MEDIA_ROOT))}))"
)
CHANGE = (
    "from chainlead.core.context import change_context; from chainlead.organization.models import Unit; "
    "from django.core.files.storage import default_storage; from django.core.files.base import ContentFile\n"
    "with change_context(source='command:test'):\n"
    "    u = Unit.objects.first(); u.phone = '0532-99999999'; u.save()\n"
    "default_storage.save('evidence/x/note.txt', ContentFile(b'evidence'))"
)


@pytest.fixture
def env(tmp_path):
    """A real database of its own (a SQLite file, or a fresh PostgreSQL database under CI's PG run)."""
    env = {k: v for k, v in os.environ.items() if k not in ("CHAINLEAD_TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env["CHAINLEAD_DATA_DIR"] = str(tmp_path / "data")
    url = os.environ.get("DATABASE_URL", "")
    dbname = None
    if url.startswith("postgres"):
        import psycopg

        dbname = f"chainlead_backup_{uuid.uuid4().hex[:8]}"
        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{dbname}"')
        env["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + dbname
    else:
        env.pop("DATABASE_URL", None)
    yield env
    if dbname:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def snapshot(env):
    return run(env, "shell", "-c", SNAPSHOT).stdout.strip().splitlines()[-1]


def test_backup_restore_round_trip(env, tmp_path):
    run(env, "migrate", "-v0")
    run(env, "demo", "--if-empty")
    run(env, "shell", "-c", CHANGE)
    before = snapshot(env)
    archive = tmp_path / "backup.tar.gz"
    out = run(env, "backup", "--output", str(archive)).stdout
    assert "备份完成" in out

    # Lose things: change a row, delete the change log, remove the files.
    run(env, "shell", "-c",
        "from chainlead.core.models import ObjectChange; from chainlead.organization.models import Unit; "
        "import shutil; from django.conf import settings; "
        "ObjectChange.objects.filter(pk__gt=0)._raw_delete('default'); "
        "Unit.objects.filter(pk=Unit.objects.first().pk).update(name='被改坏的名字'); "
        "shutil.rmtree(settings.MEDIA_ROOT)")
    assert snapshot(env) != before

    out = run(env, "restore", str(archive), "--yes").stdout
    assert "恢复完成并已校验" in out
    assert snapshot(env) == before


def test_restore_refuses_a_damaged_or_foreign_file(env, tmp_path):
    run(env, "migrate", "-v0")
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not a backup")
    result = run(env, "restore", str(bogus), "--yes", check=False)
    assert result.returncode != 0
    assert "不是有效的 chainlead 备份文件" in result.stderr
    missing = run(env, "restore", str(tmp_path / "none.tar.gz"), "--yes", check=False)
    assert "找不到备份文件" in missing.stderr
