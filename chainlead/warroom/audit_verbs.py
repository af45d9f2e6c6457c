"""Labels of the audit verbs this app records; core merges them into ``AUDIT_VERBS``."""
from django.utils.translation import gettext_lazy as _

VERBS = {
    "schedule_applied": _("套用计划模板"),
    "baseline_approved": _("批准基线"),
    "replanned": _("调整计划"),
    "node_completed": _("节点完成"),
    "node_started": _("节点开始"),
    "node_reopened": _("撤销节点完成"),
    "placed_on_map": _("地图落位"),
}
