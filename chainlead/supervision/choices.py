"""Choices of the supervision app (督查通报, DOMAIN.md §5–§6): light colours, rule components,
subjects, bulletin scopes and statuses. Each has its colour map; transitions live in services."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LightColor(models.TextChoices):
    GREEN = "green", _("绿灯")
    YELLOW = "yellow", _("黄灯")
    ORANGE = "orange", _("橙灯")
    RED = "red", _("红灯")


#: Worse is higher: the overall light is the component with the highest rank.
COLOR_RANK = {LightColor.GREEN: 0, LightColor.YELLOW: 1, LightColor.ORANGE: 2, LightColor.RED: 3}
#: Tabler badge colours.
LIGHT_COLORS = {
    LightColor.GREEN: "green",
    LightColor.YELLOW: "yellow",
    LightColor.ORANGE: "orange",
    LightColor.RED: "red",
}
#: Chart colours (the war room's palette).
LIGHT_HEX = {
    LightColor.GREEN: "#2fb344",
    LightColor.YELLOW: "#f59f00",
    LightColor.ORANGE: "#f76707",
    LightColor.RED: "#d63939",
}
#: Short Chinese for history lines ("红 3月 → 黄 4月").
COLOR_SHORT = {
    LightColor.GREEN: _("绿"),
    LightColor.YELLOW: _("黄"),
    LightColor.ORANGE: _("橙"),
    LightColor.RED: _("红"),
}


def worst(colors) -> str:
    """The worst of some colours (green when there are none)."""
    out = LightColor.GREEN
    for color in colors:
        if COLOR_RANK.get(color, 0) > COLOR_RANK[out]:
            out = color
    return out


class Component(models.TextChoices):
    """What a light measures: the overall light, or one rule W1–W8 of DOMAIN.md §5."""

    OVERALL = "overall", _("综合")
    W1 = "W1", _("W1 投资完成与序时进度")
    W2 = "W2", _("W2 按期开工")
    W3 = "W3", _("W3 开工入库纳统")
    W4 = "W4", _("W4 节点逾期")
    W5 = "W5", _("W5 问题超期")
    W6 = "W6", _("W6 报送及时")
    W7 = "W7", _("W7 投资增速")
    W8 = "W8", _("W8 月度任务")


RULE_CODES = [c for c in Component if c != Component.OVERALL]


class SubjectKind(models.TextChoices):
    PROJECT = "project", _("项目")
    TARGET = "target", _("攻坚目标")
    UNIT = "unit", _("单位")


SUBJECT_KIND_COLORS = {SubjectKind.PROJECT: "blue", SubjectKind.TARGET: "orange", SubjectKind.UNIT: "teal"}


class Direction(models.TextChoices):
    """Whether a larger measured value is worse (a gap, days overdue) or better (growth)."""

    HIGHER_IS_WORSE = "higher", _("数值越大越差")
    LOWER_IS_WORSE = "lower", _("数值越小越差")


class ScopeKind(models.TextChoices):
    ALL = "all", _("全区")
    ZONE = "zone", _("功能区（片区）")
    CHAIN = "chain", _("产业链")


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已印发")


BULLETIN_STATUS_COLORS = {BulletinStatus.DRAFT: "secondary", BulletinStatus.ISSUED: "green"}

#: The editable text sections of a bulletin, in document order (DOMAIN.md §6.1).
SECTIONS = [
    ("basis_text", _("通报依据和方法")),
    ("overall_text", _("一、总体情况")),
    ("good_text", _("二、进展较好")),
    ("lagging_text", _("三、进展滞后")),
    ("problems_text", _("四、存在问题")),
    ("requirements_text", _("五、下步工作要求")),
]
