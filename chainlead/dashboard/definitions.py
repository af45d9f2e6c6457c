"""What every figure of the dashboard means (指标口径).

The headline figures are ``projects.metrics.METRICS`` (the one definition the projects list's
drill-down filter uses too). The chain scorecards add two more, defined here in the same shape:
入库纳统 (projects entered into the fixed-asset-investment statistics in the period) and 在建
(projects whose stage is 开工 now — a state, not a count over the period).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chainlead.projects.choices import Stage
from chainlead.projects.metrics import METRICS, Metric, in_period

EXTRA_METRICS: dict[str, Metric] = {
    m.key: m
    for m in [
        Metric(
            "fai",
            _("入库纳统项目"),
            "count",
            _("统计期内进入固定资产投资统计库的项目个数（以“入库月份”计；先入库，后有数）。"),
            "fai_month",
            _("开工及以后各阶段（入库标记）"),
            lambda p: Q(fai_in_db=True) & in_period("fai_month", p.__class__(p.start.replace(day=1), p.end)),
        ),
        Metric(
            "in_construction",
            _("在建项目"),
            "count",
            _(
                "当前阶段为“开工”的项目个数：已开工、尚未竣工，不含暂缓的项目。这是一个时点数，不随统计期变化；历史回看时按截至日的阶段计。"
            ),
            "stage",
            _("开工"),
            lambda p: Q(stage=Stage.STARTED),
        ),
    ]
}

FORMULAS = {
    "attracted": _("COUNT(项目)，条件：开始洽谈日期 ∈ 统计期"),
    "attracted_investment": _("SUM(总投资，万元) ÷ 10000，条件：开始洽谈日期 ∈ 统计期"),
    "landed": _("COUNT(项目)，条件：签约日期 ∈ 统计期 或 注册日期 ∈ 统计期（同一项目只计一次）"),
    "landed_output": _("SUM(达产后年产值，万元) ÷ 10000，条件：签约日期 ∈ 统计期 或 注册日期 ∈ 统计期"),
    "started": _("COUNT(项目)，条件：开工日期 ∈ 统计期"),
    "completed": _("COUNT(项目)，条件：竣工日期 ∈ 统计期"),
    "in_production": _("COUNT(项目)，条件：投产日期 ∈ 统计期"),
    "enterprises_in_stats": _("COUNT(DISTINCT 项目企业)，条件：企业已纳统 且 企业纳统月份 ∈ 统计期"),
    "fai": _("COUNT(项目)，条件：已入库纳统 且 入库月份 ∈ 统计期"),
    "in_construction": _("COUNT(项目)，条件：阶段 = 开工（截至当前或历史回看日）"),
}

#: Which of the three tasks (三大攻坚任务) a figure belongs to.
TASKS = {
    "attracted": _("项目招引"),
    "attracted_investment": _("项目招引"),
    "landed": _("项目招引"),
    "landed_output": _("项目招引"),
    "started": _("项目建设"),
    "completed": _("项目建设"),
    "in_production": _("项目建设"),
    "in_construction": _("项目建设"),
    "fai": _("企业纳统"),
    "enterprises_in_stats": _("企业纳统"),
}

COMMON_NOTES = [
    _("统计期按自然月计：默认为当年1月至最近一个已结束的月份（如“2021年1–11月”）。"),
    _("同比 =（本期 − 上年同期）÷ 上年同期 × 100%；上年同期为0时显示“—”。"),
    _("金额以万元存储，驾驶舱以亿元显示，保留两位小数（四舍五入）。"),
    _(
        "终止、暂缓的项目仍计入它们已发生的节点（如已洽谈、已签约）；是否计入取决于节点日期，不取决于当前阶段。"
    ),
    _("历史回看：按变更记录重建截至所选月末的项目数据后计算，不是把今天的数据换个标题。"),
    _("片区/战区用户只看到责任单位或所在片区属于本单位（含下级）的项目。"),
]


def all_metrics() -> dict[str, Metric]:
    return {**METRICS, **EXTRA_METRICS}


def date_field_label(metric: Metric) -> str:
    from chainlead.projects.models import KeyProject

    names = []
    for name in metric.date_field.split("/"):
        name = name.strip()
        try:
            names.append(str(KeyProject._meta.get_field(name).verbose_name))
        except Exception:
            names.append(name)
    return _("或").join(names)
