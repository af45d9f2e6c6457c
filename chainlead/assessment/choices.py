"""Choices of the assessment app: scheme status, scoring modes, sources, subjects and periods."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    RETIRED = "retired", _("已停用")


SCHEME_STATUS_COLORS = {
    SchemeStatus.DRAFT: "secondary",
    SchemeStatus.PUBLISHED: "green",
    SchemeStatus.RETIRED: "dark",
}
#: A scheme in these states may no longer change: scores were (or may have been) computed with it.
FROZEN_SCHEME_STATES = frozenset({SchemeStatus.PUBLISHED, SchemeStatus.RETIRED})


class GroupKind(models.TextChoices):
    REGULAR = "regular", _("基本分")
    BONUS = "bonus", _("加分项")
    PENALTY = "penalty", _("扣分项")


GROUP_KIND_COLORS = {GroupKind.REGULAR: "blue", GroupKind.BONUS: "green", GroupKind.PENALTY: "red"}


class ScoringMode(models.TextChoices):
    RATIO_CAPPED = "ratio_capped", _("完成比例（封顶）")
    RATIO = "ratio", _("比率")
    EFFICACY_COEFFICIENT = "efficacy", _("功效系数法")
    DEDUCTION = "deduction", _("按次扣减")
    BONUS = "bonus", _("按项加分")
    PENALTY = "penalty", _("按项扣分")
    FORMULA = "formula", _("自定义公式")


SCORING_MODE_COLORS = {
    ScoringMode.RATIO_CAPPED: "blue",
    ScoringMode.RATIO: "cyan",
    ScoringMode.EFFICACY_COEFFICIENT: "purple",
    ScoringMode.DEDUCTION: "orange",
    ScoringMode.BONUS: "green",
    ScoringMode.PENALTY: "red",
    ScoringMode.FORMULA: "secondary",
}
#: Modes that need a target value.
TARGET_MODES = frozenset({ScoringMode.RATIO_CAPPED})
#: Modes whose points come per occurrence (points per item, capped).
PER_ITEM_MODES = frozenset({ScoringMode.DEDUCTION, ScoringMode.BONUS, ScoringMode.PENALTY})


class Source(models.TextChoices):
    COMPUTED = "computed", _("平台数据自动计算")
    MANUAL = "manual", _("人工录入（附佐证）")


SOURCE_COLORS = {Source.COMPUTED: "blue", Source.MANUAL: "orange"}


class WhenNoBase(models.TextChoices):
    """What a rate scores when its denominator is zero (e.g. no problem fell due in the period)."""

    FULL = "full", _("得满分")
    ZERO = "zero", _("得0分")


class SubjectKind(models.TextChoices):
    ZONE = "zone", _("功能区")
    BATTLE_ZONE = "battle_zone", _("战区")
    DEPARTMENT = "department", _("部门")
    CHAIN = "chain", _("产业链")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("月度")
    QUARTER = "quarter", _("季度")
    YEAR = "year", _("年度")


class RankingStatus(models.TextChoices):
    COMPUTING = "computing", _("计算中")
    COMPUTED = "computed", _("已计算")
    PUBLISHED = "published", _("已发布")
    FAILED = "failed", _("计算失败")


RANKING_STATUS_COLORS = {
    RankingStatus.COMPUTING: "blue",
    RankingStatus.COMPUTED: "yellow",
    RankingStatus.PUBLISHED: "green",
    RankingStatus.FAILED: "red",
}
#: Rankings that show results (a failed or running one has none yet).
RESULT_STATES = frozenset({RankingStatus.COMPUTED, RankingStatus.PUBLISHED})
