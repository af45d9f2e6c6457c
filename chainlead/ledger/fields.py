"""The fields a ledger column can be mapped to, and their built-in synonyms.

Each ``ImportField`` names a target (usually a ``KeyProject`` field), how its cells are read
(``kind``) and the column titles that mean it. The titles here seed the ``FieldSynonym`` table
(migration 0002); the office adds more on the 列名同义词 page. A field's own label (the title
the project list exports, e.g. "总投资（万元）") always maps back to it, so an exported file
re-imports without any mapping.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# Kinds of cell.
SEQ = "seq"  # 序号: read to tell data rows from section rows, never stored
TEXT = "text"
CODE = "code"  # 项目代码
PHONE = "phone"
AMOUNT = "amount"  # money in 万元 (unit from the header, a note above it or the cell)
USD = "usd"  # foreign investment in 万美元
INTEGER = "integer"  # a count, e.g. 新增就业（人）
QUANTITY = "quantity"  # a non-money number, e.g. 用地（亩）
DATE = "date"
YEARS = "years"  # 建设起止年限 "2022-2024": planned start and completion
CHOICE = "choice"  # a TextChoices field, by label
STAGE = "stage"  # 阶段 / 建设状态
UNIT = "unit"  # 责任单位: a Unit by name or short name
AREA = "area"  # 所在片区/战区: a territorial Unit
CHAIN = "chain"
NODE = "node"
INVESTOR = "investor"  # 建设单位: an Enterprise by name, else the investor_name text
DECIMAL = "decimal"  # latitude / longitude
READONLY = "readonly"  # recognised (e.g. exported) but never imported

MONEY_KINDS = frozenset({AMOUNT, USD})


@dataclass(frozen=True)
class ImportField:
    key: str
    label: object  # lazy translation
    kind: str
    synonyms: tuple[str, ...] = ()
    #: The KeyProject attribute written (None for SEQ/YEARS/READONLY and other derived ones).
    attname: str | None = None

    @property
    def importable(self) -> bool:
        return self.kind not in (SEQ, READONLY)


def _f(key, label, kind, synonyms=(), attname: str | None = "=") -> ImportField:
    return ImportField(key, label, kind, tuple(synonyms), key if attname == "=" else attname)


FIELDS: tuple[ImportField, ...] = (
    _f("seq", _("序号"), SEQ, ["序号", "编号", "项目序号", "排序"], attname=None),
    _f(
        "name",
        _("项目名称"),
        TEXT,
        ["项目名称", "工程名称", "项目单位及名称", "项目全称", "项目", "名称", "项目名"],
    ),
    _f(
        "project_code",
        _("项目代码"),
        CODE,
        [
            "项目代码",
            "项目编码",
            "统一项目代码",
            "项目统一代码",
            "备案代码",
            "国家项目代码",
            "项目代码(审批)",
        ],
    ),
    _f(
        "investor",
        _("投资/建设企业"),
        INVESTOR,
        [
            "投资/建设企业",
            "建设单位",
            "项目业主",
            "项目(法人)单位",
            "项目法人单位",
            "项目单位",
            "业主单位",
            "投资主体",
            "投资方",
            "投资企业",
            "建设主体",
            "实施主体",
            "项目建设单位",
        ],
        attname=None,
    ),
    _f(
        "responsible_unit",
        _("责任单位"),
        UNIT,
        ["责任单位", "牵头单位", "牵头责任单位", "主责单位", "责任部门", "包联单位", "牵头部门"],
        attname="responsible_unit_id",
    ),
    _f(
        "area",
        _("所在片区/战区"),
        AREA,
        ["所在片区/战区", "所在片区", "所属片区", "片区", "战区", "所属功能区", "功能区"],
        attname="area_id",
    ),
    _f(
        "address",
        _("建设地点"),
        TEXT,
        ["建设地点", "隶属区县", "所在区县", "所属区县", "项目地址", "建设地址", "项目所在地", "项目地点"],
    ),
    _f(
        "chain",
        _("所属产业链"),
        CHAIN,
        ["所属产业链", "产业链", "所属链条", "重点产业链"],
        attname="chain_id",
    ),
    _f("chain_node", _("产业链节点"), NODE, ["节点", "产业链节点", "链条节点"], attname="chain_node_id"),
    _f("purpose", _("补强延"), CHOICE, ["补强延", "补链强链延链", "链条作用"]),
    _f("level", _("重点项目级别"), CHOICE, ["重点项目级别", "项目级别", "级别", "重点级别"]),
    _f("project_type", _("项目类型"), CHOICE, ["项目类型", "项目类别", "项目分类", "类别"]),
    _f("investment_nature", _("投资性质"), CHOICE, ["投资性质", "投资类型", "资金性质"]),
    _f(
        "content",
        _("建设内容"),
        TEXT,
        ["建设内容", "建设规模及内容", "建设规模及主要内容", "主要建设内容", "建设内容及规模", "建设规模"],
    ),
    _f(
        "total_investment",
        _("总投资（万元）"),
        AMOUNT,
        ["总投资", "计划总投资", "项目总投资", "总投资额", "估算总投资", "投资总额"],
    ),
    _f(
        "annual_plan",
        _("年度计划投资（万元）"),
        AMOUNT,
        [
            "年度计划投资",
            "年度计划",
            "本年计划投资",
            "年计划投资",
            "计划投资",
            "当年计划投资",
            "年度投资计划",
        ],
    ),
    _f("intended_investment", _("意向投资（万元）"), AMOUNT, ["意向投资", "意向投资额"]),
    _f(
        "contracted_investment",
        _("合同投资（万元）"),
        AMOUNT,
        ["合同投资", "签约投资", "协议投资", "合同金额"],
    ),
    _f("foreign_investment_usd", _("利用外资（万美元）"), USD, ["利用外资", "外资金额", "实际利用外资"]),
    _f(
        "expected_output",
        _("达产后年产值（万元）"),
        AMOUNT,
        ["达产后年产值", "预计年产值", "达产产值", "达产年产值"],
    ),
    _f(
        "expected_tax",
        _("达产后年税收（万元）"),
        AMOUNT,
        ["达产后年税收", "预计年税收", "达产税收", "达产年税收"],
    ),
    _f("first_output", _("首批产值/销售（万元）"), AMOUNT, ["首批产值/销售", "首批产值"]),
    _f("actual_output", _("实际年产值（万元）"), AMOUNT, ["实际年产值"]),
    _f("jobs", _("新增就业（人）"), INTEGER, ["新增就业", "新增就业人数", "就业人数", "带动就业"]),
    _f("land_mu", _("用地（亩）"), QUANTITY, ["用地", "用地面积", "占地面积", "用地规模"]),
    _f(
        "responsible_leader",
        _("责任领导"),
        TEXT,
        ["责任领导", "包抓领导", "分管领导", "联系领导", "区级领导", "包挂领导", "责任区领导"],
    ),
    _f("responsible_person", _("责任人"), TEXT, ["责任人", "联系人", "项目联系人", "具体责任人"]),
    _f(
        "responsible_phone",
        _("责任人电话"),
        PHONE,
        ["责任人电话", "联系电话", "电话", "联系方式", "手机", "手机号码"],
    ),
    _f("source", _("招引来源"), TEXT, ["招引来源", "项目来源"]),
    _f("info_provider", _("信息提供人"), TEXT, ["信息提供人"]),
    _f("agreement_type", _("协议类型"), CHOICE, ["协议类型"]),
    _f("construction_permit_no", _("施工许可证号"), TEXT, ["施工许可证号", "施工许可证编号"]),
    _f("latitude", _("纬度"), DECIMAL, ["纬度"]),
    _f("longitude", _("经度"), DECIMAL, ["经度"]),
    _f(
        "years",
        _("建设起止年限"),
        YEARS,
        ["建设起止年限", "建设年限", "起止年限", "建设周期", "建设起止时间", "建设期限"],
        attname=None,
    ),
    _f(
        "planned_start_on",
        _("计划开工日期"),
        DATE,
        ["计划开工日期", "计划开工时间", "预计开工时间", "开工时间", "计划开工"],
    ),
    _f(
        "planned_completion_on",
        _("计划竣工日期"),
        DATE,
        ["计划竣工日期", "计划竣工时间", "预计竣工时间", "计划完工时间", "竣工时间", "计划竣工"],
    ),
    _f("planned_production_on", _("计划投产日期"), DATE, ["计划投产日期", "计划投产时间", "预计投产时间"]),
    _f(
        "stage",
        _("阶段"),
        STAGE,
        ["阶段", "项目阶段", "建设状态", "项目状态", "进展状态", "当前阶段", "项目进展阶段"],
    ),
    _f("lead_on", _("获取线索日期"), DATE, ["获取线索日期"]),
    _f("negotiating_on", _("开始洽谈日期"), DATE, ["开始洽谈日期", "洽谈日期"]),
    _f("signed_on", _("签约日期"), DATE, ["签约日期", "签约时间"]),
    _f("registered_on", _("注册日期"), DATE, ["注册日期", "注册时间"]),
    _f("started_on", _("开工日期"), DATE, ["开工日期", "实际开工日期", "实际开工时间"]),
    _f("completed_on", _("竣工日期"), DATE, ["竣工日期", "实际竣工日期", "实际竣工时间"]),
    _f("production_on", _("投产日期"), DATE, ["投产日期", "实际投产日期", "投产时间"]),
    _f("capacity_on", _("达产日期"), DATE, ["达产日期"]),
    _f("comments", _("备注"), TEXT, ["备注", "说明"]),
    # Columns the project list exports that are not set by an import (the side flags move only
    # through their own services, the timestamps are the system's).
    _f(
        "readonly",
        _("仅供查看（导入时忽略）"),
        READONLY,
        [
            "已入库纳统(固定资产投资)",
            "已入库纳统",
            "企业已纳统(四上)",
            "企业已纳统",
            "更新时间",
            "创建时间",
            "入库月份",
        ],
        attname=None,
    ),
)

BY_KEY: dict[str, ImportField] = {f.key: f for f in FIELDS}
#: Fields whose column is needed for a usable ledger.
REQUIRED_KEYS = ("name",)
#: Money fields checked against section subtotals and 合计/小计 rows.
SUM_KEYS = ("total_investment", "annual_plan")


def default_synonyms() -> list[tuple[str, str]]:
    """(field key, synonym) pairs: the built-in table (seeded by migration 0002)."""
    return [(f.key, s) for f in FIELDS for s in f.synonyms]
