"""Labels of the audit verbs this app records; core merges them into ``AUDIT_VERBS``."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "lights_frozen": _("冻结预警灯"),
    "light_excused": _("批准说明免亮"),
    "light_excuse_revoked": _("撤销免亮"),
    "bulletin_drafted": _("起草督查通报"),
    "bulletin_edited": _("修改督查通报"),
    "bulletin_issued": _("印发督查通报"),
    "bulletin_deleted": _("删除督查通报"),
}
