"""A corpus of realistic project ledgers, generated at test time (deterministic, no binaries in git).

Each ledger is built from a list of projects whose clean values are known, then rendered the way
published key-project lists look: "附件1" and a title above the header, a unit note, one- or
two-row headers with merged cells and line breaks, units in the header (万元 or 亿元), section rows
with counts and subtotals, 合计/小计 rows, 序号 restarting per section, "—" for empty values,
years and dates written every which way, amounts as text ("1.2亿", "3,000", full-width digits),
10万千瓦 / 年产5.5万吨 in the text, the same project twice (once with ★), summary and pivot sheets,
and column names that vary from file to file. Written as .xlsx (xlsxwriter), .xls (xlwt) and .csv
(UTF-8 with/without BOM, GBK).

``LEDGERS`` lists the specs; ``build(spec)`` returns (bytes, filename, expected) where expected
holds the project count and the totals in 万元 an import must arrive at.
"""

from __future__ import annotations

import csv
import datetime
import io
import random
from dataclasses import dataclass, field
from decimal import Decimal

UNITS = [
    # (name, short name, kind)
    ("区发展和改革局", "发改局", "department"),
    ("区交通运输局", "交通局", "department"),
    ("区工业和信息化局", "工信局", "department"),
    ("区投资促进局", "投资促进局", "department"),
    ("区住房和城乡建设局", "住建局", "department"),
    ("区水务管理局", "水务局", "department"),
    ("古镇口核心区管委", "古镇口", "area"),
    ("西海岸交通商务区", "交通商务区", "area"),
    ("红石崖街道", "", "street"),
]
CHAINS = [
    ("新一代半导体", "半导体", "semi"),
    ("高端化工及新材料", "化工新材料", "chem"),
    ("船舶海工", "", "ship"),
]
ENTERPRISES = [
    "青岛芯恩集成电路有限公司",
    "青岛港集团有限公司",
    "山东高速集团有限公司",
    "海西重机有限责任公司",
]
SECTIONS = {
    "基础设施": ["交通", "水利", "市政"],
    "产业项目": ["半导体", "化工新材料", "船舶海工"],
    "社会民生": ["教育", "医疗卫生"],
}
NAME_PARTS = ["智能", "新能源", "高端", "绿色", "数字", "海洋", "综合", "精密", "智慧", "现代"]
NAME_KINDS = [
    "产业园",
    "装备制造基地",
    "研发中心",
    "物流园",
    "改扩建工程",
    "新材料项目",
    "供水工程",
    "道路工程",
]
PLACES = ["红石崖街道", "灵山卫街道", "黄岛区", "古镇口", "泊里镇", "董家口港区"]


@dataclass
class Project:
    name: str
    investor: str
    unit: str
    chain: str
    place: str
    total: Decimal  # 万元
    annual: Decimal | None  # 万元
    start: int  # year
    end: int
    content: str
    leader: str
    status: str = ""


@dataclass
class Spec:
    key: str
    fmt: str  # xlsx | xls | csv
    seed: int
    columns: list[str]  # logical columns, see render()
    titles: dict  # logical column → title (may contain \n or a (top, bottom) pair)
    money: str = "万元"  # unit of the amount columns: 万元 or 亿元
    unit_in_header: bool = True  # else a note "单位：…" above the header
    total_row: str = "bottom"  # top | bottom | none
    subtotal_rows: bool = False
    levels: int = 2  # section depth: 1 (一、), 2 (（一）), 3 (——)
    duplicates: int = 1
    text_amounts: bool = True
    extra_sheets: bool = True
    encoding: str = "utf-8-sig"
    date_style: str = "mixed"
    unit_names: str = "full"  # full | short
    per_section: int = 3
    warnings: int = 0  # deliberate subtotal mismatches


LEDGERS = [
    Spec(
        "L01-xlsx-two-row-yi",
        "xlsx",
        1,
        [
            "seq",
            "name",
            "investor",
            "place",
            "chain",
            "years",
            "total",
            "annual",
            "content",
            "unit",
            "leader",
        ],
        {
            "name": "项目名称",
            "investor": "建设单位",
            "place": "建设地点",
            "chain": "所属产业链",
            "years": ("建设起", "止年限"),
            "total": "总投资\n（亿元）",
            "annual": "2022年计划投资\n（亿元）",
            "content": "建设内容及规模",
            "unit": "责任单位",
            "leader": "包抓领导",
        },
        money="亿元",
    ),
    Spec(
        "L02-xls-note-unit",
        "xls",
        2,
        ["seq", "name", "investor", "unit", "place", "total", "annual", "start", "end", "content"],
        {
            "name": "工程名称",
            "investor": "项目业主",
            "unit": "牵头单位",
            "place": "隶属区县",
            "total": "计划总投资",
            "annual": "年度计划投资",
            "start": "计划开工时间",
            "end": "计划竣工时间",
            "content": "主要建设内容",
        },
        unit_in_header=False,
        total_row="top",
        levels=3,
    ),
    Spec(
        "L03-csv-gbk",
        "csv",
        3,
        ["seq", "name", "investor", "unit", "chain", "total", "annual", "years", "leader"],
        {
            "name": "项目名称",
            "investor": "项目（法人）单位",
            "unit": "责任单位",
            "chain": "所属产业链",
            "total": "总投资（万元）",
            "annual": "2022年计划投资（万元）",
            "years": "建设年限",
            "leader": "责任领导",
        },
        encoding="gbk",
        extra_sheets=False,
    ),
    Spec(
        "L04-xlsx-subtotals-status",
        "xlsx",
        4,
        ["seq", "name", "investor", "unit", "status", "total", "annual", "start", "content", "place"],
        {
            "name": "项目名称",
            "investor": "建设单位",
            "unit": "责任单位",
            "status": "建设状态",
            "total": "总投资（万元）",
            "annual": "年度计划投资（万元）",
            "start": "计划开工时间",
            "content": "建设内容",
            "place": "建设地点",
        },
        subtotal_rows=True,
        levels=1,
    ),
    Spec(
        "L05-xls-two-row-group",
        "xls",
        5,
        ["seq", "name", "investor", "unit", "total", "annual", "years", "leader"],
        {
            "name": "项目单位及名称",
            "investor": "建设单位",
            "unit": "牵头单位",
            "total": ("投资情况（万元）", "总投资"),
            "annual": ("投资情况（万元）", "2022年计划投资"),
            "years": "建设起止年限",
            "leader": "包抓领导",
        },
        unit_names="short",
        duplicates=2,
    ),
    Spec(
        "L06-csv-utf8-bom-yi",
        "csv",
        6,
        ["seq", "name", "investor", "unit", "place", "total", "annual", "end"],
        {
            "name": "工程名称",
            "investor": "项目业主",
            "unit": "责任单位",
            "place": "建设地点",
            "total": "总投资（亿元）",
            "annual": "年度计划投资（亿元）",
            "end": "计划竣工时间",
        },
        money="亿元",
        extra_sheets=False,
        total_row="top",
    ),
    Spec(
        "L07-xlsx-three-levels",
        "xlsx",
        7,
        ["seq", "name", "investor", "unit", "chain", "total", "annual", "years", "start", "place"],
        {
            "name": "项目\n名称",
            "investor": "项目（法人）单位",
            "unit": "责任单位",
            "chain": "所属产业链",
            "total": "计划总投资（万元）",
            "annual": "2022年计划投资（万元）",
            "years": "建设年限",
            "start": "计划开工时间",
            "place": "隶属区县",
        },
        levels=3,
        per_section=2,
        date_style="serial",
    ),
    Spec(
        "L08-xls-plain",
        "xls",
        8,
        ["seq", "name", "investor", "unit", "total", "annual", "content", "leader", "place"],
        {
            "name": "项目名称",
            "investor": "建设单位",
            "unit": "责任单位",
            "total": "总投资（万元）",
            "annual": "年度计划投资（万元）",
            "content": "建设规模及内容",
            "leader": "责任领导",
            "place": "建设地点",
        },
        total_row="none",
        levels=1,
        duplicates=0,
    ),
    Spec(
        "L09-csv-utf8-no-bom",
        "csv",
        9,
        ["seq", "name", "investor", "unit", "total", "annual", "years", "end"],
        {
            "name": "项目名称",
            "investor": "建设单位",
            "unit": "牵头单位",
            "total": "计划总投资（万元）",
            "annual": "年度计划投资（万元）",
            "years": ("建设起", "止年限"),
            "end": "计划竣工时间",
        },
        encoding="utf-8",
        extra_sheets=False,
        unit_names="short",
    ),
    Spec(
        "L10-xlsx-note-yi-split-header",
        "xlsx",
        10,
        ["seq", "name", "investor", "unit", "years", "total", "annual", "chain"],
        {
            "name": "工程名称",
            "investor": "项目业主",
            "unit": "责任单位",
            "years": ("建设起", "止年限"),
            "total": "总投资",
            "annual": "2022年计划投资",
            "chain": "所属产业链",
        },
        money="亿元",
        unit_in_header=False,
        subtotal_rows=True,
        levels=2,
    ),
    Spec(
        "L11-xls-status-dates",
        "xls",
        11,
        ["seq", "name", "investor", "unit", "status", "total", "annual", "start", "end", "place"],
        {
            "name": "项目名称",
            "investor": "项目（法人）单位",
            "unit": "责任单位",
            "status": "建设状态",
            "total": "总投资（万元）",
            "annual": "2022年计划投资（万元）",
            "start": "计划开工时间",
            "end": "计划竣工时间",
            "place": "隶属区县",
        },
        total_row="top",
        duplicates=1,
    ),
    Spec(
        "L12-xlsx-big-sections",
        "xlsx",
        12,
        ["seq", "name", "investor", "unit", "chain", "total", "annual", "years", "content", "leader"],
        {
            "name": "项目名称",
            "investor": "建设单位",
            "unit": "责任单位",
            "chain": "所属产业链",
            "total": "总投资（万元）",
            "annual": "年度计划投资（万元）",
            "years": "建设起止年限",
            "content": "建设内容",
            "leader": "包抓领导",
        },
        per_section=6,
        levels=2,
        duplicates=2,
    ),
    Spec(
        "L13-xlsx-mismatch-warning",
        "xlsx",
        13,
        ["seq", "name", "investor", "unit", "total", "annual"],
        {
            "name": "项目名称",
            "investor": "建设单位",
            "unit": "责任单位",
            "total": "总投资（万元）",
            "annual": "年度计划投资（万元）",
        },
        levels=1,
        warnings=1,
        duplicates=0,
    ),
]


# --- projects -------------------------------------------------------------------------------------
def projects_for(spec: Spec) -> list[tuple[tuple[str, ...], list[Project]]]:
    """(section path, projects) in file order."""
    rng = random.Random(spec.seed)
    used: set[str] = set()
    out = []
    for top, subs in SECTIONS.items():
        groups = [(top,)]
        if spec.levels >= 2:
            groups = [(top, sub) for sub in subs[:2]]
        if spec.levels >= 3:
            groups = [(top, subs[0], leaf) for leaf in ("新建", "续建")] + [(top, subs[1])]
        for path in groups:
            projects = []
            for _i in range(spec.per_section):
                while True:
                    name = f"{rng.choice(PLACES[:3])}{rng.choice(NAME_PARTS)}{rng.choice(NAME_KINDS)}"
                    if rng.random() < 0.15:
                        name = f"年产5.5万吨{rng.choice(NAME_PARTS)}新材料项目"
                    if name not in used:
                        used.add(name)
                        break
                total = Decimal(rng.randint(5, 400) * 100)
                annual = None if rng.random() < 0.15 else Decimal(rng.randint(1, int(total / 100))) * 100
                start = rng.choice([2020, 2021, 2022])
                content = rng.choice(
                    [
                        "新建厂房及配套设施",
                        "建设光伏电站10万千瓦",
                        "新建道路3.2公里",
                        "建设年产5.5万吨生产线",
                        "改造供水管网",
                    ]
                )
                status = ""
                if start <= 2021:
                    status = rng.choice(["续建", "续建", "竣工"])
                else:
                    status = "新开工"
                projects.append(
                    Project(
                        name=name,
                        investor=rng.choice(ENTERPRISES + [f"青岛{rng.choice(NAME_PARTS)}投资有限公司"]),
                        unit=rng.choice(UNITS[:6])[0],
                        chain=CHAINS[rng.randrange(3)][0] if top == "产业项目" else "",
                        place=rng.choice(PLACES),
                        total=total,
                        annual=annual,
                        start=start,
                        end=start + rng.randint(0, 3),
                        content=content,
                        leader=rng.choice(["张建国", "李志强", "王海涛"]),
                        status=status,
                    )
                )
            out.append((path, projects))
    return out


# --- rendering ------------------------------------------------------------------------------------
CN = "一二三四五六七八九十"
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass
class Rendered:
    rows: list[list] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2
    date_cells: set = field(default_factory=set)


def _money(value: Decimal | None, spec: Spec, rng: random.Random, quirky: bool = True):
    if value is None:
        return "—"
    shown = value / Decimal(10000) if spec.money == "亿元" else value
    if spec.text_amounts and quirky:
        roll = rng.random()
        if roll < 0.08 and spec.money == "万元" and value % 1000 == 0:
            return f"{value / Decimal(10000):g}亿"  # "1.2亿" in a 万元 column
        if roll < 0.16 and spec.money == "万元" and value >= 1000:
            return f"{int(value):,}"  # "3,000"
        if roll < 0.22:
            return f"{shown:g}".translate(FULLWIDTH)  # full-width digits
    return float(shown) if spec.fmt != "csv" else f"{shown:g}"


def _date(year: int, month: int, style: str, rng: random.Random, end: bool = False):
    """A (planned) date written the way clerks write it; returns (cell, is_date_cell)."""
    choices = ["dot", "text", "slash", "serial", "date"] if style == "mixed" else [style]
    kind = rng.choice(choices)
    if end and rng.random() < 0.3:
        return f"{year}年底", False
    if kind == "dot":
        return f"{year}.{month}", False
    if kind == "text":
        return f"{year}年{month}月", False
    if kind == "slash":
        return f"{year}/{month}/15", False
    day = datetime.date(year, month, 15)
    if kind == "serial":
        return float((day - datetime.date(1899, 12, 30)).days), False
    return day, True


def _title(spec: Spec, key: str):
    title = spec.titles.get(key)
    if title is None:
        return {"seq": "序号"}.get(key, key)
    if spec.unit_in_header or key not in ("total", "annual") or isinstance(title, tuple):
        return title
    return title  # unit comes from the note above


def render(spec: Spec) -> tuple[Rendered, dict]:
    rng = random.Random(spec.seed * 7919)
    sections = projects_for(spec)
    out = Rendered()
    width = len(spec.columns)
    col = {c: i for i, c in enumerate(spec.columns)}
    two_rows = any(isinstance(_title(spec, c), tuple) for c in spec.columns)
    # Above the header.
    out.rows.append(["附件1"] + [""] * (width - 1))
    out.rows.append(["2022年西海岸新区重点项目建设计划表"] + [""] * (width - 1))
    out.merges.append((1, 0, 1, width - 1))
    note = "" if spec.unit_in_header else f"单位：{spec.money}"
    out.rows.append([""] * (width - 1) + [note])
    # The header.
    top_row, bottom_row = [], []
    for c in spec.columns:
        title = _title(spec, c)
        if isinstance(title, tuple):
            top_row.append(title[0])
            bottom_row.append(title[1])
        else:
            top_row.append(title)
            bottom_row.append("")
    header_at = len(out.rows)
    out.rows.append(top_row)
    if two_rows:
        out.rows.append(bottom_row)
        # Merge single titles down over both rows, and a group title across its columns.
        c = 0
        while c < width:
            title = _title(spec, spec.columns[c])
            if isinstance(title, tuple):
                end = c
                while (
                    end + 1 < width
                    and isinstance(_title(spec, spec.columns[end + 1]), tuple)
                    and _title(spec, spec.columns[end + 1])[0] == title[0]
                    and title[0] + title[1] != "建设起止年限"
                ):
                    end += 1
                if end > c:
                    out.merges.append((header_at, c, header_at, end))
                    for k in range(c + 1, end + 1):
                        out.rows[header_at][k] = ""
                c = end + 1
            else:
                out.merges.append((header_at, c, header_at + 1, c))
                c += 1
    # Rows.
    unique: dict[str, Project] = {}
    data_rows: list[tuple[list, Project]] = []
    body: list = []
    total_row = ["合计"] + [""] * (width - 1)
    if "seq" in col and col["seq"] == 0:
        total_row = [""] * width
        total_row[col["name"]] = "合计"
    body_sections = []
    all_projects = [p for _path, ps in sections for p in ps]
    open_paths: list[tuple] = []
    dup_at = {len(sections) - 1 - 2 * d for d in range(spec.duplicates)}
    for group, (path, projects) in enumerate(sections):
        # Section rows for each new level of the path.
        for level in range(len(path)):
            prefix = path[: level + 1]
            if prefix in open_paths:
                continue
            open_paths.append(prefix)
            label = path[level]
            index = sum(1 for p in open_paths if len(p) == level + 1 and p[:-1] == prefix[:-1])
            numeral = CN[index - 1]
            text = [f"{numeral}、{label}", f"（{numeral}）{label}", f"——{label}"][level]
            row = [""] * width
            if "seq" in col and level < 2 and rng.random() < 0.5:
                row[col["seq"]] = numeral if level == 0 else f"（{numeral}）"
                row[col["name"]] = label
            else:
                row[col["name"]] = text
            body.append(("section", row, prefix))
            body_sections.append(prefix)
        seq = 0
        extra = []
        if group in dup_at:
            # The same project again, once marked with ★ (or ▲), in a later section.
            candidates = [p for p in all_projects[: len(all_projects) // 2] if p not in projects]
            extra.append(candidates[rng.randrange(len(candidates))])
        for p in projects + extra:
            seq += 1
            row = [""] * width
            duplicate = p in extra
            for c in spec.columns:
                i = col[c]
                if c == "seq":
                    row[i] = float(seq) if spec.fmt != "csv" else str(seq)
                elif c == "name":
                    row[i] = (rng.choice("★▲") + p.name) if duplicate else p.name
                elif c == "investor":
                    row[i] = p.investor
                elif c == "unit":
                    names = {u[0]: (u[1] or u[0]) for u in UNITS}
                    row[i] = names[p.unit] if spec.unit_names == "short" else p.unit
                elif c == "place":
                    row[i] = p.place
                elif c == "chain":
                    row[i] = p.chain or "—"
                elif c == "years":
                    row[i] = (
                        f"{p.start}-{p.end}"
                        if p.end != p.start
                        else (float(p.start) if spec.fmt != "csv" and rng.random() < 0.5 else str(p.start))
                    )
                elif c == "total":
                    row[i] = _money(p.total, spec, rng)
                elif c == "annual":
                    row[i] = _money(p.annual, spec, rng)
                elif c == "content":
                    row[i] = p.content
                elif c == "leader":
                    row[i] = p.leader
                elif c == "status":
                    row[i] = p.status
                elif c == "start":
                    cell, is_date = _date(p.start, 3 + seq % 6, spec.date_style, rng)
                    row[i] = cell if not (is_date and spec.fmt == "csv") else cell.isoformat()
                    if is_date and spec.fmt != "csv":
                        out.date_cells.add((p.name, i))
                elif c == "end":
                    cell, is_date = _date(p.end, 10, spec.date_style, rng, end=True)
                    row[i] = cell if not (is_date and spec.fmt == "csv") else cell.isoformat()
            body.append(("data", row, path, p))
            data_rows.append((row, p))
            unique.setdefault(p.name, p)
        if spec.subtotal_rows:
            row = [""] * width
            row[col["name"]] = "小计"
            body.append(("subtotal", row, path, projects + extra))
    # Fill section subtotals and counts.
    for entry in body:
        if entry[0] != "section":
            continue
        prefix = entry[2]
        covered = [e[3] for e in body if e[0] == "data" and e[2][: len(prefix)] == prefix]
        row = entry[1]
        row[col["name"]] = f"{row[col['name']]}（{len(covered)}个）"
        _put_sums(row, covered, spec, col)
    mismatches = spec.warnings
    for entry in body:
        if entry[0] == "subtotal":
            _put_sums(entry[1], entry[3], spec, col)
            if mismatches:
                entry[1][col["total"]] = _money(sum(p.total for p in entry[3]) + 500, spec, rng, quirky=False)
                mismatches -= 1
    if mismatches and body:
        first_section = next(e for e in body if e[0] == "section")
        covered = [e[3] for e in body if e[0] == "data" and e[2][:1] == first_section[2][:1]]
        first_section[1][col["total"]] = _money(sum(p.total for p in covered) + 500, spec, rng, quirky=False)
    _put_sums(total_row, [p for _row, p in data_rows], spec, col)
    total_row[col["name"] if "seq" in col and col["seq"] == 0 else 0] = f"合计（{len(data_rows)}个）"
    if spec.total_row == "top":
        out.rows.append(total_row)
    for entry in body:
        out.rows.append(entry[1])
    if spec.total_row == "bottom":
        out.rows.append(total_row)
    out.rows.append(["注：★为省重点项目，▲为新增项目。"] + [""] * (width - 1))
    expected = {
        "projects": len(unique),
        "total_investment": sum((p.total for p in unique.values()), Decimal(0)),
        "annual_plan": sum((p.annual or Decimal(0) for p in unique.values()), Decimal(0)),
        "duplicates": len(data_rows) - len(unique),
        "warnings": spec.warnings,
        "names": sorted(unique),
    }
    return out, expected


def _put_sums(row, projects, spec: Spec, col) -> None:
    total = sum((p.total for p in projects), Decimal(0))
    annual = sum((p.annual or Decimal(0) for p in projects), Decimal(0))
    for key, value in (("total", total), ("annual", annual)):
        if key in col:
            shown = value / Decimal(10000) if spec.money == "亿元" else value
            row[col[key]] = float(shown) if spec.fmt != "csv" else f"{shown:g}"


SUMMARY = [
    ["类别", "项目个数", "总投资（万元）"],
    ["基础设施", 6, 120000.0],
    ["产业项目", 6, 360000.0],
    ["合计", 12, 480000.0],
]
PIVOT = [["行标签", "求和项:总投资"], ["区发展和改革局", 1000.0], ["总计", 1000.0]]


# --- writers --------------------------------------------------------------------------------------
def write_xlsx(rendered: Rendered, spec: Spec) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    if spec.extra_sheets:
        _xlsx_sheet(workbook, "汇总", SUMMARY, [], workbook)
    sheet = workbook.add_worksheet("重点项目")
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    wrap = workbook.add_format({"text_wrap": True, "bold": True, "align": "center", "valign": "vcenter"})
    merged = set()
    for r1, c1, r2, c2 in rendered.merges:
        value = rendered.rows[r1][c1]
        if (r1, c1) == (r2, c2):
            continue
        sheet.merge_range(r1, c1, r2, c2, value, wrap)
        merged.update((r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))
    for r, row in enumerate(rendered.rows):
        for c, value in enumerate(row):
            if (r, c) in merged or value in ("", None):
                continue
            if isinstance(value, datetime.date):
                sheet.write_datetime(r, c, datetime.datetime.combine(value, datetime.time()), date_format)
            elif isinstance(value, float):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, value, wrap if "\n" in value else None)
    if spec.extra_sheets:
        _xlsx_sheet(workbook, "数据透视", PIVOT, [], workbook)
    workbook.close()
    return buffer.getvalue()


def _xlsx_sheet(workbook, name, rows, merges, _wb):
    sheet = workbook.add_worksheet(name)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)


def write_xls(rendered: Rendered, spec: Spec) -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    if spec.extra_sheets:
        summary = book.add_sheet("汇总")
        for r, row in enumerate(SUMMARY):
            for c, value in enumerate(row):
                summary.write(r, c, value)
    sheet = book.add_sheet("重点项目")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    header_style = xlwt.easyxf("font: bold on; align: wrap on, horiz center, vert center")
    merged = set()
    for r1, c1, r2, c2 in rendered.merges:
        if (r1, c1) == (r2, c2):
            continue
        sheet.write_merge(r1, r2, c1, c2, rendered.rows[r1][c1], header_style)
        merged.update((r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))
    for r, row in enumerate(rendered.rows):
        for c, value in enumerate(row):
            if (r, c) in merged or value in ("", None):
                continue
            if isinstance(value, datetime.date):
                sheet.write(r, c, value, date_style)
            else:
                sheet.write(r, c, value)
    if spec.extra_sheets:
        pivot = book.add_sheet("数据透视")
        for r, row in enumerate(PIVOT):
            for c, value in enumerate(row):
                pivot.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_csv(rendered: Rendered, spec: Spec) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    for row in rendered.rows:
        writer.writerow(["" if v is None else (v if isinstance(v, str) else f"{v:g}") for v in row])
    encoding = spec.encoding
    return text.getvalue().encode(encoding)


def build(spec: Spec) -> tuple[bytes, str, dict]:
    rendered, expected = render(spec)
    if spec.fmt == "xlsx":
        data = write_xlsx(rendered, spec)
    elif spec.fmt == "xls":
        data = write_xls(rendered, spec)
    else:
        data = write_csv(rendered, spec)
    return data, f"{spec.key}.{spec.fmt}", expected


def reference_data():
    """The units, chains and enterprises the corpus names (call inside a test database)."""
    from chainlead.chains.models import KeyChain
    from chainlead.enterprises.models import Enterprise
    from chainlead.organization.models import Unit

    office = Unit.objects.create(name="重点产业链工作领导小组办公室", short_name="链长办", kind="office")
    units = {"office": office}
    for name, short, kind in UNITS:
        units[name] = Unit.objects.create(name=name, short_name=short, kind=kind)
    chains = {}
    for name, short, code in CHAINS:
        chains[name] = KeyChain.objects.create(
            name=name, short_name=short, code=code, lead_department=units["区工业和信息化局"]
        )
    enterprises = {name: Enterprise.objects.create(name=name) for name in ENTERPRISES}
    return units, chains, enterprises
