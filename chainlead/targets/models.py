"""Attack targets (攻坚目标) of the battle zones, grouped in campaigns (攻坚战), managed as
projects, with engineering-style milestones, on checklists (项目化、工程化、清单化)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chainlead.core import clock
from chainlead.core.models import PrimaryModel
from chainlead.organization.choices import UnitKind
from chainlead.organization.models import validate_phone
from chainlead.targets.choices import TARGET_STATUS_COLORS, TargetStatus


class Campaign(PrimaryModel):
    """A campaign (攻坚战) of an area, e.g. one of the transport business district's six."""

    name = models.CharField(_("攻坚战名称"), max_length=100)
    area = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("所属片区"),
        on_delete=models.PROTECT,
        related_name="campaigns",
        limit_choices_to={"kind": UnitKind.AREA},
    )
    year = models.PositiveIntegerField(_("年度"))
    description = models.TextField(_("说明"), blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)

    unit_paths = ("area",)
    #: Campaigns are published lists (六大攻坚战): everyone with a role may read them, so a battle
    #: zone's reporter can pick the campaign of the zone's area. Writing stays with the area.
    public_actions = frozenset({"view"})

    class Meta:
        verbose_name = _("攻坚战")
        verbose_name_plural = pgettext_lazy("plural", "攻坚战")
        ordering = ["area", "-year", "sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year", "name"],
                name="campaign_unique",
                violation_error_message=_("该片区当年已有同名攻坚战。"),
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.year}）"

    def get_absolute_url(self):
        return reverse("targets:campaign_detail", args=[self.pk])


class AttackTarget(PrimaryModel):
    """A dated, measurable objective on a battle zone's numbered list."""

    battle_zone = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("战区"),
        on_delete=models.PROTECT,
        related_name="attack_targets",
        limit_choices_to={"kind": UnitKind.BATTLE_ZONE},
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("攻坚战"), on_delete=models.PROTECT, related_name="targets"
    )
    number = models.PositiveIntegerField(_("序号"))
    title = models.CharField(_("攻坚目标"), max_length=200)
    goal_value = models.DecimalField(
        _("目标值"), max_digits=18, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    goal_unit = models.CharField(_("计量单位"), max_length=20, help_text=_("如：万元、个、%、公里、平方米。"))
    actual_value = models.DecimalField(
        _("完成值"), max_digits=18, decimal_places=2, default=0, validators=[MinValueValidator(Decimal(0))]
    )
    deadline = models.DateField(_("完成时限"))
    status = models.CharField(
        _("状态"), max_length=12, choices=TargetStatus.choices, default=TargetStatus.PLANNED
    )
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    responsible_leader = models.CharField(_("责任领导"), max_length=50, blank=True)
    responsible_unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        related_name="responsible_targets",
    )
    responsible_person = models.CharField(_("责任人"), max_length=50, blank=True)
    responsible_phone = models.CharField(
        _("责任人电话"), max_length=30, blank=True, validators=[validate_phone]
    )
    measures = models.TextField(_("推进措施"), blank=True)

    unit_paths = ("battle_zone", "responsible_unit")
    STATUS_COLORS = TARGET_STATUS_COLORS

    class Meta:
        verbose_name = _("攻坚目标")
        verbose_name_plural = pgettext_lazy("plural", "攻坚目标")
        ordering = ["battle_zone__sort_order", "battle_zone", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["battle_zone", "number"],
                name="target_unique_number",
                violation_error_message=_("该战区的清单里已有这个序号。"),
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse("targets:attacktarget_detail", args=[self.pk])

    def clean(self):
        super().clean()
        errors = {}
        if self.battle_zone_id and self.battle_zone.kind != UnitKind.BATTLE_ZONE:
            errors["battle_zone"] = _("“{}”不是战区，请选择战区。").format(self.battle_zone)
        if self.campaign_id and self.battle_zone_id and self.battle_zone.parent_id != self.campaign.area_id:
            errors["campaign"] = _("攻坚战“{}”不属于该战区所在的片区。").format(self.campaign)
        if self.status == TargetStatus.DONE and not self.done_on:
            errors["done_on"] = _("状态为已完成时须填写完成日期。")
        if self.done_on and self.done_on > clock.today():
            errors["done_on"] = _("完成日期不能晚于今天。")
        if errors:
            raise ValidationError(errors)

    @property
    def is_overdue(self) -> bool:
        return (
            self.status not in (TargetStatus.DONE, TargetStatus.CANCELLED) and self.deadline < clock.today()
        )

    @property
    def is_done_late(self) -> bool:
        return self.status == TargetStatus.DONE and bool(self.done_on) and self.done_on > self.deadline

    @property
    def completion_rate(self) -> Decimal | None:
        if not self.goal_value:
            return None
        return (self.actual_value / self.goal_value * 100).quantize(Decimal("0.1"))


class TargetMonthPlan(PrimaryModel):
    """The planned (and reported) value of a target for one month."""

    target = models.ForeignKey(
        AttackTarget, verbose_name=_("攻坚目标"), on_delete=models.CASCADE, related_name="month_plans"
    )
    month = models.DateField(_("月份"))
    planned_value = models.DecimalField(
        _("计划值"), max_digits=18, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    actual_value = models.DecimalField(
        _("实际值"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    milestone = models.CharField(_("节点任务"), max_length=200, blank=True)

    unit_paths = ("target__battle_zone", "target__responsible_unit")

    class Meta:
        verbose_name = _("月度计划")
        verbose_name_plural = pgettext_lazy("plural", "月度计划")
        ordering = ["target", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "month"],
                name="targetmonth_unique",
                violation_error_message=_("这个月份已有计划。"),
            ),
        ]

    def __str__(self):
        return f"{self.target} · {self.month:%Y年%m月}"

    def get_absolute_url(self):
        return self.target.get_absolute_url()

    def clean(self):
        super().clean()
        if self.month:
            self.month = self.month.replace(day=1)

    def changelog_parent(self):
        return self.target


class TargetProject(PrimaryModel):
    """A project that contributes to an attack target."""

    target = models.ForeignKey(
        AttackTarget, verbose_name=_("攻坚目标"), on_delete=models.CASCADE, related_name="project_links"
    )
    project = models.ForeignKey(
        "projects.KeyProject", verbose_name=_("项目"), on_delete=models.CASCADE, related_name="target_links"
    )

    unit_paths = ("target__battle_zone", "target__responsible_unit")

    class Meta:
        verbose_name = _("目标关联项目")
        verbose_name_plural = pgettext_lazy("plural", "目标关联项目")
        constraints = [
            models.UniqueConstraint(
                fields=["target", "project"],
                name="targetproject_unique",
                violation_error_message=_("该项目已关联到这个攻坚目标。"),
            ),
        ]

    def __str__(self):
        return f"{self.target} ← {self.project}"

    def get_absolute_url(self):
        return self.target.get_absolute_url()

    def changelog_parent(self):
        return self.target
