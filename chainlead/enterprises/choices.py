"""Choices of the enterprises app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceTag(models.TextChoices):
    """Investor type tags (来源标签); several may apply. Assessments use them as bonus items."""

    FORTUNE500 = "fortune500", _("世界500强")
    CHINA500 = "china500", _("中国500强")
    PRIVATE500 = "private500", _("民营500强")
    CENTRAL_SOE = "central_soe", _("央企")
    LOCAL_SOE = "local_soe", _("省属/市属国企")
    LISTED = "listed", _("上市公司")
    UNICORN = "unicorn", _("独角兽")
    FOREIGN = "foreign", _("外资")


SOURCE_TAG_COLORS = {
    SourceTag.FORTUNE500: "red",
    SourceTag.CHINA500: "orange",
    SourceTag.PRIVATE500: "yellow",
    SourceTag.CENTRAL_SOE: "purple",
    SourceTag.LOCAL_SOE: "indigo",
    SourceTag.LISTED: "blue",
    SourceTag.UNICORN: "pink",
    SourceTag.FOREIGN: "teal",
}


class StatsCategory(models.TextChoices):
    """四上 categories (DOMAIN.md §2.3)."""

    INDUSTRY = "industry", _("规模以上工业")
    CONSTRUCTION = "construction", _("有资质的建筑业")
    WHOLESALE = "wholesale", _("限额以上批发业")
    RETAIL = "retail", _("限额以上零售业")
    HOTEL_CATERING = "hotel_catering", _("限额以上住宿和餐饮业")
    REAL_ESTATE = "real_estate", _("房地产开发经营业")
    SERVICE_A = "service_a", _("规上服务业（交通运输、信息技术等）")
    SERVICE_B = "service_b", _("规上服务业（租赁商务、科研技术等）")
    SERVICE_C = "service_c", _("规上服务业（居民服务、文体娱乐等）")


class StatsStatus(models.TextChoices):
    NOT_IN = "not_in", _("未纳统")
    IN_STATS = "in_stats", _("已纳统")
    EXITED = "exited", _("已退库")


STATS_STATUS_COLORS = {
    StatsStatus.NOT_IN: "secondary",
    StatsStatus.IN_STATS: "green",
    StatsStatus.EXITED: "red",
}

#: Thresholds current at the time of writing (DOMAIN.md §2.3), in 万元; None = no revenue threshold.
DEFAULT_THRESHOLDS = {
    StatsCategory.INDUSTRY: (2000, "主营业务收入"),
    StatsCategory.CONSTRUCTION: (None, "有总承包或专业承包资质"),
    StatsCategory.WHOLESALE: (2000, "主营业务收入"),
    StatsCategory.RETAIL: (500, "主营业务收入"),
    StatsCategory.HOTEL_CATERING: (200, "主营业务收入"),
    StatsCategory.REAL_ESTATE: (None, "有开发经营活动"),
    StatsCategory.SERVICE_A: (2000, "营业收入"),
    StatsCategory.SERVICE_B: (1000, "营业收入"),
    StatsCategory.SERVICE_C: (500, "营业收入"),
}
