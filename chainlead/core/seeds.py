"""Rows that data migrations ship (default warning rules, the default assessment scheme, column
synonyms) come back after a ``flush``.

``flush`` (run by ``TransactionTestCase`` after every transactional test, by browser tests, and by
hand) empties every table but does not re-run migrations, so the shipped rows were gone for whatever
ran next. It emits ``post_migrate``; this receiver runs each data migration's function again when its
table is empty. After a normal ``migrate`` the tables are filled and nothing happens.
"""

from __future__ import annotations

from importlib import import_module

#: (app label, model whose emptiness means "not seeded", migration module, function name)
SEEDS = [
    ("ledger", "FieldSynonym", "chainlead.ledger.migrations.0002_seed_synonyms", "seed"),
    ("supervision", "WarningRule", "chainlead.supervision.migrations.0002_default_rules", "load"),
    ("assessment", "Scheme", "chainlead.assessment.migrations.0002_default_scheme", "install"),
]


def reseed(sender=None, using="default", **kwargs) -> None:
    from django.apps import apps
    from django.db import connections

    tables = set(connections[using].introspection.table_names())
    for label, model, module, function in SEEDS:
        if not apps.is_installed(f"chainlead.{label}"):
            continue
        model_class = apps.get_model(label, model)
        if model_class._meta.db_table not in tables or model_class.objects.using(using).exists():
            continue  # not migrated yet (its migration will seed it), or seeded
        getattr(import_module(module), function)(apps, None)
