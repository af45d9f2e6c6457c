"""Enterprises: credit code, source tags, 四上 category and status, revenue, contacts, and the
dated 四上 thresholds."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chainlead.core.models import PrimaryModel
from chainlead.enterprises.choices import (
    SOURCE_TAG_COLORS,
    STATS_STATUS_COLORS,
    SourceTag,
    StatsCategory,
    StatsStatus,
)
from chainlead.organization.choices import Role
from chainlead.organization.models import validate_phone
from chainlead.utilities.querysets import RestrictedQuerySet
from chainlead.utilities.validators import validate_credit_code, validate_industry_code

MONEY = {"max_digits": 18, "decimal_places": 2}


def validate_source_tags(value) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("来源标签应为列表。"))
    unknown = [v for v in value if v not in SourceTag.values]
    if unknown:
        raise ValidationError(_("未知的来源标签：{}。").format("、".join(map(str, unknown))))


class Enterprise(PrimaryModel):
    """An enterprise: investor, project company, chain master or supplier."""

    name = models.CharField(_("企业名称"), max_length=200)
    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
        help_text=_("18位，按 GB 32100 校验。尚未注册的招商对象可暂不填写。"),
    )
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    registered_capital = models.DecimalField(
        _("注册资本（万元）"), **MONEY, null=True, blank=True, validators=[MinValueValidator(Decimal(0))]
    )
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    hq_city = models.CharField(_("总部所在城市"), max_length=50, blank=True)
    industry = models.CharField(_("所属行业"), max_length=100, blank=True)
    industry_code = models.CharField(
        _("行业代码（GB/T 4754）"), max_length=5, blank=True, validators=[validate_industry_code]
    )
    source_tags = models.JSONField(
        _("来源标签"),
        default=list,
        blank=True,
        validators=[validate_source_tags],
        help_text=_("可多选：世界500强、中国500强、民营500强、央企、省属/市属国企、上市公司、独角兽、外资。"),
    )
    stats_category = models.CharField(_("四上类别"), max_length=20, choices=StatsCategory.choices, blank=True)
    stats_status = models.CharField(
        _("纳统状态"), max_length=12, choices=StatsStatus.choices, default=StatsStatus.NOT_IN
    )
    stats_entered_on = models.DateField(
        _("纳统月份"), null=True, blank=True, help_text=_("纳入四上统计的月份（取该月1日）。")
    )
    responsible_unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("服务单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprises",
        help_text=_("负责联系服务该企业的单位（包联单位）。"),
    )

    unit_paths = ("responsible_unit",)
    public_actions = {"view"}  # every signed-in user may look an enterprise up
    SOURCE_TAG_COLORS = SOURCE_TAG_COLORS
    STATS_STATUS_COLORS = STATS_STATUS_COLORS

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = pgettext_lazy("plural", "企业")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="enterprise_unique_credit_code",
                violation_error_message=_("已有企业使用这个统一社会信用代码。"),
            ),
        ]
        indexes = [models.Index(fields=["stats_status", "stats_category"], name="enterprise_stats")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("enterprises:enterprise_detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.credit_code:
            self.credit_code = self.credit_code.strip().upper()
        if self.stats_status == StatsStatus.IN_STATS:
            errors = {}
            if not self.stats_category:
                errors["stats_category"] = _("已纳统的企业须填写四上类别。")
            if not self.stats_entered_on:
                errors["stats_entered_on"] = _("已纳统的企业须填写纳统月份。")
            if errors:
                raise ValidationError(errors)
        if self.stats_entered_on:
            self.stats_entered_on = self.stats_entered_on.replace(day=1)

    def source_tag_labels(self) -> list[str]:
        labels = dict(SourceTag.choices)
        return [str(labels.get(t, t)) for t in self.source_tags or []]

    def latest_revenue(self, on: datetime.date | None = None):
        qs = self.revenues.all()
        if on is not None:
            qs = qs.filter(period__lte=on)
        return qs.order_by("-period").first()


class EnterpriseRevenue(PrimaryModel):
    """Year-to-date revenue an enterprise reported for a month (主营业务收入/营业收入, 万元)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="revenues"
    )
    period = models.DateField(_("月份"), help_text=_("所属月份（取该月1日）。"))
    revenue_ytd = models.DecimalField(
        _("本年累计营业收入（万元）"), **MONEY, validators=[MinValueValidator(Decimal(0))]
    )
    employees = models.PositiveIntegerField(_("从业人员（人）"), null=True, blank=True)
    source = models.CharField(
        _("数据来源"), max_length=100, blank=True, help_text=_("如：增值税申报表、财务报表。")
    )

    unit_paths = ("enterprise__responsible_unit",)
    public_actions = {"view"}

    class Meta:
        verbose_name = _("企业营收")
        verbose_name_plural = pgettext_lazy("plural", "企业营收")
        ordering = ["enterprise", "-period"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "period"],
                name="revenue_unique_month",
                violation_error_message=_("该企业这个月份的营收已经填报过。"),
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} {self.period:%Y-%m}"

    def get_absolute_url(self):
        return self.enterprise.get_absolute_url()

    def clean(self):
        super().clean()
        if self.period:
            self.period = self.period.replace(day=1)

    def changelog_parent(self):
        return self.enterprise


class StatsThresholdQuerySet(RestrictedQuerySet):
    def valid_on(self, day: datetime.date):
        return self.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class StatsThreshold(PrimaryModel):
    """The 四上 threshold of a category, valid over a period of dates (rules change: keep them dated)."""

    category = models.CharField(_("四上类别"), max_length=20, choices=StatsCategory.choices)
    threshold = models.DecimalField(
        _("年营业收入门槛（万元）"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("空表示没有收入门槛（如有资质的建筑业、房地产开发经营业）。"),
    )
    basis = models.CharField(_("口径"), max_length=50, blank=True, help_text=_("主营业务收入或营业收入。"))
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("截止日期"), null=True, blank=True)
    source = models.CharField(_("依据"), max_length=200, blank=True)

    objects = models.Manager.from_queryset(StatsThresholdQuerySet)()
    public_actions = {"view"}
    permission_roles = {
        "add": {Role.OFFICE_ADMIN},
        "change": {Role.OFFICE_ADMIN},
        "delete": {Role.OFFICE_ADMIN},
    }

    class Meta:
        verbose_name = _("四上标准")
        verbose_name_plural = pgettext_lazy("plural", "四上标准")
        ordering = ["category", "-valid_from"]

    def __str__(self):
        from chainlead.utilities.money import format_wan

        amount = (
            _("≥ {}万元").format(format_wan(self.threshold))
            if self.threshold is not None
            else _("无收入门槛")
        )
        return f"{self.get_category_display()} {amount}（{self.valid_from:%Y-%m-%d}起）"

    def get_absolute_url(self):
        return reverse("enterprises:statsthreshold_detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("截止日期不能早于起始日期。")})
        if self.category and self.valid_from:
            overlap = StatsThreshold.objects.filter(category=self.category).exclude(pk=self.pk)
            end = self.valid_to or datetime.date.max
            overlap = overlap.filter(valid_from__lte=end).filter(
                Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from)
            )
            if overlap.exists():
                raise ValidationError(
                    {
                        "valid_from": _("与已有的“{}”标准的有效期重叠，请先设置旧标准的截止日期。").format(
                            self.get_category_display()
                        )
                    }
                )


class Contact(PrimaryModel):
    """A contact person at an enterprise."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职务"), max_length=50, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True, validators=[validate_phone])
    email = models.EmailField(_("邮箱"), blank=True)
    is_primary = models.BooleanField(_("主要联系人"), default=False)

    unit_paths = ("enterprise__responsible_unit",)
    public_actions = {"view"}

    class Meta:
        verbose_name = _("企业联系人")
        verbose_name_plural = pgettext_lazy("plural", "企业联系人")
        ordering = ["enterprise", "-is_primary", "name"]

    def __str__(self):
        return f"{self.name}（{self.enterprise}）"

    def get_absolute_url(self):
        return self.enterprise.get_absolute_url()

    def changelog_parent(self):
        return self.enterprise
