"""Demo data of the dispatch app (see chainlead.core.demo)."""


def load(ctx) -> None:
    pass
