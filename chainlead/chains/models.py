"""Key industrial chains, their people, their chain map (nodes) and the enterprises on it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chainlead.chains.choices import (
    CHAIN_ROLE_COLORS,
    NODE_ENTERPRISE_ROLE_COLORS,
    SEGMENT_COLORS,
    STRENGTH_COLORS,
    VERIFICATION_COLORS,
    ChainRoleKind,
    NodeEnterpriseRole,
    Segment,
    Strength,
    Verification,
)
from chainlead.core.models import PrimaryModel
from chainlead.organization.models import validate_phone
from chainlead.utilities.validators import validate_industry_code


class KeyChain(PrimaryModel):
    """A key industrial chain (重点产业链) the zone has chosen to grow."""

    name = models.CharField(_("产业链名称"), max_length=100, unique=True)
    code = models.SlugField(
        _("代码"), max_length=30, unique=True, help_text=_("英文或拼音简码，如 semiconductor。")
    )
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    description = models.TextField(_("简介"), blank=True)
    lead_department = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("牵头部门"),
        on_delete=models.PROTECT,
        related_name="led_chains",
        help_text=_("负责该产业链台账和统计的部门。"),
    )
    verification = models.CharField(
        _("核实情况"),
        max_length=12,
        choices=Verification.choices,
        default=Verification.CONFIRMED,
        help_text=_("该链是否已由公开资料或本区文件核实。"),
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    unit_paths = ("lead_department",)
    public_actions = {"view"}
    VERIFICATION_COLORS = VERIFICATION_COLORS

    class Meta:
        verbose_name = _("重点产业链")
        verbose_name_plural = pgettext_lazy("plural", "重点产业链")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("chains:keychain_detail", args=[self.pk])

    def leaders(self):
        return [r for r in self.roles.all() if r.kind == ChainRoleKind.CHAIN_LEADER]

    def delete(self, *args, **kwargs):
        """Delete the chain with its whole node tree.

        A node's parent is protected (a node that still has children cannot be deleted on its
        own), so the tree is removed leaves first, each node logged. Projects on the chain or its
        nodes still protect it: ``ProtectedError`` and, in the caller's transaction, nothing gone."""
        with transaction.atomic():
            parents = dict(ChainNode.objects.filter(chain=self).values_list("pk", "parent_id"))
            depth: dict[int, int] = {}
            for pk in parents:
                chain_up, current = [], pk
                while current in parents and current not in depth and current not in chain_up:
                    chain_up.append(current)
                    current = parents[current]
                base = depth.get(current, -1)
                for offset, node_pk in enumerate(reversed(chain_up), start=1):
                    depth[node_pk] = base + offset
            for level in sorted(set(depth.values()), reverse=True):
                ChainNode.objects.filter(pk__in=[pk for pk, d in depth.items() if d == level]).delete()
            return super().delete(*args, **kwargs)


class ChainRole(PrimaryModel):
    """A person's role on a chain: 链长, 副链长, 专班, 秘书处 (总链长 covers every chain)."""

    chain = models.ForeignKey(
        KeyChain,
        verbose_name=_("产业链"),
        on_delete=models.CASCADE,
        related_name="roles",
        null=True,
        blank=True,
        help_text=_("总链长可不选产业链（统领全部产业链）。"),
    )
    kind = models.CharField(_("职责"), max_length=20, choices=ChainRoleKind.choices)
    person_name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职务"), max_length=100, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True, validators=[validate_phone])
    user = models.ForeignKey(
        "organization.User",
        verbose_name=_("平台账号"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chain_roles",
    )
    unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("所在单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=100)

    unit_paths = ("chain__lead_department",)
    public_actions = {"view"}
    KIND_COLORS = CHAIN_ROLE_COLORS

    class Meta:
        verbose_name = _("产业链职责")
        verbose_name_plural = pgettext_lazy("plural", "产业链职责")
        ordering = ["chain__sort_order", "kind", "sort_order"]

    def __str__(self):
        where = self.chain.name if self.chain_id else _("全部产业链")
        return f"{where} · {self.get_kind_display()} · {self.person_name}"

    def get_absolute_url(self):
        return reverse("chains:chainrole_detail", args=[self.pk])

    def clean(self):
        super().clean()
        if not self.chain_id and self.kind != ChainRoleKind.CHIEF_CHAIN_LEADER:
            raise ValidationError({"chain": _("除总链长外，必须选择产业链。")})

    def changelog_parent(self):
        return self.chain


class ChainNode(PrimaryModel):
    """A node of a chain map: a product or service step, up-, mid- or downstream."""

    chain = models.ForeignKey(
        KeyChain, verbose_name=_("产业链"), on_delete=models.CASCADE, related_name="nodes"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级环节"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    segment = models.CharField(_("环节"), max_length=12, choices=Segment.choices)
    name = models.CharField(_("节点名称"), max_length=100)
    strength = models.CharField(
        _("本地基础"), max_length=10, choices=Strength.choices, default=Strength.MISSING
    )
    industry_code = models.CharField(
        _("行业代码（GB/T 4754）"), max_length=5, blank=True, validators=[validate_industry_code]
    )
    description = models.TextField(_("说明"), blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)

    unit_paths = ("chain__lead_department",)
    public_actions = {"view"}
    SEGMENT_COLORS = SEGMENT_COLORS
    STRENGTH_COLORS = STRENGTH_COLORS

    class Meta:
        verbose_name = _("产业链节点")
        verbose_name_plural = pgettext_lazy("plural", "产业链节点")
        ordering = ["chain__sort_order", "segment", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "name"],
                name="chainnode_unique_name",
                violation_error_message=_("这条产业链已有同名节点。"),
            ),
        ]

    def __str__(self):
        return f"{self.chain.short_name or self.chain.name} · {self.name}"

    def get_absolute_url(self):
        return reverse("chains:chainnode_detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.parent_id:
            if self.parent_id == self.pk:
                raise ValidationError({"parent": _("节点不能是自己的上级环节。")})
            parent = ChainNode.objects.filter(pk=self.parent_id).only("chain_id", "parent_id").first()
            if parent and parent.chain_id != self.chain_id:
                raise ValidationError({"parent": _("上级环节必须属于同一条产业链。")})
            seen = {self.pk}
            while parent is not None and self.pk:
                if parent.pk in seen:
                    raise ValidationError({"parent": _("上级环节会形成循环。")})
                seen.add(parent.pk)
                parent = (
                    ChainNode.objects.filter(pk=parent.parent_id).only("parent_id").first()
                    if parent.parent_id
                    else None
                )
        if self.industry_code:
            self.industry_code = self.industry_code.strip().upper()
        errors = {}
        if self.chain_id and self.name:
            # Checked here as well as by the constraint so that the message lands on the name field.
            self.name = self.name.strip()
            if ChainNode.objects.filter(chain_id=self.chain_id, name=self.name).exclude(pk=self.pk).exists():
                errors["name"] = _("这条产业链已有名为“{}”的节点，请换一个名称。").format(self.name)
        if self.pk and self.chain_id:
            stored_chain = ChainNode.objects.filter(pk=self.pk).values_list("chain_id", flat=True).first()
            if (
                stored_chain is not None
                and stored_chain != self.chain_id
                and (self.children.exists() or self.projects.exists())
            ):
                errors["chain"] = _("该节点已有下级环节或项目，不能改到其他产业链。")
        if errors:
            raise ValidationError(errors)

    def changelog_parent(self):
        return self.chain


class NodeEnterprise(PrimaryModel):
    """An enterprise on a chain node, as chain master (链主) or supporting enterprise (配套)."""

    node = models.ForeignKey(
        ChainNode, verbose_name=_("产业链节点"), on_delete=models.CASCADE, related_name="enterprise_links"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="node_links"
    )
    role = models.CharField(_("角色"), max_length=12, choices=NodeEnterpriseRole.choices)

    unit_paths = ("node__chain__lead_department",)
    public_actions = {"view"}
    ROLE_COLORS = NODE_ENTERPRISE_ROLE_COLORS

    class Meta:
        verbose_name = _("节点企业")
        verbose_name_plural = pgettext_lazy("plural", "节点企业")
        ordering = ["node", "role", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["node", "enterprise"],
                name="nodeenterprise_unique",
                violation_error_message=_("该企业已在这个节点上。"),
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.get_role_display()} · {self.node}"

    def clean(self):
        super().clean()
        if (
            self.node_id
            and self.enterprise_id
            and NodeEnterprise.objects.filter(node_id=self.node_id, enterprise_id=self.enterprise_id)
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError({"enterprise": _("该企业已在这个节点上，无需重复添加。")})

    def get_absolute_url(self):
        return reverse("chains:nodeenterprise_detail", args=[self.pk])

    def changelog_parent(self):
        return self.node
