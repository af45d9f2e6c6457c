"""Trigram indexes for the project list's free-text search (see chainlead/projects/search.py)."""

from django.db import migrations


def create(apps, schema_editor):
    from chainlead.projects import search

    conn = schema_editor.connection
    if conn.vendor == "sqlite":
        for sql in search.sqlite_statements():
            schema_editor.execute(sql)
    elif conn.vendor == "postgresql":
        # pg_trgm needs CREATE privilege on the database; without it the search stays a plain scan.
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            present = cursor.fetchone() is not None
        if not present:
            try:
                with conn.cursor() as cursor:
                    cursor.execute("SAVEPOINT chainlead_trgm")
                    cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                    cursor.execute("RELEASE SAVEPOINT chainlead_trgm")
                present = True
            except Exception:  # noqa: BLE001 — a missing privilege must not stop the migration
                with conn.cursor() as cursor:
                    cursor.execute("ROLLBACK TO SAVEPOINT chainlead_trgm")
        if present:
            for sql in search.pg_statements():
                schema_editor.execute(sql)


def drop(apps, schema_editor):
    from chainlead.projects import search

    conn = schema_editor.connection
    statements = search.sqlite_drop_statements() if conn.vendor == "sqlite" else search.pg_drop_statements()
    if conn.vendor in ("sqlite", "postgresql"):
        for sql in statements:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0002_list_indexes"),
        ("enterprises", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
