"""Demo data of the ledger app (see chainlead.core.demo).

Nothing to load: the synonym table is seeded by migration 0002 (so it exists in every database,
not only the demo's), and an import batch is something a user makes by uploading a file — the
demo zone's project list, exported from 项目台账, re-imports as a batch with no changes."""


def load(ctx) -> None:
    return None
