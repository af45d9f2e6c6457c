"""Choices of the organisation app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    OFFICE = "office", _("领导小组办公室")
    DEPARTMENT = "department", _("部门")
    AREA = "area", _("功能区/片区")
    BATTLE_ZONE = "battle_zone", _("战区")
    STREET = "street", _("街道")
    ENTERPRISE = "enterprise", _("企业")


UNIT_KIND_COLORS = {
    UnitKind.OFFICE: "red",
    UnitKind.DEPARTMENT: "blue",
    UnitKind.AREA: "teal",
    UnitKind.BATTLE_ZONE: "orange",
    UnitKind.STREET: "cyan",
    UnitKind.ENTERPRISE: "purple",
}
#: Units that own territory: areas and battle zones (挂图作战).
TERRITORIAL_KINDS = {UnitKind.AREA, UnitKind.BATTLE_ZONE, UnitKind.STREET}


class Role(models.TextChoices):
    OFFICE_ADMIN = "office_admin", _("办公室管理员")
    LEADER = "leader", _("区领导")
    CHAIN_LEADER = "chain_leader", _("链长")
    UNIT_HEAD = "unit_head", _("单位负责人")
    REPORTER = "reporter", _("填报员")
    VIEWER = "viewer", _("查看员")


ROLE_COLORS = {
    Role.OFFICE_ADMIN: "red",
    Role.LEADER: "purple",
    Role.CHAIN_LEADER: "orange",
    Role.UNIT_HEAD: "blue",
    Role.REPORTER: "green",
    Role.VIEWER: "secondary",
}


class Action(models.TextChoices):
    VIEW = "view", _("查看")
    ADD = "add", _("新建")
    CHANGE = "change", _("修改")
    DELETE = "delete", _("删除")
    SUBMIT = "submit", _("提交")
    APPROVE = "approve", _("审核")
    MANAGE = "manage", _("管理")
