"""督查通报 (DOMAIN.md §5–§6): warning rules and lights, the consequence ladder, bulletins.

- ``WarningRule``: one rule W1–W8, its thresholds as data (a rule is never a constant in code);
- ``Light``: the colour of one component (or the overall light) of one subject — a project, an
  attack target or a unit — for one dispatch period, with the reason and the gap figures.
  Live while the period is open (recomputed nightly and when a report is approved), frozen when
  the period closes; an excuse (无正当理由之外的说明) with approver and reason turns it green;
- ``ConsequenceStep``: the consequence ladder shown beside each light (Sanya-style defaults);
- ``BulletinTemplate`` / ``Bulletin``: the 督查通报 built from a frozen period, its text sections
  editable until it is issued; issuing numbers it (西链办发〔2021〕12号, 第X期) and freezes it.

Workflow state moves only through ``chainlead.supervision.services``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chainlead.core.models import ChangeLoggedModel, PrimaryModel
from chainlead.organization.choices import Role
from chainlead.supervision.choices import (
    BULLETIN_STATUS_COLORS,
    COLOR_RANK,
    COLOR_SHORT,
    LIGHT_COLORS,
    RULE_CODES,
    SUBJECT_KIND_COLORS,
    BulletinStatus,
    Component,
    Direction,
    LightColor,
    ScopeKind,
    SubjectKind,
)

OFFICE_ONLY = {"add": {Role.OFFICE_ADMIN}, "change": {Role.OFFICE_ADMIN}, "delete": {Role.OFFICE_ADMIN}}
THRESHOLD = {"max_digits": 12, "decimal_places": 2, "null": True, "blank": True}


def _user_fk(label):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=label,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )


class WarningRule(PrimaryModel):
    """One warning rule (DOMAIN.md §5). The engine measures a value per subject (a gap in
    percentage points, days or months overdue, consecutive missed cycles, a growth rate) and this
    row turns it into a colour: red from ``red_at``, orange from ``orange_at`` (optional tier),
    yellow from ``yellow_at``, else green. ``*_strict`` makes a threshold exclusive ("> 30" instead
    of "≥ 30"); ``direction`` says whether a larger value is worse."""

    code = models.CharField(
        _("编号"), max_length=4, choices=[(c.value, c.label) for c in RULE_CODES], unique=True
    )
    name = models.CharField(_("名称"), max_length=60)
    applies_to = models.CharField(_("适用对象"), max_length=60, blank=True)
    measure = models.CharField(
        _("计量"), max_length=30, help_text=_("如：个百分点、天、个工作日、个月、期、%。")
    )
    direction = models.CharField(
        _("方向"), max_length=8, choices=Direction.choices, default=Direction.HIGHER_IS_WORSE
    )
    yellow_at = models.DecimalField(_("黄灯阈值"), **THRESHOLD)
    yellow_strict = models.BooleanField(_("黄灯不含等于"), default=False)
    orange_at = models.DecimalField(_("橙灯阈值"), **THRESHOLD, help_text=_("可选的橙灯档，留空则不启用。"))
    orange_strict = models.BooleanField(_("橙灯不含等于"), default=False)
    red_at = models.DecimalField(_("红灯阈值"), **THRESHOLD)
    red_strict = models.BooleanField(_("红灯不含等于"), default=False)
    min_annual_plan = models.DecimalField(
        _("适用的最低年度计划（万元）"),
        max_digits=18,
        decimal_places=2,
        default=0,
        help_text=_("W1：只对年度计划投资不低于此数的项目亮灯（三亚做法为1000万元）；0为全部。"),
    )
    compare_average = models.BooleanField(
        _("同时比较平均水平"), default=False, help_text=_("W7：低于全区平均也亮黄灯。")
    )
    description = models.TextField(_("规则说明"), blank=True)
    source = models.CharField(_("依据"), max_length=100, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    public_actions = frozenset({"view"})
    permission_roles = OFFICE_ONLY

    class Meta:
        verbose_name = _("预警规则")
        verbose_name_plural = pgettext_lazy("plural", "预警规则")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("supervision:warningrule_detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.yellow_at is None and self.red_at is None:
            raise ValidationError(_("黄灯阈值和红灯阈值至少要填一个。"))
        tiers = [t for t in (self.yellow_at, self.orange_at, self.red_at) if t is not None]
        ordered = (
            sorted(tiers) if self.direction == Direction.HIGHER_IS_WORSE else sorted(tiers, reverse=True)
        )
        if tiers != ordered:
            if self.direction == Direction.HIGHER_IS_WORSE:
                message = _("数值越大越差时，阈值应为 黄灯 ≤ 橙灯 ≤ 红灯。")
            else:
                message = _("数值越小越差时，阈值应为 黄灯 ≥ 橙灯 ≥ 红灯。")
            raise ValidationError({"red_at": message})

    def _hit(self, value: Decimal, threshold, strict: bool) -> bool:
        if threshold is None:
            return False
        if self.direction == Direction.HIGHER_IS_WORSE:
            return value > threshold if strict else value >= threshold
        return value < threshold if strict else value <= threshold

    def classify(self, value) -> str:
        """The colour of a measured value (green for no value)."""
        if value is None:
            return LightColor.GREEN
        value = Decimal(value)
        if self._hit(value, self.red_at, self.red_strict):
            return LightColor.RED
        if self._hit(value, self.orange_at, self.orange_strict):
            return LightColor.ORANGE
        if self._hit(value, self.yellow_at, self.yellow_strict):
            return LightColor.YELLOW
        return LightColor.GREEN

    def _threshold_text(self, threshold, strict) -> str:
        if threshold is None:
            return "—"
        op = (
            (">" if strict else "≥")
            if self.direction == Direction.HIGHER_IS_WORSE
            else ("<" if strict else "≤")
        )
        return f"{op} {threshold.normalize():f}{self.measure}"

    @property
    def thresholds_text(self) -> str:
        parts = [
            _("黄灯 {}").format(self._threshold_text(self.yellow_at, self.yellow_strict)),
        ]
        if self.orange_at is not None:
            parts.append(_("橙灯 {}").format(self._threshold_text(self.orange_at, self.orange_strict)))
        parts.append(_("红灯 {}").format(self._threshold_text(self.red_at, self.red_strict)))
        return "；".join(str(p) for p in parts)


class Light(ChangeLoggedModel):
    """The colour of one component of one subject in one period (or, with component "overall",
    the worst of them). ``subject_key`` ("project:12") identifies the subject across periods, so
    the history survives a renamed or deleted project."""

    period = models.ForeignKey(
        "dispatch.Period", verbose_name=_("调度期"), on_delete=models.CASCADE, related_name="lights"
    )
    subject_kind = models.CharField(_("对象类型"), max_length=8, choices=SubjectKind.choices)
    subject_key = models.CharField(_("对象标识"), max_length=30, editable=False)
    subject_name = models.CharField(_("对象"), max_length=200)
    project = models.ForeignKey(
        "projects.KeyProject",
        verbose_name=_("项目"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lights",
    )
    target = models.ForeignKey(
        "targets.AttackTarget",
        verbose_name=_("攻坚目标"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lights",
    )
    unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("考核单位"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="unit_lights",
    )
    responsible_unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("责任单位"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsible_lights",
    )
    component = models.CharField(_("预警项"), max_length=8, choices=Component.choices, db_index=True)
    color = models.CharField(_("灯色"), max_length=8, choices=LightColor.choices, db_index=True)
    reason_code = models.CharField(_("原因代码"), max_length=40, blank=True)
    reason = models.CharField(_("原因"), max_length=300, blank=True)
    value = models.DecimalField(_("差距"), max_digits=14, decimal_places=2, null=True, blank=True)
    figures = models.JSONField(_("数据"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    is_frozen = models.BooleanField(_("已冻结"), default=False, db_index=True)
    frozen_at = models.DateTimeField(_("冻结时间"), null=True, blank=True)
    previous_color = models.CharField(_("上期灯色"), max_length=8, choices=LightColor.choices, blank=True)
    streak = models.PositiveSmallIntegerField(
        _("连续期数"), default=1, help_text=_("连续多少期处于此灯色或更差（绿灯为连续绿灯期数）。")
    )
    excused = models.BooleanField(_("已说明免亮"), default=False)
    excused_by = _user_fk(_("批准人"))
    excused_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    excuse_reason = models.CharField(_("正当理由"), max_length=300, blank=True)

    unit_paths = ("responsible_unit",)
    permission_roles = {
        "add": {Role.OFFICE_ADMIN},
        "change": {Role.OFFICE_ADMIN},
        "delete": {Role.OFFICE_ADMIN},
        "approve": {Role.OFFICE_ADMIN, Role.LEADER},
    }
    COLOR_COLORS = LIGHT_COLORS
    SUBJECT_KIND_COLORS = SUBJECT_KIND_COLORS

    class Meta:
        verbose_name = _("预警灯")
        verbose_name_plural = pgettext_lazy("plural", "预警灯")
        ordering = ["-period__start", "subject_kind", "subject_name", "component"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "subject_key", "component"],
                name="supervision_light_unique",
                violation_error_message=_("该对象在这一期已有这项预警灯。"),
            ),
        ]
        indexes = [
            models.Index(fields=["period", "component", "color"], name="supervision_light_period"),
            models.Index(fields=["subject_key", "component"], name="supervision_light_subject"),
            models.Index(fields=["responsible_unit", "component"], name="supervision_light_unit"),
        ]

    def __str__(self):
        period = self.period.short_label if self.period_id else ""
        return f"{self.subject_name} · {self.get_component_display()} · {period}"

    def get_absolute_url(self):
        return reverse("supervision:light_detail", args=[self.pk])

    @property
    def effective_color(self) -> str:
        """The colour that counts: an excused light is green."""
        return LightColor.GREEN if self.excused else self.color

    @property
    def effective_label(self) -> str:
        return str(LightColor(self.effective_color).label)

    @property
    def short(self) -> str:
        return str(COLOR_SHORT[LightColor(self.effective_color)])

    @property
    def rank(self) -> int:
        return COLOR_RANK[LightColor(self.effective_color)]

    @property
    def subject(self):
        return self.project or self.target or self.unit

    @property
    def history_url(self) -> str:
        kind, _sep, pk = self.subject_key.partition(":")
        return reverse("supervision:light_history", args=[kind, int(pk)])


class ConsequenceStep(PrimaryModel):
    """One rung of the consequence ladder (DOMAIN.md §5, Sanya-style): what follows a light of
    ``color`` held for at least ``min_streak`` consecutive periods. The highest rung that applies
    is shown beside the light."""

    color = models.CharField(_("灯色"), max_length=8, choices=LightColor.choices)
    min_streak = models.PositiveSmallIntegerField(_("连续期数"), default=1)
    measure = models.CharField(_("措施"), max_length=200, help_text=_("如：约谈项目责任人。"))
    by_whom = models.CharField(_("实施人"), max_length=100, blank=True, help_text=_("如：分管区领导。"))
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=10)
    is_active = models.BooleanField(_("启用"), default=True)

    public_actions = frozenset({"view"})
    permission_roles = OFFICE_ONLY
    COLOR_COLORS = LIGHT_COLORS

    class Meta:
        verbose_name = _("问责措施")
        verbose_name_plural = pgettext_lazy("plural", "问责措施")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        streak = _("连续{}期").format(self.min_streak) if self.min_streak > 1 else ""
        return f"{streak}{self.get_color_display()}：{self.measure}"

    def get_absolute_url(self):
        return reverse("supervision:consequencestep_detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.color == LightColor.GREEN:
            raise ValidationError({"color": _("绿灯不设问责措施，请选择黄灯、橙灯或红灯。")})
        if self.min_streak is not None and self.min_streak < 1:
            raise ValidationError({"min_streak": _("连续期数至少为1。")})


class BulletinTemplate(PrimaryModel):
    """The defaults a new bulletin starts from: issuer, 发文机关代字, addressees and the text of
    the basis and requirements sections. Placeholders: {period} (2021年11月), {range} (1–11月),
    {scope} (全区 / 古镇口核心区 / 新一代半导体产业链), {year}, {month}."""

    name = models.CharField(_("名称"), max_length=60)
    is_default = models.BooleanField(_("默认模板"), default=False)
    issuer = models.CharField(_("发文机关标志"), max_length=60)
    issuer_code = models.CharField(_("发文机关代字"), max_length=20, help_text=_("如：西链办发。"))
    signer = models.CharField(_("发文机关署名"), max_length=60, blank=True)
    addressee = models.CharField(_("主送机关"), max_length=200)
    title_pattern = models.CharField(
        _("标题格式"), max_length=120, default="关于{scope}{range}重点项目推进情况的通报"
    )
    basis_text = models.TextField(_("通报依据和方法"))
    requirements_text = models.TextField(_("下步工作要求"))
    copy_to = models.CharField(_("抄送"), max_length=200, blank=True)
    printer = models.CharField(_("印发机关"), max_length=60, blank=True)

    public_actions = frozenset({"view"})
    permission_roles = OFFICE_ONLY

    class Meta:
        verbose_name = _("通报模板")
        verbose_name_plural = pgettext_lazy("plural", "通报模板")
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="supervision_template_one_default",
                violation_error_message=_("只能有一个默认模板，请先取消原默认模板。"),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("supervision:bulletintemplate_detail", args=[self.pk])


def bulletin_path(instance, filename: str) -> str:
    return f"supervision/bulletins/{instance.pk or 'new'}/{filename}"


class Bulletin(PrimaryModel):
    """A 督查通报 for one closed period and one scope. A draft is built by a job from the period's
    frozen lights (``data`` holds the snapshot the document is written from) and its text
    sections may be edited; issuing gives it the next 发文字号 and 期号 of the year and makes it
    immutable — archived with its .docx (and .pdf)."""

    period = models.ForeignKey(
        "dispatch.Period", verbose_name=_("调度期"), on_delete=models.PROTECT, related_name="bulletins"
    )
    scope_kind = models.CharField(_("范围"), max_length=8, choices=ScopeKind.choices, default=ScopeKind.ALL)
    scope_unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("功能区"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bulletins",
    )
    scope_chain = models.ForeignKey(
        "chains.KeyChain",
        verbose_name=_("产业链"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bulletins",
    )
    template = models.ForeignKey(
        BulletinTemplate,
        verbose_name=_("模板"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bulletins",
    )
    status = models.CharField(
        _("状态"),
        max_length=8,
        choices=BulletinStatus.choices,
        default=BulletinStatus.DRAFT,
        editable=False,
        db_index=True,
    )
    title = models.CharField(_("标题"), max_length=200, blank=True)
    addressee = models.CharField(_("主送机关"), max_length=200, blank=True)
    issuer = models.CharField(_("发文机关标志"), max_length=60, blank=True)
    issuer_code = models.CharField(_("发文机关代字"), max_length=20, blank=True)
    signer = models.CharField(_("发文机关署名"), max_length=60, blank=True)
    year = models.PositiveSmallIntegerField(_("年份"), null=True, blank=True, editable=False)
    number = models.PositiveIntegerField(_("发文序号"), null=True, blank=True, editable=False)
    issue_no = models.PositiveIntegerField(_("期号"), null=True, blank=True, editable=False)
    basis_text = models.TextField(_("通报依据和方法"), blank=True)
    overall_text = models.TextField(_("一、总体情况"), blank=True)
    good_text = models.TextField(_("二、进展较好"), blank=True)
    lagging_text = models.TextField(_("三、进展滞后"), blank=True)
    problems_text = models.TextField(_("四、存在问题"), blank=True)
    requirements_text = models.TextField(_("五、下步工作要求"), blank=True)
    copy_to = models.CharField(_("抄送"), max_length=200, blank=True)
    printer = models.CharField(_("印发机关"), max_length=60, blank=True)
    data = models.JSONField(_("通报数据"), default=dict, blank=True, editable=False)
    docx = models.FileField(_("Word文件"), upload_to=bulletin_path, blank=True, editable=False)
    pdf = models.FileField(_("PDF文件"), upload_to=bulletin_path, blank=True, editable=False)
    generated_at = models.DateTimeField(_("生成时间"), null=True, blank=True, editable=False)
    job = models.ForeignKey(
        "core.Job",
        verbose_name=_("生成任务"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    issued_on = models.DateField(_("印发日期"), null=True, blank=True, editable=False)
    issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True, editable=False)
    issued_by = _user_fk(_("签发人"))

    public_actions = frozenset({"view"})
    permission_roles = OFFICE_ONLY
    STATUS_COLORS = BULLETIN_STATUS_COLORS

    class Meta:
        verbose_name = _("督查通报")
        verbose_name_plural = pgettext_lazy("plural", "督查通报")
        ordering = ["-period__start", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer_code", "year", "number"],
                condition=Q(number__isnull=False),
                name="supervision_bulletin_unique_number",
                violation_error_message=_("该发文字号已被使用。"),
            ),
            models.UniqueConstraint(
                fields=["issuer_code", "year", "issue_no"],
                condition=Q(issue_no__isnull=False),
                name="supervision_bulletin_unique_issue",
                violation_error_message=_("该期号已被使用。"),
            ),
        ]

    def __str__(self):
        if self.is_issued:
            return f"{self.doc_number} {self.title}"
        return self.title or _("{}督查通报（草稿）").format(self.period.label if self.period_id else "")

    def get_absolute_url(self):
        return reverse("supervision:bulletin_detail", args=[self.pk])

    @property
    def is_issued(self) -> bool:
        return self.status == BulletinStatus.ISSUED

    @property
    def doc_number(self) -> str:
        """发文字号: 西链办发〔2021〕12号 (a draft shows 〔2021〕 with an empty number)."""
        year = self.year or (self.period.end.year if self.period_id else "")
        number = self.number if self.number else "　"
        return f"{self.issuer_code}〔{year}〕{number}号"

    @property
    def issue_label(self) -> str:
        return _("第{}期").format(self.issue_no) if self.issue_no else ""

    @property
    def scope_label(self) -> str:
        if self.scope_kind == ScopeKind.ZONE and self.scope_unit_id:
            return self.scope_unit.name
        if self.scope_kind == ScopeKind.CHAIN and self.scope_chain_id:
            return _("{}产业链").format(str(self.scope_chain.name).removesuffix("产业链"))
        return str(_("全区"))

    def clean(self):
        super().clean()
        if self.pk and type(self).objects.filter(pk=self.pk, status=BulletinStatus.ISSUED).exists():
            raise ValidationError(_("通报已印发，不能再修改；如需更正，请另发通报。"))
        if self.scope_kind == ScopeKind.ZONE and not self.scope_unit_id:
            raise ValidationError({"scope_unit": _("按功能区通报时请选择功能区。")})
        if self.scope_kind == ScopeKind.CHAIN and not self.scope_chain_id:
            raise ValidationError({"scope_chain": _("按产业链通报时请选择产业链。")})
