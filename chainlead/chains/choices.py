"""Choices of the chains app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verification(models.TextChoices):
    """How sure we are that the zone really chose this chain (DOMAIN.md §9.1)."""

    CONFIRMED = "confirmed", _("已核实")
    LIKELY = "likely", _("较可能")
    UNKNOWN = "unknown", _("待补充")


VERIFICATION_COLORS = {
    Verification.CONFIRMED: "green",
    Verification.LIKELY: "yellow",
    Verification.UNKNOWN: "secondary",
}


class ChainRoleKind(models.TextChoices):
    CHIEF_CHAIN_LEADER = "chief", _("总链长")
    CHAIN_LEADER = "leader", _("链长")
    DEPUTY_CHAIN_LEADER = "deputy", _("副链长")
    CHAIN_TASK_FORCE = "task_force", _("产业链专班")
    SECRETARIAT = "secretariat", _("秘书处")


CHAIN_ROLE_COLORS = {
    ChainRoleKind.CHIEF_CHAIN_LEADER: "red",
    ChainRoleKind.CHAIN_LEADER: "orange",
    ChainRoleKind.DEPUTY_CHAIN_LEADER: "yellow",
    ChainRoleKind.CHAIN_TASK_FORCE: "blue",
    ChainRoleKind.SECRETARIAT: "secondary",
}


class Segment(models.TextChoices):
    UPSTREAM = "upstream", _("上游")
    MIDSTREAM = "midstream", _("中游")
    DOWNSTREAM = "downstream", _("下游")


SEGMENT_COLORS = {Segment.UPSTREAM: "cyan", Segment.MIDSTREAM: "blue", Segment.DOWNSTREAM: "indigo"}


class Strength(models.TextChoices):
    """How well the zone covers a chain node locally."""

    PRESENT = "present", _("已有")
    WEAK = "weak", _("薄弱")
    MISSING = "missing", _("缺失")


STRENGTH_COLORS = {Strength.PRESENT: "green", Strength.WEAK: "yellow", Strength.MISSING: "red"}
#: Hex colours for the ECharts chain map (same meaning as the badges).
STRENGTH_HEX = {Strength.PRESENT: "#2fb344", Strength.WEAK: "#f59f00", Strength.MISSING: "#d63939"}


class NodeEnterpriseRole(models.TextChoices):
    CHAIN_MASTER = "master", _("链主企业")
    SUPPORTING = "supporting", _("配套企业")


NODE_ENTERPRISE_ROLE_COLORS = {NodeEnterpriseRole.CHAIN_MASTER: "red", NodeEnterpriseRole.SUPPORTING: "blue"}
