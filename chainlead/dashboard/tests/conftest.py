"""Fixtures of the dashboard's tests."""

import pytest


@pytest.fixture
def only_dashboard_panels():
    """The budget is the dashboard's own: other apps' panels have their own tests."""
    from chainlead.dashboard import panels

    saved = dict(panels._PANELS)
    for key in list(panels._PANELS):
        if not key.startswith("dashboard_"):
            panels._PANELS.pop(key)
    yield
    panels._PANELS.clear()
    panels._PANELS.update(saved)
