"""Assessment (工作考核, DOMAIN.md §7): versioned schemes of weighted indicators, rankings per
period and subject kind, each subject's indicator scores, and audited manual adjustments.

A published scheme is immutable (scores were computed with it); a change is a new version, made
as a copy (``services.new_version``). Every model is change-logged; workflow steps (publish, run,
enter a value, adjust) go through ``services`` and leave audit events."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chainlead.assessment.choices import (
    FROZEN_SCHEME_STATES,
    GROUP_KIND_COLORS,
    PER_ITEM_MODES,
    RANKING_STATUS_COLORS,
    SCHEME_STATUS_COLORS,
    SCORING_MODE_COLORS,
    SOURCE_COLORS,
    TARGET_MODES,
    GroupKind,
    PeriodKind,
    RankingStatus,
    SchemeStatus,
    ScoringMode,
    Source,
    SubjectKind,
    WhenNoBase,
)
from chainlead.core.models import ChangeLoggedModel, PrimaryModel
from chainlead.organization.choices import Role

SCORE = {"max_digits": 9, "decimal_places": 2}
VALUE = {"max_digits": 18, "decimal_places": 4}
OFFICE_WRITES = {
    "add": {Role.OFFICE_ADMIN},
    "change": {Role.OFFICE_ADMIN},
    "delete": {Role.OFFICE_ADMIN},
    "approve": {Role.OFFICE_ADMIN},
}
CODE_HELP = _("英文字母、数字和下划线，以字母开头，如 signed_projects；公式中用它引用本指标。")


def frozen_message(scheme) -> str:
    return str(
        _("方案“{}”第{}版已发布，不能再修改。如需调整，请在方案页点击“生成新版本”，在新版本中修改。")
    ).format(scheme.name, scheme.revision)


class Scheme(PrimaryModel):
    """An assessment scheme (考核方案) in one version: indicator groups, weights and formulas.

    ``code`` ties the versions of one scheme together; ``revision`` counts them. Rankings compare
    with the previous period of the same ``code``, whichever version scored it."""

    name = models.CharField(_("方案名称"), max_length=100)
    code = models.SlugField(_("方案代码"), max_length=40, help_text=_("同一方案的各个版本共用此代码。"))
    revision = models.PositiveIntegerField(_("版本号"), default=1, editable=False)
    status = models.CharField(
        _("状态"), max_length=12, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT, editable=False
    )
    description = models.TextField(_("说明"), blank=True)
    total = models.DecimalField(
        _("基本分满分"),
        **SCORE,
        default=Decimal(100),
        validators=[MinValueValidator(Decimal(1))],
        help_text=_("各基本分指标组权重之和必须等于此分值；加分项、扣分项另计。"),
    )
    tiebreak = models.CharField(
        _("同分比较顺序"),
        max_length=100,
        blank=True,
        default="construction,attraction",
        help_text=_("总分相同时依次比较的指标组代码，用逗号分隔（默认先比项目建设，再比项目招引）。"),
    )
    previous = models.ForeignKey(
        "self", verbose_name=_("上一版本"), on_delete=models.SET_NULL, null=True, blank=True, editable=False
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    public_actions = frozenset({"view"})
    permission_roles = OFFICE_WRITES
    STATUS_COLORS = SCHEME_STATUS_COLORS

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = pgettext_lazy("plural", "考核方案")
        ordering = ["code", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "revision"],
                name="assessment_scheme_unique_revision",
                violation_error_message=_("该方案已有相同版本号。"),
            )
        ]

    def __str__(self):
        return f"{self.name}（第{self.revision}版）"

    def get_absolute_url(self):
        return reverse("assessment:scheme_detail", args=[self.pk])

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN_SCHEME_STATES

    @property
    def tiebreak_codes(self) -> list[str]:
        return [c.strip() for c in (self.tiebreak or "").split(",") if c.strip()]

    def clean(self):
        super().clean()
        if self.pk and self.is_frozen:
            stored = Scheme.objects.filter(pk=self.pk).values("status").first()
            if stored and stored["status"] in FROZEN_SCHEME_STATES:
                raise ValidationError(frozen_message(self))


class SchemeChild(ChangeLoggedModel):
    """A part of a scheme: refused once the scheme is published."""

    public_actions = frozenset({"view"})
    permission_roles = OFFICE_WRITES

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        scheme = getattr(self, "scheme", None) if self.scheme_id else None
        if scheme is not None and scheme.is_frozen:
            raise ValidationError(frozen_message(scheme))

    def delete(self, *args, **kwargs):
        scheme = Scheme.objects.filter(pk=self.scheme_id).first()
        if scheme is not None and scheme.is_frozen:
            raise ValidationError(frozen_message(scheme))
        return super().delete(*args, **kwargs)

    def changelog_parent(self):
        return self.scheme


class IndicatorGroup(SchemeChild):
    """A group of indicators (项目招引 30, 项目建设 35, …). For a bonus or penalty group the weight
    is the cap of the whole group (加分不超过10分)."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("考核方案"), on_delete=models.CASCADE, related_name="groups"
    )
    name = models.CharField(_("指标组"), max_length=50)
    code = models.SlugField(_("代码"), max_length=40)
    kind = models.CharField(_("类型"), max_length=10, choices=GroupKind.choices, default=GroupKind.REGULAR)
    weight = models.DecimalField(
        _("分值"),
        **SCORE,
        default=0,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("基本分指标组：本组满分；加分项/扣分项：本组封顶分值。"),
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=100)

    KIND_COLORS = GROUP_KIND_COLORS

    class Meta:
        verbose_name = _("指标组")
        verbose_name_plural = pgettext_lazy("plural", "指标组")
        ordering = ["scheme", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "code"],
                name="assessment_group_unique_code",
                violation_error_message=_("本方案已有相同代码的指标组。"),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("assessment:indicatorgroup_detail", args=[self.pk])


class Indicator(SchemeChild):
    """One indicator: what is counted, how it scores, where its value comes from (口径).

    ``source`` = computed: ``computation`` names a function of ``computations.REGISTRY`` that
    measures every subject from platform data; manual: staff enter the value with evidence."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("考核方案"), on_delete=models.CASCADE, related_name="indicators"
    )
    group = models.ForeignKey(
        IndicatorGroup, verbose_name=_("指标组"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.SlugField(_("指标代码"), max_length=40, help_text=CODE_HELP)
    name = models.CharField(_("指标名称"), max_length=100)
    weight = models.DecimalField(
        _("权重（分）"),
        **SCORE,
        default=0,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("加分项、扣分项填0（按“每项分值”和“封顶”计分）。"),
    )
    mode = models.CharField(_("计分方法"), max_length=12, choices=ScoringMode.choices)
    target = models.DecimalField(_("目标值"), **VALUE, null=True, blank=True)
    value_unit = models.CharField(_("计量单位"), max_length=20, blank=True, help_text=_("如：个、亿元、%。"))
    cap = models.DecimalField(
        _("完成比例封顶"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("完成比例的上限，如 1.2 表示最多按120%计分；比率法默认1。"),
    )
    points = models.DecimalField(
        _("每项分值"),
        **SCORE,
        null=True,
        blank=True,
        help_text=_("按次扣减、按项加分/扣分时每次（每项）的分值。"),
    )
    item_cap = models.DecimalField(_("本项封顶"), **SCORE, null=True, blank=True)
    expression = models.CharField(
        _("公式"),
        max_length=300,
        blank=True,
        help_text=_("自定义公式：可用 value、target、weight、cap 和其他指标代码，以及 min、max、abs。"),
    )
    source = models.CharField(_("数据来源"), max_length=10, choices=Source.choices, default=Source.COMPUTED)
    computation = models.CharField(_("计算口径"), max_length=60, blank=True)
    when_no_base = models.CharField(
        _("无考核基数时"),
        max_length=6,
        choices=WhenNoBase.choices,
        default=WhenNoBase.FULL,
        help_text=_("比率的分母为0（如本期没有到期的问题）时如何计分。"),
    )
    definition = models.TextField(
        _("统计口径"), blank=True, help_text=_("统计什么、按哪个日期、包括哪些情形。")
    )
    evidence_required = models.TextField(_("佐证材料要求"), blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)

    MODE_COLORS = SCORING_MODE_COLORS
    SOURCE_COLORS = SOURCE_COLORS

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = pgettext_lazy("plural", "考核指标")
        ordering = ["scheme", "group__sort_order", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "code"],
                name="assessment_indicator_unique_code",
                violation_error_message=_("本方案已有相同代码的指标。"),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("assessment:indicator_detail", args=[self.pk])

    @property
    def group_code(self) -> str:
        return self.group.code

    def formula_text(self) -> str:
        """The formula in words, for the 口径 page and the export."""
        from chainlead.assessment.texts import formula_text

        return formula_text(self)

    def clean(self):
        super().clean()
        from chainlead.assessment.computations import REGISTRY
        from chainlead.assessment.scoring import FormulaError, unknown_names

        errors: dict[str, list] = {}

        def add(name, message):
            errors.setdefault(name, []).append(message)

        if self.group_id and self.scheme_id and self.group.scheme_id != self.scheme_id:
            add("group", _("所选指标组不属于本方案。"))
        if self.mode in TARGET_MODES and not self.target:
            add("target", _("“{}”需要填写大于0的目标值。").format(ScoringMode(self.mode).label))
        if self.mode in PER_ITEM_MODES and not self.points:
            add("points", _("“{}”需要填写每项分值。").format(ScoringMode(self.mode).label))
        if self.mode in (ScoringMode.BONUS, ScoringMode.PENALTY) and self.weight:
            add("weight", _("加分项、扣分项的权重应为0，按每项分值和封顶计分。"))
        if self.source == Source.COMPUTED:
            if not self.computation:
                add("computation", _("平台数据自动计算的指标需要选择计算口径。"))
            elif self.computation not in REGISTRY:
                add("computation", _("未知的计算口径“{}”。").format(self.computation))
        if self.mode == ScoringMode.FORMULA:
            if not self.expression.strip():
                add("expression", _("自定义公式的指标需要填写公式。"))
            else:
                known = set()
                if self.scheme_id:
                    known = set(
                        Indicator.objects.filter(scheme_id=self.scheme_id).values_list("code", flat=True)
                    )
                known.discard(self.code)  # an indicator may use its own value as ``value``
                try:
                    unknown = unknown_names(self.expression, known)
                except FormulaError as exc:
                    add("expression", str(exc))
                else:
                    if unknown:
                        add(
                            "expression",
                            _("公式引用了不存在的指标“{}”。本方案的指标代码有：{}。").format(
                                "、".join(unknown), "、".join(sorted(known)) or _("（无）")
                            ),
                        )
        if errors:
            raise ValidationError(errors)


def evidence_upload(instance, filename: str) -> str:
    """assessment/evidence/<yyyy>/<random>.<ext>: the stored name reveals nothing; the original
    name is kept in the change log and shown from the evidence note."""
    import uuid
    from pathlib import PurePath

    from django.utils import timezone

    ext = PurePath(filename).suffix.lower()[:10]
    return f"assessment/evidence/{timezone.now():%Y}/{uuid.uuid4().hex}{ext}"


class Ranking(ChangeLoggedModel):
    """One scoring run: a scheme version applied to one kind of subject over one period, and its
    ranked result (the scores). Published rankings are the ones bulletins attach."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("考核方案"), on_delete=models.PROTECT, related_name="rankings"
    )
    subject_kind = models.CharField(_("考核对象"), max_length=12, choices=SubjectKind.choices)
    period_kind = models.CharField(_("考核周期"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(_("起始日期"))
    period_end = models.DateField(_("截止日期"))
    label = models.CharField(_("考核期"), max_length=60)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=RankingStatus.choices,
        default=RankingStatus.COMPUTING,
        editable=False,
    )
    job = models.ForeignKey(
        "core.Job",
        verbose_name=_("计算任务"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
    )
    previous = models.ForeignKey(
        "self", verbose_name=_("上期排名"), on_delete=models.SET_NULL, null=True, blank=True, editable=False
    )
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, editable=False)
    notes = models.TextField(_("说明"), blank=True)

    public_actions = frozenset({"view"})
    permission_roles = OFFICE_WRITES
    STATUS_COLORS = RANKING_STATUS_COLORS

    class Meta:
        verbose_name = _("考核排名")
        verbose_name_plural = pgettext_lazy("plural", "考核排名")
        ordering = ["-period_end", "subject_kind", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "subject_kind", "period_kind", "period_start", "period_end"],
                name="assessment_ranking_unique_period",
                violation_error_message=_("该方案在这一考核期已有同类对象的排名，请打开原排名重新计算。"),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="assessment_ranking_period_order",
                violation_error_message=_("截止日期不能早于起始日期。"),
            ),
        ]

    def __str__(self):
        return f"{self.label}{self.get_subject_kind_display()}考核排名"

    def get_absolute_url(self):
        return reverse("assessment:ranking_detail", args=[self.pk])


class Score(ChangeLoggedModel):
    """One subject's result in a ranking: total, group subtotals, rank and change."""

    ranking = models.ForeignKey(
        Ranking, verbose_name=_("考核排名"), on_delete=models.CASCADE, related_name="scores"
    )
    unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("考核单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    chain = models.ForeignKey(
        "chains.KeyChain",
        verbose_name=_("产业链"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("考核对象"), max_length=100)
    total = models.DecimalField(_("总分"), **SCORE, default=0)
    subtotals = models.JSONField(_("分组得分"), default=dict, blank=True)
    rank = models.PositiveIntegerField(_("名次"), default=0)
    previous_rank = models.PositiveIntegerField(_("上期名次"), null=True, blank=True)

    public_actions = frozenset({"view"})
    permission_roles = OFFICE_WRITES

    class Meta:
        verbose_name = _("考核得分")
        verbose_name_plural = pgettext_lazy("plural", "考核得分")
        ordering = ["ranking", "rank", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False, chain__isnull=True)
                | Q(unit__isnull=True, chain__isnull=False),
                name="assessment_score_one_subject",
                violation_error_message=_("考核对象应为一个单位或一条产业链。"),
            )
        ]

    def __str__(self):
        return f"{self.name} · {self.ranking.label}"

    def get_absolute_url(self):
        return reverse("assessment:score_detail", args=[self.pk])

    def changelog_parent(self):
        return self.ranking

    @property
    def subject_id(self) -> int:
        return self.unit_id or self.chain_id

    @property
    def change(self) -> int | None:
        """Places moved up since the last period (negative = down; None = not ranked then)."""
        return None if self.previous_rank is None else self.previous_rank - self.rank


class IndicatorScore(ChangeLoggedModel):
    """One indicator of one subject in one ranking: the measured value, the computed score, and
    the final score after any adjustment. Manual indicators carry their evidence here."""

    score = models.ForeignKey(
        Score, verbose_name=_("考核得分"), on_delete=models.CASCADE, related_name="items"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("考核指标"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.DecimalField(_("实际值"), **VALUE, null=True, blank=True)
    numerator = models.DecimalField(_("分子"), **VALUE, null=True, blank=True)
    denominator = models.DecimalField(_("分母"), **VALUE, null=True, blank=True)
    note = models.CharField(_("计算说明"), max_length=300, blank=True)
    computed_score = models.DecimalField(_("计算得分"), **SCORE, default=0)
    adjusted_score = models.DecimalField(_("调整后得分"), **SCORE, null=True, blank=True)
    final_score = models.DecimalField(_("得分"), **SCORE, default=0)
    entered = models.BooleanField(_("已录入"), default=False, help_text=_("人工录入的指标是否已录入实际值。"))
    evidence = models.FileField(_("佐证材料"), upload_to=evidence_upload, blank=True, max_length=200)
    evidence_note = models.TextField(_("佐证说明"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    public_actions = frozenset({"view"})
    permission_roles = OFFICE_WRITES

    class Meta:
        verbose_name = _("指标得分")
        verbose_name_plural = pgettext_lazy("plural", "指标得分")
        ordering = ["score", "indicator__group__sort_order", "indicator__sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["score", "indicator"],
                name="assessment_indicatorscore_unique",
                violation_error_message=_("该对象的这项指标已有得分。"),
            )
        ]

    def __str__(self):
        return f"{self.score.name} · {self.indicator.name}"

    def get_absolute_url(self):
        return reverse("assessment:score_detail", args=[self.score_id]) + f"#indicator-{self.indicator_id}"

    def changelog_parent(self):
        return self.score


class Adjustment(ChangeLoggedModel):
    """A manual change of one indicator score, with its reason (audited; never silent)."""

    item = models.ForeignKey(
        IndicatorScore, verbose_name=_("指标得分"), on_delete=models.CASCADE, related_name="adjustments"
    )
    old_score = models.DecimalField(_("调整前得分"), **SCORE)
    new_score = models.DecimalField(_("调整后得分"), **SCORE)
    reason = models.TextField(_("调整原因"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("调整人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    public_actions = frozenset({"view"})
    permission_roles = OFFICE_WRITES

    class Meta:
        verbose_name = _("得分调整")
        verbose_name_plural = pgettext_lazy("plural", "得分调整")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.item} {self.old_score}→{self.new_score}"

    def get_absolute_url(self):
        return self.item.get_absolute_url()

    def changelog_parent(self):
        return self.item.score

    def clean(self):
        super().clean()
        if not (self.reason or "").strip():
            raise ValidationError({"reason": _("人工调整得分必须填写调整原因。")})
