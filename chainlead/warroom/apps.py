from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class WarroomConfig(AppConfig):
    name = "chainlead.warroom"
    label = "warroom"
    verbose_name = _("挂图作战")

    def ready(self):
        from chainlead.utilities.menu import register
        from chainlead.warroom import jobs, panels, presets, tasks  # noqa: F401  (register jobs, panels, cron)

        post_migrate.connect(presets.post_migrate_install, sender=self, dispatch_uid="warroom-presets")

        register("projects", _("进度计划"), "warroom:projectschedule_list", model="warroom.ProjectSchedule")
        register("projects", _("甘特图"), "warroom:gantt", model="warroom.ProjectSchedule")
        register(
            "projects",
            pgettext_lazy("plural", "计划节点"),
            "warroom:schedulenode_list",
            model="warroom.ScheduleNode",
        )
        register("targets", _("挂图作战地图"), "warroom:map", model="projects.KeyProject")
        register("targets", _("作战三图"), "warroom:board_index", model="projects.KeyProject")
        register("system", _("计划模板"), "warroom:scheduletemplate_list", model="warroom.ScheduleTemplate")
        register("system", _("区域地图（GeoJSON）"), "warroom:zonemap_list", model="warroom.ZoneMap")
