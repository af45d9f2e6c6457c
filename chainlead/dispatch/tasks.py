"""The dispatch app's cron job: every morning at 09:00 (the platform's time zone)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from huey import crontab

from chainlead.core.jobs import periodic


def _utc_hour(local_hour: int) -> str:
    """huey runs its schedule in UTC (``"utc": True``): the UTC hour of ``local_hour`` local time."""
    zone = ZoneInfo(settings.TIME_ZONE)
    offset = datetime.datetime(2021, 6, 1, local_hour, tzinfo=zone).utcoffset() or datetime.timedelta(0)
    return str(int(local_hour - offset.total_seconds() // 3600) % 24)


@periodic("dispatch.daily", crontab(hour=_utc_hour(9), minute="0"))
def dispatch_daily():
    """Open the new periods, send the deadline reminders, escalate overdue problems."""
    from chainlead.dispatch.services import run_daily

    return run_daily()
