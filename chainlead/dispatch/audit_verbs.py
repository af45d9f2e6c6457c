"""Labels of the audit verbs this app records; core merges them into ``AUDIT_VERBS``."""
from django.utils.translation import gettext_lazy as _

VERBS = {
    "period_closed": _("关闭调度期"),
    "period_reopened": _("重新开放调度期"),
    "raised": _("提出问题"),
    "assigned": _("分派问题"),
    "started": _("开始办理"),
    "replied": _("会办答复"),
    "resolved": _("办结"),
    "confirmed": _("销号"),
    "escalated": _("问题升级"),
    "commented": _("批示"),
    "granted": _("要素保障"),
    "agenda_built": _("生成议程"),
    "meeting_held": _("召开调度会"),
    "decision_done": _("议定事项完成"),
    "decision_progress": _("议定事项进展"),
    "investment_change_filed": _("总投资调整备案"),
}
