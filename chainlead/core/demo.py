"""The demo zone: a reference zone modelled on the seed's new area (青岛西海岸新区), loaded by
``chainlead demo``. Each app contributes a ``demo.py`` with ``load(ctx)``; they run in the order
of ``DEMO_APPS`` inside one transaction and one change context, so the whole demo is one
request id in the change log. Everything is deterministic: the same data on every machine."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from importlib import import_module

DEMO_PASSWORD = "Chainlead@2026"

#: Apps with a demo module, in dependency order. Later issues append to this list.
DEMO_APPS = [
    "chainlead.organization",
    "chainlead.enterprises",
    "chainlead.chains",
    "chainlead.projects",
    "chainlead.targets",
    "chainlead.warroom",
    "chainlead.dispatch",
    "chainlead.ledger",
    "chainlead.dashboard",
]


@dataclass
class DemoContext:
    """What one app's demo hands to the next: units and users by key, a seeded RNG."""

    units: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    logins: list = field(default_factory=list)  # (username, password, name, role, unit)
    rng: random.Random = field(default_factory=lambda: random.Random(20211130))
    extra: dict = field(default_factory=dict)
    verbosity: int = 1

    def log(self, message: str) -> None:
        if self.verbosity:
            print(message)


def load_demo(verbosity: int = 1) -> DemoContext:
    ctx = DemoContext(verbosity=verbosity)
    for app in DEMO_APPS:
        module = import_module(f"{app}.demo")
        module.load(ctx)
    return ctx
