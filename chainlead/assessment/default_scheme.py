"""The default scheme of DOMAIN.md §7.2 for zones and battle zones (100 points, quarterly and
annual), as data. ``install`` takes the model classes so the data migration can pass its
historical models and ``manage.py assessment_default_scheme`` the real ones.

Targets are annual; a quarterly or monthly run uses the time-elapsed share of them (a quarter
counts 3/12 of the annual target, see ``services.effective_target``)."""

from __future__ import annotations

from decimal import Decimal

CODE = "zone-default"
NAME = "功能区（战区）工作考核方案"
DESCRIPTION = (
    "重点产业链链长制“3+3+3”工作推进机制考核方案（默认）。基本分100分：项目招引30分、项目建设35分、企业纳统15分、"
    "工作机制20分；另设加分项（不超过10分）和扣分项（不超过10分）。按季度和年度考核，总分高者排名在前；"
    "总分相同的，依次比较项目建设、项目招引得分。数据弄虚作假的，经核实该项指标按0分计（在得分页人工调整并写明原因）。"
)

GROUPS = [
    # code, name, kind, weight (cap for bonus/penalty), order
    ("attraction", "项目招引", "regular", 30, 10),
    ("construction", "项目建设", "regular", 35, 20),
    ("statistics", "企业纳统", "regular", 15, 30),
    ("mechanism", "工作机制", "regular", 20, 40),
    ("bonus", "加分项", "bonus", 10, 50),
    ("penalty", "扣分项", "penalty", 10, 60),
]


def _i(
    group,
    code,
    name,
    weight,
    mode,
    *,
    target=None,
    cap=None,
    points=None,
    item_cap=None,
    unit="",
    source="computed",
    computation=None,
    definition="",
    evidence="",
    no_base="full",
):
    return {
        "group": group,
        "code": code,
        "name": name,
        "weight": Decimal(weight),
        "mode": mode,
        "target": Decimal(target) if target is not None else None,
        "cap": Decimal(cap) if cap is not None else None,
        "points": Decimal(points) if points is not None else None,
        "item_cap": Decimal(item_cap) if item_cap is not None else None,
        "value_unit": unit,
        "source": source,
        "computation": computation or (code if source == "computed" else ""),
        "definition": definition,
        "evidence_required": evidence,
        "when_no_base": no_base,
    }


INDICATORS = [
    _i(
        "attraction",
        "signed_1yi_count",
        "新签约亿元以上项目",
        10,
        "ratio_capped",
        target=8,
        cap="1.2",
        unit="个",
    ),
    _i(
        "attraction",
        "contracted_investment",
        "签约项目合同投资额",
        10,
        "ratio_capped",
        target=120,
        cap="1.2",
        unit="亿元",
    ),
    _i("attraction", "chain_fit_share", "签约项目链上占比", 10, "ratio", unit="%", no_base="zero"),
    _i("construction", "start_rate", "计划新开工项目开工率", 10, "ratio", unit="%"),
    _i("construction", "ytd_investment_rate", "年度计划投资完成率", 15, "ratio", cap="1.2", unit="%"),
    _i("construction", "completion_rate", "计划竣工投产项目完成率", 10, "ratio", unit="%"),
    _i("statistics", "new_four_above", "新增四上企业", 10, "ratio", target=6, unit="个"),
    _i("statistics", "fai_entry_rate", "开工项目入库率", 5, "ratio", unit="%"),
    _i("mechanism", "late_reports", "按时报送", 5, "deduction", points=1, unit="次"),
    _i("mechanism", "problem_resolution_rate", "问题限时办结率", 5, "ratio", unit="%"),
    _i("mechanism", "targets_on_time", "攻坚目标按期完成率", 5, "ratio", unit="%"),
    _i("mechanism", "rectification_rate", "通报问题整改率", 5, "ratio", unit="%"),
    _i(
        "bonus",
        "big_name_projects",
        "引进世界500强、央企、上市公司项目",
        0,
        "bonus",
        points=2,
        item_cap=6,
        unit="个",
    ),
    _i("bonus", "projects_10yi", "引进10亿元以上项目", 0, "bonus", points=2, item_cap=6, unit="个"),
    _i("bonus", "projects_50yi", "引进50亿元以上项目", 0, "bonus", points=4, item_cap=8, unit="个"),
    _i("penalty", "red_lights", "预警亮红灯", 0, "penalty", points="0.5", item_cap=5, unit="次"),
    _i(
        "penalty",
        "upper_criticism",
        "受到上级通报批评",
        0,
        "penalty",
        points=2,
        item_cap=6,
        unit="次",
        source="manual",
        definition="考核期内本单位因重点项目、产业链工作受到市级及以上通报批评的次数，由领导小组办公室核实后录入。",
        evidence="上级通报文件（PDF或扫描件），或写明文号的说明。",
    ),
]


def install(Scheme, IndicatorGroup, Indicator, *, published_at=None):
    """Create the default scheme (version 1, published) unless a scheme with its code exists."""
    if Scheme.objects.filter(code=CODE).exists():
        return None
    scheme = Scheme.objects.create(
        name=NAME,
        code=CODE,
        revision=1,
        status="published",
        description=DESCRIPTION,
        total=Decimal(100),
        tiebreak="construction,attraction",
        published_at=published_at,
    )
    groups = {}
    for code, name, kind, weight, order in GROUPS:
        groups[code] = IndicatorGroup.objects.create(
            scheme=scheme, code=code, name=name, kind=kind, weight=Decimal(weight), sort_order=order
        )
    for order, spec in enumerate(INDICATORS, start=1):
        spec = dict(spec)
        group = groups[spec.pop("group")]
        definition = spec.pop("definition") or _computed_definition(spec["computation"])
        Indicator.objects.create(
            scheme=scheme, group=group, sort_order=order * 10, definition=definition, **spec
        )
    return scheme


def _computed_definition(code: str) -> str:
    from chainlead.assessment.computations import REGISTRY

    computation = REGISTRY.get(code)
    return str(computation.definition) if computation else ""
