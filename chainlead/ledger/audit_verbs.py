"""Labels of the audit verbs this app records; core merges them into ``AUDIT_VERBS``."""
from django.utils.translation import gettext_lazy as _

VERBS = {
    "imported": _("台账导入"),
    "import_undone": _("撤销导入"),
}
