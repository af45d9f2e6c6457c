from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProjectsConfig(AppConfig):
    name = "chainlead.projects"
    label = "projects"
    verbose_name = _("项目")

    def ready(self):
        from chainlead.utilities.menu import register

        register("projects", _("项目台账"), "projects:keyproject_list", model="projects.KeyProject")
        register(
            "projects",
            pgettext_lazy("plural", "对接记录"),
            "projects:contactrecord_list",
            model="projects.ContactRecord",
        )
        register("projects", _("阶段变更记录"), "projects:stagechange_list", model="projects.StageChange")
        register("projects", _("证明材料"), "projects:stageevidence_list", model="projects.StageEvidence")
