"""The supervision app's nightly job: freeze closed periods, recompute the live lights."""

from huey import crontab

from chainlead.core.jobs import periodic
from chainlead.dispatch.tasks import _utc_hour


@periodic("supervision.lights", crontab(hour=_utc_hour(2), minute="23"))
def nightly_lights():
    """Nightly at 02:23 local time (after the war room's plan recompute at 01:07)."""
    from chainlead.supervision.services import run_nightly

    return run_nightly()
