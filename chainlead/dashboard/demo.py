"""Demo data of the dashboard app (see chainlead.core.demo)."""


def load(ctx) -> None:
    pass
