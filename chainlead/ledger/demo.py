"""Demo data of the ledger app (see chainlead.core.demo)."""


def load(ctx) -> None:
    pass
