"""Demo data of the warroom app (see chainlead.core.demo)."""


def load(ctx) -> None:
    pass
