"""The node-plan templates chainlead ships (DOMAIN.md §3.3), installed once into an empty
template table after ``migrate``; from then on they are the office's data to edit.

- 社会投资工业项目: the default steps of a social-investment industrial project. The approval
  steps before 开工 (filing + land-use planning permit + works planning permit + construction
  permit) add up to 28 working days, inside the 45-day Shandong cap.
- 政府投资项目: adds the project proposal, feasibility-study and preliminary-design approvals and
  land allocation; 57 working days of main-process approval, inside the 70-day cap.

Owner departments are matched to units by name (发展和改革, 自然资源, …) when such units exist;
otherwise the owner is kept as text in ``owner_note``.
"""

from __future__ import annotations

from django.db import transaction

from chainlead.projects.choices import InvestmentNature

# (key, name, owner keyword or None, owner note, duration WD, is_approval, milestone, description)
INDUSTRIAL_NODES = [
    ("register", "项目公司注册", "行政审批", "投资方", 10, False, "", "签约后设立项目公司，取得营业执照。"),
    (
        "filing",
        "企业投资项目备案",
        "发展和改革",
        "",
        3,
        True,
        "",
        "投资项目在线审批监管平台备案，赋项目代码。",
    ),
    (
        "land",
        "土地供应（供地方案至出让合同）",
        "自然资源",
        "",
        30,
        False,
        "",
        "含不少于20日的出让公告期；属市场交易，不计入审批时限。",
    ),
    ("land_permit", "建设用地规划许可", "自然资源", "", 5, True, "", "常与出让合同同步核发。"),
    ("design", "设计方案编制", None, "投资方", 20, False, "", "与土地供应并行。"),
    (
        "works_permit",
        "方案审查及建设工程规划许可",
        "自然资源",
        "",
        10,
        True,
        "",
        "“带方案出让”的项目可省略。",
    ),
    (
        "construction_permit",
        "施工图审查及施工许可",
        "行政审批",
        "",
        10,
        True,
        "",
        "取得施工许可后3个月内须开工。",
    ),
    ("tender", "施工招标及进场准备", None, "投资方", 15, False, "", "与规划许可并行。"),
    ("start", "开工", None, "投资方", 0, False, "start", "正式开工（桩基或主体工程，场地平整不算）。"),
    ("structure", "主体施工至封顶", None, "施工单位", 120, False, "", ""),
    ("equipment", "设备采购及安装调试", None, "投资方", 40, False, "", "主体封顶后间隔5个工作日移交场地。"),
    ("finishing", "配套工程及竣工收尾", None, "施工单位", 50, False, "", ""),
    (
        "acceptance",
        "联合验收及竣工验收备案",
        "住房和城乡建设",
        "",
        10,
        True,
        "",
        "规划、消防、人防等联合验收。",
    ),
    ("trial", "试生产", None, "投资方", 20, False, "", ""),
    ("production", "投产", None, "投资方", 0, False, "production", "正式投产，取得首笔销售或试生产通知。"),
]
INDUSTRIAL_DEPENDENCIES = [
    ("register", "filing", 0),
    ("register", "land", 0),
    ("filing", "design", 0),
    ("land", "land_permit", 0),
    ("filing", "land_permit", 0),
    ("land_permit", "works_permit", 0),
    ("design", "works_permit", 0),
    ("works_permit", "construction_permit", 0),
    ("design", "tender", 0),
    ("construction_permit", "start", 0),
    ("tender", "start", 0),
    ("start", "structure", 0),
    ("structure", "equipment", 5),
    ("structure", "finishing", 0),
    ("finishing", "acceptance", 0),
    ("acceptance", "trial", 0),
    ("equipment", "trial", 0),
    ("trial", "production", 0),
]

GOVERNMENT_NODES = [
    ("proposal", "项目建议书批复（立项）", "发展和改革", "", 5, True, "", ""),
    ("feasibility", "可行性研究报告批复", "发展和改革", "", 10, True, "", ""),
    ("land_preview", "用地预审与选址意见书", "自然资源", "", 7, True, "", "与可研批复并行。"),
    ("land", "土地划拨或供应", "自然资源", "", 20, False, "", ""),
    ("land_permit", "建设用地规划许可", "自然资源", "", 5, True, "", ""),
    ("preliminary", "初步设计及概算批复", "发展和改革", "", 10, True, "", ""),
    ("works_permit", "建设工程规划许可", "自然资源", "", 10, True, "", ""),
    ("construction_permit", "施工图审查及施工许可", "行政审批", "", 10, True, "", ""),
    ("tender", "施工及监理招标", None, "建设单位", 20, False, "", "初步设计批复后并行开展。"),
    ("start", "开工", None, "建设单位", 0, False, "start", ""),
    ("structure", "主体工程施工", None, "施工单位", 120, False, "", ""),
    ("finishing", "附属及配套工程", None, "施工单位", 40, False, "", ""),
    ("acceptance", "竣工联合验收及备案", "住房和城乡建设", "", 10, True, "", ""),
    ("production", "投入使用", None, "建设单位", 0, False, "production", "非工业项目的“投产”即投入使用。"),
]
GOVERNMENT_DEPENDENCIES = [
    ("proposal", "feasibility", 0),
    ("proposal", "land_preview", 0),
    ("land_preview", "land", 0),
    ("feasibility", "land_permit", 0),
    ("land", "land_permit", 0),
    ("feasibility", "preliminary", 0),
    ("land_permit", "works_permit", 0),
    ("preliminary", "works_permit", 0),
    ("works_permit", "construction_permit", 0),
    ("preliminary", "tender", 0),
    ("construction_permit", "start", 0),
    ("tender", "start", 0),
    ("start", "structure", 0),
    ("structure", "finishing", 0),
    ("finishing", "acceptance", 0),
    ("acceptance", "production", 0),
]

PRESETS = [
    {
        "name": "社会投资工业项目（倒排工期）",
        "investment_nature": InvestmentNature.SOCIAL,
        "description": "DOMAIN §3.3 默认节点：备案、用地规划许可、工程规划许可、施工许可合计28个工作日，"
        "不超过社会投资项目主流程审批45个工作日的上限。各地可按实际调整工期和责任部门。",
        "sort_order": 1,
        "nodes": INDUSTRIAL_NODES,
        "dependencies": INDUSTRIAL_DEPENDENCIES,
    },
    {
        "name": "政府投资项目（倒排工期）",
        "investment_nature": InvestmentNature.GOVERNMENT,
        "description": "在工业项目模板基础上增加项目建议书、可行性研究报告和初步设计审批，"
        "主流程审批合计57个工作日，不超过政府投资项目70个工作日的上限。",
        "sort_order": 2,
        "nodes": GOVERNMENT_NODES,
        "dependencies": GOVERNMENT_DEPENDENCIES,
    },
]


def _department(keyword: str | None):
    from chainlead.organization.choices import UnitKind
    from chainlead.organization.models import Unit

    if not keyword:
        return None
    return (
        Unit.objects.filter(kind=UnitKind.DEPARTMENT, name__contains=keyword, is_active=True)
        .order_by("sort_order", "pk")
        .first()
    )


def install_presets(*, only_if_empty: bool = True, logged: bool = True) -> list:
    """Create the shipped templates (skipping names that exist). Returns the templates created.

    ``logged=False`` (after ``migrate``) writes them like a data migration would: shipped data,
    without change-log entries; every later edit by the office is logged as usual."""
    from django.db import models

    from chainlead.warroom.models import ScheduleTemplate, TemplateDependency, TemplateNode

    if only_if_empty and ScheduleTemplate.objects.exists():
        return []

    def manager(model):
        return model.objects if logged else models.QuerySet(model)

    created = []
    with transaction.atomic():
        for spec in PRESETS:
            if ScheduleTemplate.objects.filter(name=spec["name"]).exists():
                continue
            (template,) = manager(ScheduleTemplate).bulk_create(
                [
                    ScheduleTemplate(
                        name=spec["name"],
                        investment_nature=spec["investment_nature"],
                        description=spec["description"],
                        sort_order=spec["sort_order"],
                    )
                ]
            )
            nodes = {}
            for order, (key, name, keyword, note, days, approval, milestone, description) in enumerate(
                spec["nodes"], start=1
            ):
                nodes[key] = TemplateNode(
                    template=template,
                    name=name,
                    owner_department=_department(keyword),
                    owner_note=note,
                    duration_wd=days,
                    is_approval=approval,
                    milestone=milestone,
                    sort_order=order * 10,
                    description=description,
                )
            manager(TemplateNode).bulk_create(list(nodes.values()))
            manager(TemplateDependency).bulk_create(
                [
                    TemplateDependency(
                        template=template, predecessor=nodes[a], successor=nodes[b], lag_wd=lag
                    )
                    for a, b, lag in spec["dependencies"]
                ]
            )
            created.append(template)
    return created


def link_departments() -> int:
    """Fill in the owner departments of preset nodes that have none (after units were created)."""
    from chainlead.warroom.models import TemplateNode

    keywords = {name: keyword for spec in PRESETS for _k, name, keyword, *_rest in spec["nodes"] if keyword}
    changed = []
    for node in TemplateNode.objects.filter(owner_department__isnull=True, name__in=list(keywords)):
        department = _department(keywords[node.name])
        if department is not None:
            node.owner_department = department
            changed.append(node)
    if changed:
        TemplateNode.objects.bulk_update(changed, ["owner_department"])
    return len(changed)


def post_migrate_install(sender, using="default", **kwargs) -> None:
    """``post_migrate`` receiver: ship the presets into a fresh database."""
    from django.db import connections

    from chainlead.warroom.models import ScheduleTemplate

    if ScheduleTemplate._meta.db_table not in connections[using].introspection.table_names():
        return
    install_presets(logged=False)
