"""Key projects: one record from the first lead to the official statistics.

The attraction pipeline (线索 → 洽谈 → 签约/注册 → …) and the construction milestones are two views
of the same ``KeyProject``. The stage moves only through ``projects.services.advance_stage``,
which checks the allowed transitions, the data and the evidence each stage needs.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chainlead.core import clock
from chainlead.core.models import ChangeLoggedModel, PrimaryModel
from chainlead.enterprises.choices import StatsCategory
from chainlead.organization.choices import TERRITORIAL_KINDS
from chainlead.organization.models import validate_phone
from chainlead.projects.choices import (
    LEVEL_COLORS,
    PURPOSE_COLORS,
    STAGE_COLORS,
    STAGE_DATE_FIELD,
    AgreementType,
    ConstructionStatus,
    ContactKind,
    EvidenceKind,
    InvestmentNature,
    Level,
    ProjectType,
    Purpose,
    Stage,
)
from chainlead.utilities.validators import validate_project_code

MONEY = {"max_digits": 18, "decimal_places": 2}
#: 1万亿元 in 万元: anything above is almost surely a unit mistake (元 typed as 万元).
ABSURD_WAN = Decimal("100000000")


def money_validators():
    return [
        MinValueValidator(Decimal(0), message=_("金额不能为负数。")),
        MaxValueValidator(ABSURD_WAN, message=_("金额超过1万亿元，请确认单位是万元而不是元。")),
    ]


def month_start(day: datetime.date | None) -> datetime.date | None:
    return day.replace(day=1) if day else None


class KeyProject(PrimaryModel):
    """A project from lead to statistics, with its figures and its responsibility triple."""

    # --- identity ----------------------------------------------------------------------------------
    name = models.CharField(_("项目名称"), max_length=200)
    project_code = models.CharField(
        _("项目代码"),
        max_length=24,
        blank=True,
        validators=[validate_project_code],
        help_text=_("全国投资项目在线审批监管平台赋予的24位代码，如 2021-370211-04-01-123456。"),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("投资/建设企业"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    investor_name = models.CharField(
        _("投资方"), max_length=200, blank=True, help_text=_("尚未建立企业档案时填写投资方名称。")
    )
    content = models.TextField(_("建设内容"), blank=True)
    # --- chain ---------------------------------------------------------------------------------------
    chain = models.ForeignKey(
        "chains.KeyChain",
        verbose_name=_("所属产业链"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    chain_node = models.ForeignKey(
        "chains.ChainNode",
        verbose_name=_("产业链节点"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    purpose = models.CharField(_("补强延"), max_length=12, choices=Purpose.choices, blank=True)
    # --- place and responsibility -------------------------------------------------------------------
    area = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("所在片区/战区"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="area_projects",
        limit_choices_to={"kind__in": sorted(k.value for k in TERRITORIAL_KINDS)},
    )
    address = models.CharField(_("建设地点"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("纬度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )
    longitude = models.DecimalField(
        _("经度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )
    responsible_leader = models.CharField(_("责任领导"), max_length=50, blank=True)
    responsible_unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        related_name="responsible_projects",
    )
    responsible_person = models.CharField(_("责任人"), max_length=50, blank=True)
    responsible_phone = models.CharField(
        _("责任人电话"), max_length=30, blank=True, validators=[validate_phone]
    )
    # --- classification ---------------------------------------------------------------------------
    level = models.CharField(_("重点项目级别"), max_length=10, choices=Level.choices, blank=True)
    project_type = models.CharField(
        _("项目类型"), max_length=20, choices=ProjectType.choices, default=ProjectType.INDUSTRIAL
    )
    investment_nature = models.CharField(
        _("投资性质"), max_length=12, choices=InvestmentNature.choices, default=InvestmentNature.SOCIAL
    )
    source = models.CharField(
        _("招引来源"), max_length=100, blank=True, help_text=_("如：以商招商、展会、驻外招商、链主引荐。")
    )
    info_provider = models.CharField(_("信息提供人"), max_length=100, blank=True)
    # --- figures (万元) -----------------------------------------------------------------------------
    total_investment = models.DecimalField(
        _("总投资（万元）"), **MONEY, default=0, validators=money_validators()
    )
    annual_plan = models.DecimalField(
        _("年度计划投资（万元）"), **MONEY, default=0, validators=money_validators()
    )
    intended_investment = models.DecimalField(
        _("意向投资（万元）"), **MONEY, null=True, blank=True, validators=money_validators()
    )
    contracted_investment = models.DecimalField(
        _("合同投资（万元）"), **MONEY, null=True, blank=True, validators=money_validators()
    )
    foreign_investment_usd = models.DecimalField(
        _("利用外资（万美元）"), **MONEY, null=True, blank=True, validators=money_validators()
    )
    expected_output = models.DecimalField(
        _("达产后年产值（万元）"), **MONEY, null=True, blank=True, validators=money_validators()
    )
    expected_tax = models.DecimalField(
        _("达产后年税收（万元）"), **MONEY, null=True, blank=True, validators=money_validators()
    )
    jobs = models.PositiveIntegerField(_("新增就业（人）"), null=True, blank=True)
    land_mu = models.DecimalField(
        _("用地（亩）"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0), message=_("用地面积不能为负数。"))],
    )
    first_output = models.DecimalField(
        _("首批产值/销售（万元）"), **MONEY, null=True, blank=True, validators=money_validators()
    )
    actual_output = models.DecimalField(
        _("实际年产值（万元）"), **MONEY, null=True, blank=True, validators=money_validators()
    )
    # --- stage and milestone dates ------------------------------------------------------------------
    stage = models.CharField(
        _("阶段"), max_length=16, choices=Stage.choices, default=Stage.LEAD, db_index=True
    )
    lead_on = models.DateField(_("获取线索日期"), null=True, blank=True)
    negotiating_on = models.DateField(_("开始洽谈日期"), null=True, blank=True, db_index=True)
    signed_on = models.DateField(_("签约日期"), null=True, blank=True, db_index=True)
    registered_on = models.DateField(_("注册日期"), null=True, blank=True, db_index=True)
    started_on = models.DateField(_("开工日期"), null=True, blank=True, db_index=True)
    completed_on = models.DateField(_("竣工日期"), null=True, blank=True)
    production_on = models.DateField(_("投产日期"), null=True, blank=True)
    capacity_on = models.DateField(_("达产日期"), null=True, blank=True)
    on_hold_on = models.DateField(_("暂缓日期"), null=True, blank=True)
    terminated_on = models.DateField(_("终止日期"), null=True, blank=True)
    stage_before_hold = models.CharField(_("暂缓前阶段"), max_length=16, choices=Stage.choices, blank=True)
    hold_reason = models.CharField(_("暂缓原因"), max_length=300, blank=True)
    terminated_reason = models.CharField(_("终止原因"), max_length=300, blank=True)
    agreement_type = models.CharField(_("协议类型"), max_length=12, choices=AgreementType.choices, blank=True)
    construction_permit_no = models.CharField(_("施工许可证号"), max_length=60, blank=True)
    planned_start_on = models.DateField(_("计划开工日期"), null=True, blank=True)
    planned_completion_on = models.DateField(_("计划竣工日期"), null=True, blank=True)
    planned_production_on = models.DateField(_("计划投产日期"), null=True, blank=True)
    # --- statistics side flags ---------------------------------------------------------------------
    fai_in_db = models.BooleanField(_("已入库纳统（固定资产投资）"), default=False)
    fai_month = models.DateField(_("入库月份"), null=True, blank=True)
    enterprise_in_stats = models.BooleanField(_("企业已纳统（四上）"), default=False)
    stats_month = models.DateField(_("企业纳统月份"), null=True, blank=True)
    stats_category = models.CharField(_("纳统类别"), max_length=20, choices=StatsCategory.choices, blank=True)

    unit_paths = ("responsible_unit", "area")
    STAGE_COLORS = STAGE_COLORS
    LEVEL_COLORS = LEVEL_COLORS
    PURPOSE_COLORS = PURPOSE_COLORS
    #: Fields the stage machine owns: edited only through ``advance_stage`` and the side-flag services.
    STAGE_FIELDS = (
        "stage",
        *STAGE_DATE_FIELD.values(),
        "stage_before_hold",
        "hold_reason",
        "terminated_reason",
        "fai_in_db",
        "fai_month",
        "enterprise_in_stats",
        "stats_month",
        "stats_category",
    )

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = pgettext_lazy("plural", "项目")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["project_code"],
                condition=~Q(project_code=""),
                name="keyproject_unique_code",
                violation_error_message=_("已有项目使用这个项目代码。"),
            ),
        ]
        indexes = [
            # The list's default order and its common filter + sort combinations (1M rows, page of 50).
            models.Index(fields=["-created"], name="project_created"),
            models.Index(fields=["stage", "-created"], name="project_stage_created"),
            models.Index(fields=["total_investment"], name="project_investment"),
            models.Index(fields=["name"], name="project_name"),
            models.Index(fields=["stage", "total_investment"], name="project_stage_investment"),
            models.Index(fields=["chain", "name"], name="project_chain_name"),
            models.Index(fields=["responsible_unit", "-created"], name="project_unit_created"),
            models.Index(fields=["area", "-created"], name="project_area_created"),
            models.Index(fields=["chain", "stage"], name="project_chain_stage"),
            models.Index(fields=["area", "stage"], name="project_area_stage"),
            models.Index(fields=["responsible_unit", "stage"], name="project_unit_stage"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:keyproject_detail", args=[self.pk])

    # --- validation ---------------------------------------------------------------------------------
    def clean(self):
        super().clean()
        errors: dict[str, list] = {}

        def add(field, message):
            errors.setdefault(field, []).append(message)

        if self.project_code:
            self.project_code = self.project_code.strip()
        if (
            self.total_investment is not None
            and self.annual_plan is not None
            and self.annual_plan > self.total_investment
        ):
            add(
                "annual_plan",
                _("年度计划投资（{}万元）不能大于总投资（{}万元）。").format(
                    self.annual_plan, self.total_investment
                ),
            )
        if self.chain_node_id:
            node_chain = (
                type(self)
                .chain_node.field.related_model.objects.filter(pk=self.chain_node_id)
                .values_list("chain_id", flat=True)
                .first()
            )
            if self.chain_id is None:
                self.chain_id = node_chain
            elif node_chain != self.chain_id:
                add("chain_node", _("所选节点不属于“{}”这条产业链，请重新选择节点。").format(self.chain))
        if self.area_id and self.area and self.area.kind not in TERRITORIAL_KINDS:
            add("area", _("所在片区只能是功能区/片区、战区或街道。"))
        today = clock.today()
        for field in (*STAGE_DATE_FIELD.values(), "fai_month", "stats_month"):
            value = getattr(self, field)
            if value and value > today:
                label = self._meta.get_field(field).verbose_name
                add(field, _("{}（{}）不能晚于今天。").format(label, value.strftime("%Y-%m-%d")))
        for field in ("planned_completion_on", "planned_production_on"):
            value = getattr(self, field)
            if value and self.planned_start_on and value < self.planned_start_on:
                add(field, _("{}不能早于计划开工日期。").format(self._meta.get_field(field).verbose_name))
        self.fai_month = month_start(self.fai_month)
        self.stats_month = month_start(self.stats_month)
        if errors:
            raise ValidationError(errors)

    # --- derived ------------------------------------------------------------------------------------
    @property
    def investor_display(self) -> str:
        return self.enterprise.name if self.enterprise_id else self.investor_name

    @property
    def is_landed(self) -> bool:
        return bool(self.signed_on or self.registered_on)

    @property
    def landed_on(self) -> datetime.date | None:
        dates = [d for d in (self.signed_on, self.registered_on) if d]
        return min(dates) if dates else None

    @property
    def is_100m_plus(self) -> bool:
        return (self.total_investment or 0) >= 10000

    def stage_date(self, stage: str) -> datetime.date | None:
        return getattr(self, STAGE_DATE_FIELD[stage])

    def construction_status(self, year: int | None = None) -> str | None:
        """The planning category of the project in ``year`` (default: this year)."""
        year = year or clock.today().year
        if self.stage == Stage.ON_HOLD and self.started_on:
            return ConstructionStatus.SUSPENDED
        if self.production_on and self.production_on.year <= year:
            return ConstructionStatus.PRODUCING
        if self.completed_on and self.completed_on.year <= year:
            return ConstructionStatus.COMPLETED
        if self.started_on:
            if self.started_on.year == year:
                return ConstructionStatus.NEW_START
            if self.started_on.year < year:
                return ConstructionStatus.CONTINUING
        if self.stage in (Stage.SIGNED, Stage.REGISTERED, Stage.NEGOTIATING):
            return ConstructionStatus.PREPARATION
        return None


class ContactRecord(PrimaryModel):
    """A visit, meeting or call with the investor (洽谈 needs at least one)."""

    project = models.ForeignKey(
        KeyProject, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="contact_records"
    )
    date = models.DateField(_("日期"))
    kind = models.CharField(
        _("方式"), max_length=10, choices=ContactKind.choices, default=ContactKind.MEETING
    )
    participants = models.CharField(_("参加人员"), max_length=200, blank=True)
    summary = models.TextField(_("情况"))

    unit_paths = ("project__responsible_unit", "project__area")

    class Meta:
        verbose_name = _("对接记录")
        verbose_name_plural = pgettext_lazy("plural", "对接记录")
        ordering = ["project", "-date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}（{self.project}）"

    def get_absolute_url(self):
        return self.project.get_absolute_url() + "#contacts"

    def clean(self):
        super().clean()
        if self.date and self.date > clock.today():
            raise ValidationError({"date": _("对接日期不能晚于今天。")})

    def changelog_parent(self):
        return self.project


def evidence_path(instance, filename: str) -> str:
    return f"evidence/{instance.project_id}/{instance.stage}/{filename}"


class StageEvidence(ChangeLoggedModel):
    """A file proving a stage: agreement scan, business licence, site photo…  Kept forever."""

    project = models.ForeignKey(
        KeyProject, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="evidence"
    )
    stage = models.CharField(_("阶段"), max_length=16, choices=Stage.choices)
    kind = models.CharField(_("材料类型"), max_length=24, choices=EvidenceKind.choices)
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=300)
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    captured_at = models.DateTimeField(_("拍摄/形成时间"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    unit_paths = ("project__responsible_unit", "project__area")

    class Meta:
        verbose_name = _("阶段证明材料")
        verbose_name_plural = pgettext_lazy("plural", "阶段证明材料")
        ordering = ["project", "created"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.original_name or self.file.name}"

    def get_absolute_url(self):
        return reverse("projects:evidence_file", args=[self.pk])

    def changelog_parent(self):
        return self.project


class StageChange(ChangeLoggedModel):
    """One move of the stage machine: the project's stage timeline."""

    project = models.ForeignKey(
        KeyProject, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(_("原阶段"), max_length=16, choices=Stage.choices)
    to_stage = models.CharField(_("新阶段"), max_length=16, choices=Stage.choices)
    on = models.DateField(_("节点日期"))
    is_correction = models.BooleanField(_("更正（回退）"), default=False)
    reason = models.CharField(_("原因"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    unit_paths = ("project__responsible_unit", "project__area")
    STAGE_COLORS = STAGE_COLORS

    class Meta:
        verbose_name = _("阶段变更")
        verbose_name_plural = pgettext_lazy("plural", "阶段变更")
        ordering = ["project", "created"]

    def __str__(self):
        return f"{self.project}：{self.get_from_stage_display()} → {self.get_to_stage_display()}（{self.on:%Y-%m-%d}）"

    def get_absolute_url(self):
        return self.project.get_absolute_url()

    def changelog_parent(self):
        return self.project
