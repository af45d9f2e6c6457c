"""Labels of the audit verbs this app records; core merges them into ``AUDIT_VERBS``."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "scheme_published": _("发布考核方案"),
    "scheme_versioned": _("生成考核方案新版本"),
    "weights_changed": _("调整指标权重"),
    "scored": _("考核计分"),
    "value_entered": _("录入考核指标"),
    "score_adjusted": _("调整考核得分"),
    "ranking_published": _("发布考核排名"),
}
