"""Workflow verbs of assessment: publish a scheme, make a new version, set the weights, run a
scoring, enter a manual value, adjust a score, publish a ranking.

Each runs in one transaction, checks the permission again inside it, records an audit event and
refuses bad input with a ``ServiceError`` whose message says what is wrong (nothing is written).
"""

from __future__ import annotations

import calendar
import datetime
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chainlead.assessment.choices import (
    GroupKind,
    PeriodKind,
    RankingStatus,
    SchemeStatus,
    ScoringMode,
    Source,
    SubjectKind,
)
from chainlead.assessment.models import (
    Adjustment,
    Indicator,
    IndicatorGroup,
    IndicatorScore,
    Ranking,
    Scheme,
    Score,
    frozen_message,
)
from chainlead.assessment.scoring import FormulaError, score_table, unknown_names
from chainlead.assessment.texts import num
from chainlead.core import clock
from chainlead.core.audit import record_event
from chainlead.core.context import change_context, current
from chainlead.core.exceptions import ConflictError, ForbiddenAction, ServiceError

ZERO = Decimal(0)
QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}


@contextmanager
def _acting_as(by):
    """Attribute writes to ``by`` outside a request or job (shell, tests, demo)."""
    ctx = current()
    if ctx.user is None and by is not None:
        with change_context(user=by, request_id=ctx.request_id, source=ctx.source, batch_id=ctx.batch_id):
            yield
    else:
        yield


def _require(obj, by, action: str = "change") -> None:
    """Only the office writes assessment data; re-checked inside every verb."""
    from chainlead.organization.permissions import get_scope

    if by is None or not getattr(by, "is_authenticated", False) or not get_scope(by).has_perm(obj, action):
        raise ForbiddenAction(_("只有领导小组办公室可以维护考核方案、计算和调整考核得分。"))


def _validation_message(exc: ValidationError) -> str:
    return "；".join(exc.messages)


# ================================================================================================
# schemes
# ================================================================================================
def scheme_problems(
    scheme: Scheme, *, weights: dict | None = None, group_weights: dict | None = None
) -> list[str]:
    """Everything that keeps ``scheme`` from being used, in plain words (empty = ready).

    ``weights`` / ``group_weights`` ({id: Decimal}) check proposed values instead of stored ones."""
    weights = weights or {}
    group_weights = group_weights or {}
    groups = list(scheme.groups.order_by("sort_order", "pk"))
    indicators = list(scheme.indicators.select_related("group").order_by("sort_order", "pk"))
    problems = []
    if not indicators:
        problems.append(_("方案还没有任何指标。"))
    regular = [g for g in groups if g.kind == GroupKind.REGULAR]
    gw = {g.pk: Decimal(group_weights.get(g.pk, g.weight)) for g in groups}
    iw = {i.pk: Decimal(weights.get(i.pk, i.weight)) for i in indicators}
    group_sum = sum((gw[g.pk] for g in regular), ZERO)
    if group_sum != scheme.total:
        parts = "、".join(f"{g.name}{num(gw[g.pk])}" for g in regular)
        problems.append(
            _("各基本分指标组的分值合计为{}分（{}），不等于方案满分{}分，请调整后再保存。").format(
                num(group_sum), parts, num(scheme.total)
            )
        )
    for group in regular:
        members = [i for i in indicators if i.group_id == group.pk]
        subtotal = sum((iw[i.pk] for i in members), ZERO)
        if subtotal != gw[group.pk]:
            parts = "、".join(f"{i.name}{num(iw[i.pk])}" for i in members) or _("（无指标）")
            problems.append(
                _("“{}”组各指标权重合计为{}分（{}），不等于该组分值{}分。").format(
                    group.name, num(subtotal), parts, num(gw[group.pk])
                )
            )
    codes = {i.code for i in indicators}
    for ind in indicators:
        if ind.mode == ScoringMode.FORMULA:
            try:
                unknown = unknown_names(ind.expression, codes - {ind.code})
            except FormulaError as exc:
                problems.append(_("指标“{}”：{}").format(ind.name, exc))
                continue
            if unknown:
                problems.append(
                    _("指标“{}”的公式引用了不存在的指标“{}”。").format(ind.name, "、".join(unknown))
                )
    group_codes = {g.code for g in groups}
    for code in scheme.tiebreak_codes:
        if code not in group_codes:
            problems.append(_("同分比较顺序中的指标组“{}”不存在。").format(code))
    return problems


def publish_scheme(scheme: Scheme, *, by) -> Scheme:
    """Draft → published: from now on the version is immutable."""
    with _acting_as(by), transaction.atomic():
        _require(scheme, by)
        fresh = Scheme.objects.select_for_update().get(pk=scheme.pk)
        if fresh.status != SchemeStatus.DRAFT:
            raise ServiceError(_("方案“{}”不是草稿，不能发布。").format(fresh))
        problems = scheme_problems(fresh)
        if problems:
            raise ServiceError(_("方案不能发布：") + "".join(problems))
        # Earlier published versions of the same scheme retire: one version is current.
        for old in Scheme.objects.filter(code=fresh.code, status=SchemeStatus.PUBLISHED).exclude(pk=fresh.pk):
            old.status = SchemeStatus.RETIRED
            old.save(update_fields=["status"])
        fresh.status = SchemeStatus.PUBLISHED
        fresh.published_at = timezone.now()
        fresh.published_by = by
        fresh.save(update_fields=["status", "published_at", "published_by"])
        record_event(fresh, "scheme_published", by=by, message=str(fresh))
    return fresh


def new_version(scheme: Scheme, *, by) -> Scheme:
    """A draft copy of ``scheme`` (groups and indicators) with the next revision number."""
    with _acting_as(by), transaction.atomic():
        _require(scheme, by, "add")
        latest = Scheme.objects.filter(code=scheme.code).order_by("-revision").first()
        copy = Scheme.objects.create(
            name=scheme.name,
            code=scheme.code,
            revision=latest.revision + 1,
            status=SchemeStatus.DRAFT,
            description=scheme.description,
            total=scheme.total,
            tiebreak=scheme.tiebreak,
            previous=scheme,
            comments=scheme.comments,
        )
        groups = {}
        for group in scheme.groups.all():
            groups[group.pk] = IndicatorGroup.objects.create(
                scheme=copy,
                name=group.name,
                code=group.code,
                kind=group.kind,
                weight=group.weight,
                sort_order=group.sort_order,
            )
        copied = (
            "code",
            "name",
            "weight",
            "mode",
            "target",
            "value_unit",
            "cap",
            "points",
            "item_cap",
            "expression",
            "source",
            "computation",
            "when_no_base",
            "definition",
            "evidence_required",
            "sort_order",
        )
        for ind in scheme.indicators.all():
            Indicator.objects.create(
                scheme=copy, group=groups[ind.group_id], **{f: getattr(ind, f) for f in copied}
            )
        record_event(copy, "scheme_versioned", by=by, message=_("由第{}版复制").format(scheme.revision))
    return copy


def _weights_conflict(fresh: Scheme, seen: dict[str, int]) -> None:
    """Refuse when a group or indicator was changed (or added, or removed) after the weights page
    was opened: ``seen`` maps ``g<id>``/``i<id>`` to the version the page showed."""
    now = {f"g{g.pk}": g for g in fresh.groups.all()} | {f"i{i.pk}": i for i in fresh.indicators.all()}
    changed = [obj.name for key, obj in now.items() if seen.get(key) != obj.version]
    removed = [key for key in seen if key not in now]
    if changed or removed:
        names = "、".join(f"“{n}”" for n in changed[:5]) + (_("等{}项").format(len(changed)) if len(changed) > 5 else "")
        raise ConflictError(
            fresh,
            _(
                "保存失败：在您打开权重页面之后，他人已修改了考核方案“{}”的{}。您填写的权重尚未保存，"
                "仍保留在下方；请刷新页面查看最新权重后重新填写。"
            ).format(fresh, names or _("指标设置")),
        )


def set_weights(
    scheme: Scheme,
    *,
    weights: dict,
    group_weights: dict | None = None,
    by,
    seen_versions: dict[str, int] | None = None,
) -> Scheme:
    """Save the weights of a draft scheme's indicators (and groups) at once. Refused, with nothing
    saved, when the weights would not add up (DOMAIN §7.2: 100 points), or — given the versions
    the weights page was opened on — when someone changed the scheme's groups or indicators since
    (``ConflictError``)."""
    group_weights = group_weights or {}
    with _acting_as(by), transaction.atomic():
        _require(scheme, by)
        fresh = Scheme.objects.select_for_update().get(pk=scheme.pk)
        if fresh.is_frozen:
            raise ServiceError(frozen_message(fresh))
        if seen_versions is not None:
            _weights_conflict(fresh, seen_versions)
        try:
            weights = {int(k): Decimal(v) for k, v in weights.items()}
            group_weights = {int(k): Decimal(v) for k, v in group_weights.items()}
        except (InvalidOperation, TypeError, ValueError):
            raise ServiceError(_("权重必须是数字。"))
        if any(v < 0 for v in [*weights.values(), *group_weights.values()]):
            raise ServiceError(_("权重不能为负数。"))
        problems = scheme_problems(fresh, weights=weights, group_weights=group_weights)
        if problems:
            raise ServiceError("".join(problems), code="weights")
        changed = []
        for group in fresh.groups.filter(pk__in=list(group_weights)):
            if group.weight != group_weights[group.pk]:
                group.weight = group_weights[group.pk]
                group.save(update_fields=["weight"])
                changed.append(f"{group.name}={num(group.weight)}")
        for ind in fresh.indicators.filter(pk__in=list(weights)):
            if ind.weight != weights[ind.pk]:
                ind.weight = weights[ind.pk]
                ind.save(update_fields=["weight"])
                changed.append(f"{ind.name}={num(ind.weight)}")
        if changed:
            record_event(fresh, "weights_changed", by=by, message="；".join(changed))
    return fresh


# ================================================================================================
# periods
# ================================================================================================
@dataclass(frozen=True)
class AssessmentPeriod:
    kind: str
    start: datetime.date
    end: datetime.date
    label: str


def period_for(
    kind: str, year: int, number: int = 1, *, today: datetime.date | None = None
) -> AssessmentPeriod:
    """The dates and Chinese label of a month, quarter or year. A period still running ends
    today ("截至11月30日"); one that has not begun is refused."""
    today = today or clock.today()
    if kind == PeriodKind.YEAR:
        start, end, label = datetime.date(year, 1, 1), datetime.date(year, 12, 31), f"{year}年度"
    elif kind == PeriodKind.QUARTER:
        if not 1 <= number <= 4:
            raise ServiceError(_("季度应为1至4。"), field="number")
        month = 3 * (number - 1) + 1
        start = datetime.date(year, month, 1)
        end = datetime.date(year, month + 2, calendar.monthrange(year, month + 2)[1])
        label = f"{year}年{QUARTER_NAMES[number]}"
    elif kind == PeriodKind.MONTH:
        if not 1 <= number <= 12:
            raise ServiceError(_("月份应为1至12。"), field="number")
        start = datetime.date(year, number, 1)
        end = datetime.date(year, number, calendar.monthrange(year, number)[1])
        label = f"{year}年{number}月"
    else:
        raise ServiceError(_("未知的考核周期。"), field="period_kind")
    if start > today:
        raise ServiceError(_("{}尚未开始，不能考核。").format(label), field="number")
    if end > today:
        end = today
        label += _("（截至{}月{}日）").format(today.month, today.day)
    return AssessmentPeriod(kind, start, end, label)


def months_in(start: datetime.date, end: datetime.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def effective_target(indicator: Indicator, ranking: Ranking) -> Decimal | None:
    """Targets are annual: a shorter period uses its time-elapsed share (a quarter = 3/12)."""
    if indicator.target is None:
        return None
    months = min(12, months_in(ranking.period_start, ranking.period_end))
    return (indicator.target * months / 12).quantize(Decimal("0.0001"))


# ================================================================================================
# scoring
# ================================================================================================
def prepare_ranking(
    *, scheme: Scheme, subject_kind: str, period_kind: str, year: int, number: int = 1, by
) -> Ranking:
    """Create (or reuse) the ranking of a period, checked and marked as computing (no job)."""
    with _acting_as(by), transaction.atomic():
        _require(scheme, by, "approve")
        if subject_kind not in SubjectKind.values:
            raise ServiceError(_("请选择考核对象。"), field="subject_kind")
        problems = scheme_problems(scheme)
        if problems:
            raise ServiceError(_("方案“{}”还不能用于考核：").format(scheme) + "".join(problems))
        if scheme.status == SchemeStatus.RETIRED:
            raise ServiceError(_("方案“{}”已停用，请使用当前版本。").format(scheme), field="scheme")
        period = period_for(period_kind, int(year), int(number or 1))
        ranking = (
            Ranking.objects.select_for_update()
            .filter(
                scheme=scheme, subject_kind=subject_kind, period_kind=period.kind, period_start=period.start
            )
            .first()
        )
        if ranking is not None and ranking.status == RankingStatus.PUBLISHED:
            raise ServiceError(_("{}已发布，不能重新计算。").format(ranking))
        if (
            ranking is not None
            and ranking.status == RankingStatus.COMPUTING
            and ranking.job_id
            and not ranking.job.is_finished
        ):
            raise ServiceError(_("{}正在计算中，请稍候。").format(ranking))
        if ranking is None:
            ranking = Ranking(
                scheme=scheme, subject_kind=subject_kind, period_kind=period.kind, period_start=period.start
            )
        ranking.period_end = period.end
        ranking.label = period.label
        ranking.status = RankingStatus.COMPUTING
        ranking.full_clean()
        ranking.save()
    return ranking


def start_ranking(
    *, scheme: Scheme, subject_kind: str, period_kind: str, year: int, number: int = 1, by
) -> Ranking:
    """Create (or reuse) the ranking of a period and queue its scoring job (with a progress bar)."""
    from chainlead.core.jobs import enqueue_job

    with _acting_as(by), transaction.atomic():
        ranking = prepare_ranking(
            scheme=scheme, subject_kind=subject_kind, period_kind=period_kind, year=year, number=number, by=by
        )
        job = enqueue_job(
            "assessment.score",
            label=_("考核计分：{}").format(ranking)[:200],
            by=by,
            ranking_id=ranking.pk,
        )
        ranking.job = job
        ranking.save(update_fields=["job"])
    return ranking


def find_previous(ranking: Ranking) -> Ranking | None:
    """The ranking of the period before: same scheme code, subject kind and period kind, ended
    before this one starts, with results."""
    from chainlead.assessment.choices import RESULT_STATES

    return (
        Ranking.objects.filter(
            scheme__code=ranking.scheme.code,
            subject_kind=ranking.subject_kind,
            period_kind=ranking.period_kind,
            period_end__lt=ranking.period_start,
            status__in=list(RESULT_STATES),
        )
        .order_by("-period_end", "-pk")
        .first()
    )


def compute_ranking(ranking: Ranking, *, progress=None, by=None) -> Ranking:
    """Measure every subject from platform data and score the ranking. Manual values and
    adjustments already entered for this ranking are kept."""
    from chainlead.assessment.computations import ComputeContext, subjects_for

    progress = progress or (lambda done, total, message: None)
    with _acting_as(by), transaction.atomic():
        ranking = Ranking.objects.select_related("scheme").get(pk=ranking.pk)
        indicators = list(
            ranking.scheme.indicators.select_related("group").order_by("group__sort_order", "sort_order")
        )
        subjects = subjects_for(ranking.subject_kind)
        ctx = ComputeContext(ranking.subject_kind, ranking.period_start, ranking.period_end, subjects)
        computed = [i for i in indicators if i.source == Source.COMPUTED]
        total_steps = len(computed) + 2
        kept = {
            (item.score.unit_id or item.score.chain_id, item.indicator.code): item
            for item in IndicatorScore.objects.filter(score__ranking=ranking).select_related(
                "score", "indicator"
            )
            if item.entered or item.adjusted_score is not None
        }
        measures = {}
        from chainlead.assessment.computations import REGISTRY

        for step, ind in enumerate(computed, start=1):
            progress(step - 1, total_steps, _("正在计算：{}").format(ind.name))
            comp = REGISTRY[ind.computation]
            if ranking.subject_kind not in comp.kinds:
                measures[ind.code] = {}
                continue
            if ind.computation not in ctx.cache.setdefault("_measured", {}):
                ctx.cache["_measured"][ind.computation] = comp.func(ctx)
            measures[ind.code] = ctx.cache["_measured"][ind.computation]
        progress(len(computed), total_steps, _("正在排名"))
        # Adjustments hang on the old indicator rows: move them to the new rows before deleting.
        old_adjustments = {key: list(item.adjustments.all()) for key, item in kept.items()}
        Score.objects.filter(ranking=ranking).delete()
        for subject in subjects:
            score = Score.objects.create(
                ranking=ranking,
                unit=subject.unit,
                chain=subject.chain,
                name=subject.name,
            )
            items = []
            for ind in indicators:
                old = kept.get((subject.key, ind.code))
                item = IndicatorScore(score=score, indicator=ind)
                if ind.source == Source.COMPUTED:
                    m = measures.get(ind.code, {}).get(subject.key)
                    if m is not None:
                        item.value, item.numerator, item.denominator, item.note = (
                            m.value,
                            m.numerator,
                            m.denominator,
                            m.note[:300],
                        )
                    elif ranking.subject_kind not in REGISTRY[ind.computation].kinds:
                        item.note = _("不适用于该类考核对象")
                if old is not None:
                    if ind.source == Source.MANUAL and old.entered:
                        item.value, item.entered = old.value, True
                        item.evidence, item.evidence_note, item.entered_by = (
                            old.evidence,
                            old.evidence_note,
                            old.entered_by,
                        )
                    item.adjusted_score = old.adjusted_score
                items.append(item)
            IndicatorScore.objects.bulk_create(items)
            for item in items:
                for adj in old_adjustments.get((subject.key, item.indicator.code), []):
                    Adjustment.objects.create(
                        item=item,
                        old_score=adj.old_score,
                        new_score=adj.new_score,
                        reason=adj.reason,
                        by=adj.by,
                    )
        ranking.previous = find_previous(ranking)
        ranking.status = RankingStatus.COMPUTED
        ranking.computed_at = timezone.now()
        ranking.save(update_fields=["previous", "status", "computed_at"])
        rescore(ranking)
        record_event(
            ranking,
            "scored",
            by=by,
            message=_("{}个考核对象，{}项指标").format(len(subjects), len(indicators)),
            data={"subjects": len(subjects), "indicators": len(indicators)},
        )
        progress(total_steps, total_steps, _("计算完成"))
    return ranking


@dataclass
class _Spec:
    """An indicator as the scoring engine sees it (with the period's effective target)."""

    code: str
    group_code: str
    mode: str
    weight: Decimal
    target: Decimal | None
    cap: Decimal | None
    points: Decimal | None
    item_cap: Decimal | None
    expression: str
    when_no_base: str


def specs_for(ranking: Ranking, indicators) -> list[_Spec]:
    return [
        _Spec(
            i.code,
            i.group.code,
            i.mode,
            i.weight,
            effective_target(i, ranking),
            i.cap,
            i.points,
            i.item_cap,
            i.expression,
            i.when_no_base,
        )
        for i in indicators
    ]


def rescore(ranking: Ranking) -> list:
    """Score every subject again from the stored values (after a manual entry or adjustment):
    the efficacy coefficient and the ranks depend on all subjects together."""
    scheme = ranking.scheme
    groups = list(scheme.groups.all())
    indicators = list(scheme.indicators.select_related("group"))
    scores = list(ranking.scores.all())
    items = list(IndicatorScore.objects.filter(score__ranking=ranking).select_related("indicator"))
    values: dict[int, dict] = {s.pk: {} for s in scores}
    overrides = {}
    for item in items:
        values[item.score_id][item.indicator.code] = item.value
        if item.adjusted_score is not None:
            overrides[(item.score_id, item.indicator.code)] = item.adjusted_score
    results = score_table(
        groups,
        specs_for(ranking, indicators),
        values,
        {s.pk: s.name for s in scores},
        overrides=overrides,
        tiebreak=scheme.tiebreak_codes,
    )
    by_score = {r.key: r for r in results}
    previous = {}
    if ranking.previous_id:
        for row in Score.objects.filter(ranking_id=ranking.previous_id).values("unit_id", "chain_id", "rank"):
            previous[(row["unit_id"], row["chain_id"])] = row["rank"]
    changed_items = []
    for item in items:
        result = by_score[item.score_id]
        computed = result.scores[item.indicator.code] if item.adjusted_score is None else None
        if computed is None:
            from chainlead.assessment.scoring import score_indicator

            spec = next(s for s in specs_for(ranking, [item.indicator]))
            column = [values[k].get(item.indicator.code) for k in values]
            computed = score_indicator(spec, item.value, column=column, names=values[item.score_id])
        final = result.scores[item.indicator.code]
        if item.computed_score != computed or item.final_score != final:
            item.computed_score, item.final_score = computed, final
            changed_items.append(item)
    if changed_items:
        IndicatorScore.objects.bulk_update(changed_items, ["computed_score", "final_score"])
    changed_scores = []
    for score in scores:
        result = by_score[score.pk]
        prev = previous.get((score.unit_id, score.chain_id))
        subtotals = {k: str(v) for k, v in result.groups.items()}
        if (score.total, score.rank, score.previous_rank, score.subtotals) != (
            result.total,
            result.rank,
            prev,
            subtotals,
        ):
            score.total, score.rank, score.previous_rank, score.subtotals = (
                result.total,
                result.rank,
                prev,
                subtotals,
            )
            changed_scores.append(score)
    if changed_scores:
        Score.objects.bulk_update(changed_scores, ["total", "rank", "previous_rank", "subtotals"])
    return results


def _editable_ranking(item: IndicatorScore) -> Ranking:
    ranking = item.score.ranking
    if ranking.status == RankingStatus.PUBLISHED:
        raise ServiceError(_("{}已发布，得分不能再修改。").format(ranking))
    if ranking.status == RankingStatus.COMPUTING:
        raise ServiceError(_("{}正在计算中，请稍候再录入。").format(ranking))
    return ranking


def enter_value(item: IndicatorScore, *, value, evidence=None, evidence_note: str = "", by) -> IndicatorScore:
    """Enter the actual value of a manual indicator for one subject, with its evidence (a file
    or a note); the ranking is scored again."""
    evidence_note = (evidence_note or "").strip()
    with _acting_as(by), transaction.atomic():
        fresh = (
            IndicatorScore.objects.select_for_update()
            .select_related("score__ranking__scheme", "indicator")
            .get(pk=item.pk)
        )
        _require(fresh, by)
        ranking = _editable_ranking(fresh)
        if fresh.indicator.source != Source.MANUAL:
            raise ServiceError(
                _("“{}”由平台数据自动计算，不能人工录入；如需更正得分，请使用“调整得分”并写明原因。").format(
                    fresh.indicator.name
                )
            )
        try:
            value = Decimal(str(value)) if value not in (None, "") else None
        except InvalidOperation:
            raise ServiceError(_("实际值必须是数字。"), field="value")
        if value is None:
            raise ServiceError(_("请填写实际值。"), field="value")
        if value < 0:
            raise ServiceError(_("实际值不能为负数。"), field="value")
        if not evidence and not fresh.evidence and not evidence_note:
            raise ServiceError(
                _("人工录入的指标须附佐证：请上传佐证材料或填写佐证说明。"), field="evidence_note"
            )
        if evidence:
            from chainlead.utilities.uploads import validate_upload

            try:
                validate_upload(evidence)
            except ValidationError as exc:
                raise ServiceError(_validation_message(exc), field="evidence")
            fresh.evidence = evidence
        old = fresh.value
        fresh.value, fresh.entered, fresh.evidence_note, fresh.entered_by = value, True, evidence_note, by
        fresh.save()
        rescore(ranking)
        record_event(
            fresh,
            "value_entered",
            by=by,
            message=_("{}：{} → {}").format(
                fresh.indicator.name, num(old) if old is not None else "—", num(value)
            ),
            data={"old": str(old) if old is not None else None, "new": str(value)},
        )
    fresh.refresh_from_db()
    return fresh


def adjust_score(item: IndicatorScore, *, score, reason: str, by) -> Adjustment:
    """Replace one indicator score by hand. The reason is required; the old and new scores, the
    reason and the person are kept (an ``Adjustment`` row, the change log and an audit event)."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("人工调整得分必须填写调整原因，本次调整未保存。"), field="reason")
    try:
        new = Decimal(str(score)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError):
        raise ServiceError(_("调整后得分必须是数字。"), field="score")
    with _acting_as(by), transaction.atomic():
        fresh = (
            IndicatorScore.objects.select_for_update()
            .select_related("score__ranking__scheme", "indicator__group")
            .get(pk=item.pk)
        )
        _require(fresh, by)
        ranking = _editable_ranking(fresh)
        ind = fresh.indicator
        low, high = _score_bounds(ind, ranking)
        if not low <= new <= high:
            raise ServiceError(
                _("“{}”的得分应在{}至{}分之间。").format(ind.name, num(low), num(high)), field="score"
            )
        adjustment = Adjustment(item=fresh, old_score=fresh.final_score, new_score=new, reason=reason, by=by)
        adjustment.full_clean()
        adjustment.save()
        fresh.adjusted_score = new
        fresh.save(update_fields=["adjusted_score"])
        rescore(ranking)
        record_event(
            fresh,
            "score_adjusted",
            by=by,
            message=_("{}：{}分 → {}分。原因：{}").format(
                ind.name, num(adjustment.old_score), num(new), reason
            ),
            data={
                "old": str(adjustment.old_score),
                "new": str(new),
                "reason": reason,
                "score": fresh.score_id,
            },
        )
    return adjustment


def _score_bounds(ind: Indicator, ranking: Ranking) -> tuple[Decimal, Decimal]:
    if ind.mode == ScoringMode.BONUS:
        return ZERO, ind.item_cap if ind.item_cap is not None else ind.group.weight
    if ind.mode == ScoringMode.PENALTY:
        return -(ind.item_cap if ind.item_cap is not None else ind.group.weight), ZERO
    cap = ind.cap if ind.mode in (ScoringMode.RATIO_CAPPED, ScoringMode.RATIO) and ind.cap else Decimal(1)
    return ZERO, (ind.weight * max(cap, Decimal(1))).quantize(Decimal("0.01"))


def publish_ranking(ranking: Ranking, *, by) -> Ranking:
    """Computed → published: the ranking is final and bulletins attach it."""
    with _acting_as(by), transaction.atomic():
        _require(ranking, by, "approve")
        fresh = Ranking.objects.select_for_update().get(pk=ranking.pk)
        if fresh.status != RankingStatus.COMPUTED:
            raise ServiceError(
                _("只有已计算、未发布的排名可以发布（当前：{}）。").format(fresh.get_status_display())
            )
        missing = IndicatorScore.objects.filter(
            score__ranking=fresh, indicator__source=Source.MANUAL, entered=False, adjusted_score__isnull=True
        ).count()
        if missing:
            raise ServiceError(
                _("还有{}项人工录入指标未录入，请录入（没有发生的填0并写明说明）后再发布。").format(missing)
            )
        fresh.status = RankingStatus.PUBLISHED
        fresh.published_at = timezone.now()
        fresh.save(update_fields=["status", "published_at"])
        record_event(fresh, "ranking_published", by=by, message=str(fresh))
    return fresh
