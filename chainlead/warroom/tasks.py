"""The war room's nightly job: recompute every plan for the new day (statuses move with the date:
a node turns "due soon" and then "overdue" without anyone touching it), which also raises the
alarms when a target can no longer be met."""

from huey import crontab

from chainlead.core.jobs import periodic


@periodic("warroom.recompute", crontab(hour="1", minute="7"))
def recompute_all():
    """Nightly at 01:07: recompute all plans, in batches."""
    from chainlead.warroom.models import ProjectSchedule
    from chainlead.warroom.services import recompute, work_calendar

    cal = work_calendar()
    ids = list(ProjectSchedule.objects.order_by("pk").values_list("pk", flat=True))
    done = 0
    for start in range(0, len(ids), 500):
        batch = list(ProjectSchedule.objects.filter(pk__in=ids[start : start + 500]))
        done += recompute(batch, cal=cal)
    return {"schedules": done}
