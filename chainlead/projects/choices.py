"""Choices of the projects app: the one lifecycle from lead to statistics (DOMAIN.md §3.1)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    LEAD = "lead", _("线索")
    NEGOTIATING = "negotiating", _("洽谈")
    SIGNED = "signed", _("签约")
    REGISTERED = "registered", _("注册")
    STARTED = "started", _("开工")
    COMPLETED = "completed", _("竣工")
    IN_PRODUCTION = "in_production", _("投产")
    AT_CAPACITY = "at_capacity", _("达产")
    ON_HOLD = "on_hold", _("暂缓")
    TERMINATED = "terminated", _("终止")


STAGE_COLORS = {
    Stage.LEAD: "secondary",
    Stage.NEGOTIATING: "cyan",
    Stage.SIGNED: "blue",
    Stage.REGISTERED: "indigo",
    Stage.STARTED: "orange",
    Stage.COMPLETED: "teal",
    Stage.IN_PRODUCTION: "green",
    Stage.AT_CAPACITY: "lime",
    Stage.ON_HOLD: "yellow",
    Stage.TERMINATED: "red",
}
#: The main line, in order. SIGNED and REGISTERED may come in either order.
STAGE_ORDER = [
    Stage.LEAD,
    Stage.NEGOTIATING,
    Stage.SIGNED,
    Stage.REGISTERED,
    Stage.STARTED,
    Stage.COMPLETED,
    Stage.IN_PRODUCTION,
    Stage.AT_CAPACITY,
]
STAGE_RANK = {s: i for i, s in enumerate(STAGE_ORDER)}
TERMINAL_STAGES = frozenset({Stage.AT_CAPACITY, Stage.TERMINATED})
#: Stages before construction starts: a project may still be terminated (终止/解约/流失).
PRE_START_STAGES = frozenset({Stage.LEAD, Stage.NEGOTIATING, Stage.SIGNED, Stage.REGISTERED})
#: Landed (落地) = signed or registered.
LANDED_STAGES = frozenset({Stage.SIGNED, Stage.REGISTERED})
#: The date field that records when the project reached each stage (the milestone date).
STAGE_DATE_FIELD = {
    Stage.LEAD: "lead_on",
    Stage.NEGOTIATING: "negotiating_on",
    Stage.SIGNED: "signed_on",
    Stage.REGISTERED: "registered_on",
    Stage.STARTED: "started_on",
    Stage.COMPLETED: "completed_on",
    Stage.IN_PRODUCTION: "production_on",
    Stage.AT_CAPACITY: "capacity_on",
    Stage.ON_HOLD: "on_hold_on",
    Stage.TERMINATED: "terminated_on",
}


class Level(models.TextChoices):
    PROVINCE = "province", _("省级重点")
    CITY = "city", _("市级重点")
    DISTRICT = "district", _("区级重点")


LEVEL_COLORS = {Level.PROVINCE: "red", Level.CITY: "orange", Level.DISTRICT: "blue"}


class ProjectType(models.TextChoices):
    INDUSTRIAL = "industrial", _("产业项目")
    SERVICE = "service", _("现代服务业")
    TECH = "tech", _("科技创新")
    INFRASTRUCTURE = "infrastructure", _("基础设施")
    LIVELIHOOD = "livelihood", _("社会民生")
    OTHER = "other", _("其他")


class InvestmentNature(models.TextChoices):
    """Social (enterprise) or government investment: their approval caps differ (DOMAIN.md §2.4)."""

    SOCIAL = "social", _("社会投资")
    GOVERNMENT = "government", _("政府投资")


class Purpose(models.TextChoices):
    FILL = "fill", _("补链")
    STRENGTHEN = "strengthen", _("强链")
    EXTEND = "extend", _("延链")


PURPOSE_COLORS = {Purpose.FILL: "red", Purpose.STRENGTHEN: "green", Purpose.EXTEND: "purple"}


class AgreementType(models.TextChoices):
    FRAMEWORK = "framework", _("框架协议")
    INVESTMENT = "investment", _("投资协议")
    CONTRACT = "contract", _("合同")


class ContactKind(models.TextChoices):
    VISIT = "visit", _("上门拜访")
    MEETING = "meeting", _("会谈")
    CALL = "call", _("电话")
    OTHER = "other", _("其他")


class EvidenceKind(models.TextChoices):
    MEETING_NOTE = "meeting_note", _("会谈纪要")
    AGREEMENT = "agreement", _("协议扫描件")
    LICENCE = "licence", _("营业执照")
    CONSTRUCTION_PERMIT = "construction_permit", _("施工许可证")
    START_REPORT = "start_report", _("开工报告")
    SITE_PHOTO = "site_photo", _("现场照片")
    ACCEPTANCE = "acceptance", _("竣工验收记录")
    PRODUCTION_NOTICE = "production_notice", _("试生产通知")
    FIRST_INVOICE = "first_invoice", _("首笔销售发票")
    OUTPUT_STATS = "output_stats", _("统计或审计数据")
    OTHER = "other", _("其他")


class ConstructionStatus(models.TextChoices):
    """Planning categories of a year, derived from the stage dates (DOMAIN.md §3.2)."""

    PREPARATION = "preparation", _("前期")
    NEW_START = "new_start", _("新开工")
    CONTINUING = "continuing", _("续建")
    COMPLETED = "completed", _("竣工")
    PRODUCING = "producing", _("投产")
    SUSPENDED = "suspended", _("停缓建")
