"""``chainlead dashboard_rebuild``: rebuild the dashboard's summary tables (and month-end snapshots).

chainlead dashboard_rebuild                       # today's summaries
chainlead dashboard_rebuild --snapshots 12        # …and the last 12 month-ends from history
chainlead dashboard_rebuild --as-of 2021-10-31 --no-live
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from chainlead.core import clock
from chainlead.core.context import change_context
from chainlead.dashboard import summary
from chainlead.dashboard.jobs import last_month_ends


class Command(BaseCommand):
    help = "Rebuild the dashboard's summary tables from the projects (and month-end snapshots from history)."

    def add_arguments(self, parser):
        parser.add_argument("--snapshots", type=int, default=0, help="also rebuild the last N month-ends")
        parser.add_argument(
            "--as-of", action="append", default=[], help="a month-end to rebuild (repeatable)"
        )
        parser.add_argument("--no-live", action="store_true", help="skip today's summaries")

    def handle(self, *args, **options):
        days = []
        for value in options["as_of"]:
            try:
                days.append(datetime.date.fromisoformat(value))
            except ValueError as exc:
                raise CommandError(f"--as-of expects a date like 2021-10-31, got {value!r}") from exc
        if options["snapshots"]:
            days.extend(last_month_ends(clock.today(), options["snapshots"]))
        with change_context(source="command:dashboard_rebuild"):
            if not options["no_live"]:
                result = summary.rebuild()
                self.stdout.write(
                    f"summaries: {result['projects']} projects, {result['events']} facts, {result['seconds']} s"
                )
            for day in sorted(set(days)):
                result = summary.build_snapshot(day)
                self.stdout.write(
                    f"as of {day}: {result['projects']} projects, {result['events']} facts, {result['seconds']} s"
                )
