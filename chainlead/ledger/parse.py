"""From sheets and their layouts to clean rows: values normalised, section rows turned into
categories, 合计/小计 rows skipped and checked, duplicates flagged.

No database here either: names of units, chains and enterprises stay text; the importer resolves
them (``chainlead.ledger.importer``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from chainlead.ledger import fields as F
from chainlead.ledger.normalise import (
    CellError,
    cell_text,
    chinese_numeral,
    clean_name,
    compact,
    count_in,
    is_empty,
    match_key,
    multiplier,
    parse_amount,
    parse_date,
    parse_number,
    parse_years,
    section_info,
    section_label,
    total_kind,
)
from chainlead.projects.choices import (
    AgreementType,
    InvestmentNature,
    Level,
    ProjectType,
    Purpose,
    Stage,
)

#: Text a stage/status column may hold → stage. Exact stage labels ("开工") come from ``Stage``.
STATUS_WORDS = {
    "线索": Stage.LEAD,
    "储备": Stage.LEAD,
    "谋划": Stage.LEAD,
    "在谈": Stage.NEGOTIATING,
    "洽谈": Stage.NEGOTIATING,
    "洽谈中": Stage.NEGOTIATING,
    "在洽谈": Stage.NEGOTIATING,
    "已签约": Stage.SIGNED,
    "签约": Stage.SIGNED,
    "已注册": Stage.REGISTERED,
    "注册": Stage.REGISTERED,
    "已落地": Stage.REGISTERED,
    "新开工": Stage.STARTED,
    "已开工": Stage.STARTED,
    "开工": Stage.STARTED,
    "在建": Stage.STARTED,
    "续建": Stage.STARTED,
    "竣工": Stage.COMPLETED,
    "已竣工": Stage.COMPLETED,
    "建成": Stage.COMPLETED,
    "投产": Stage.IN_PRODUCTION,
    "已投产": Stage.IN_PRODUCTION,
    "竣工投产": Stage.IN_PRODUCTION,
    "运营": Stage.IN_PRODUCTION,
    "达产": Stage.AT_CAPACITY,
    "已达产": Stage.AT_CAPACITY,
    "暂缓": Stage.ON_HOLD,
    "停缓建": Stage.ON_HOLD,
    "停建": Stage.ON_HOLD,
    "缓建": Stage.ON_HOLD,
    "终止": Stage.TERMINATED,
    "已终止": Stage.TERMINATED,
    "解约": Stage.TERMINATED,
}
#: Statuses that mean "under construction this year": they never move a project that is already
#: past 开工 backwards (a 续建 project that has since been completed stays completed).
AT_LEAST_STARTED = frozenset({"新开工", "已开工", "在建", "续建"})

CHOICE_ALIASES = {
    "level": {
        "省级": Level.PROVINCE,
        "省重点": Level.PROVINCE,
        "市级": Level.CITY,
        "市重点": Level.CITY,
        "区级": Level.DISTRICT,
        "区重点": Level.DISTRICT,
        "县级": Level.DISTRICT,
    },
    "project_type": {
        "产业": ProjectType.INDUSTRIAL,
        "产业类": ProjectType.INDUSTRIAL,
        "工业": ProjectType.INDUSTRIAL,
        "工业项目": ProjectType.INDUSTRIAL,
        "产业项目": ProjectType.INDUSTRIAL,
        "服务业": ProjectType.SERVICE,
        "服务业项目": ProjectType.SERVICE,
        "科技": ProjectType.TECH,
        "科创": ProjectType.TECH,
        "基础设施": ProjectType.INFRASTRUCTURE,
        "基础设施类": ProjectType.INFRASTRUCTURE,
        "基础设施项目": ProjectType.INFRASTRUCTURE,
        "基础设施建设": ProjectType.INFRASTRUCTURE,
        "民生": ProjectType.LIVELIHOOD,
        "社会事业": ProjectType.LIVELIHOOD,
        "民生项目": ProjectType.LIVELIHOOD,
        "社会民生类": ProjectType.LIVELIHOOD,
    },
    "investment_nature": {
        "企业投资": InvestmentNature.SOCIAL,
        "社会": InvestmentNature.SOCIAL,
        "政府": InvestmentNature.GOVERNMENT,
        "财政投资": InvestmentNature.GOVERNMENT,
    },
    "purpose": {},
    "agreement_type": {},
}
CHOICES = {
    "level": Level,
    "project_type": ProjectType,
    "investment_nature": InvestmentNature,
    "purpose": Purpose,
    "agreement_type": AgreementType,
}
#: A date column read as the *end* of a month or year when no day is given.
END_DATES = frozenset(
    {"planned_completion_on", "planned_production_on", "completed_on", "production_on", "capacity_on"}
)
#: First characters of a cell that may open a section ("一、", "（一）", "——", "第一部分").
SECTION_STARTS = frozenset("一二三四五六七八九十百第（(—-－")
NOTE_STARTS = (
    "注",
    "说明",
    "备注",
    "填报单位",
    "填报人",
    "填表人",
    "制表",
    "审核",
    "联系人",
    "数据来源",
    "附件",
)


def choice_lookup(key: str) -> dict[str, str]:
    """Label, value and alias → value, all compacted."""
    enum = CHOICES[key]
    table = {compact(str(label)): value for value, label in enum.choices}
    table.update({compact(value): value for value in enum.values})
    table.update({compact(alias): value for alias, value in CHOICE_ALIASES[key].items()})
    return table


def stage_lookup() -> dict[str, str]:
    table = {compact(str(label)): value for value, label in Stage.choices}
    table.update({compact(value): value for value in Stage.values})
    table.update({compact(word): stage for word, stage in STATUS_WORDS.items()})
    return table


@dataclass(slots=True)
class ParsedRow:
    """One project row: ``values`` maps field key → normalised value (text for names to resolve)."""

    sheet: int
    row: int  # the row number Excel shows (1-based)
    values: dict
    headers: dict  # field key → the column title, for messages
    section: tuple = ()
    marked: bool = False
    errors: list = field(default_factory=list)
    duplicate_of: int | None = None  # index in ParseResult.rows of the first occurrence
    status_text: str = ""
    key: str = ""  # the name as compared (``name_key``)


@dataclass
class ParseResult:
    rows: list[ParsedRow] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)
    totals: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    multi_sheet: bool = False
    sheet_names: dict = field(default_factory=dict)

    def where(self, sheet: int, row: int) -> str:
        """ "第12行" (with the sheet name when the file has several data sheets)."""
        if self.multi_sheet:
            return _("工作表“{}”第{}行").format(self.sheet_names.get(sheet, sheet), row)
        return _("第{}行").format(row)

    @property
    def error_count(self) -> int:
        return sum(1 for r in self.rows if r.errors)


class _Converter:
    """Reads the cells of one column; results (and errors) are cached per distinct cell value."""

    __slots__ = ("cache", "func")

    def __init__(self, func):
        self.func = func
        self.cache: dict = {}

    def __call__(self, value):
        try:
            return self.cache[value]
        except KeyError:
            pass
        except TypeError:  # unhashable
            return self._convert(value)
        result = self._convert(value)
        self.cache[value] = result
        return result

    def _convert(self, value):
        try:
            return self.func(value), None
        except CellError as exc:
            return None, exc.message


def _text(value):
    if is_empty(value):
        return None
    text = cell_text(value)
    return text or None


def _name(value):
    if is_empty(value):
        return None
    return clean_name(cell_text(value))


def converter_for(key: str, column_unit: str, note_unit: str) -> _Converter | None:
    spec = F.BY_KEY[key]
    kind = spec.kind
    if kind in (F.SEQ, F.READONLY):
        return None
    if key == "name":
        return _Converter(_name)
    if kind in (F.TEXT, F.CODE, F.PHONE, F.UNIT, F.AREA, F.CHAIN, F.NODE, F.INVESTOR):
        if kind == F.CODE:
            return _Converter(lambda v: (_text(v) or "").upper() or None)
        return _Converter(_text)
    if kind == F.AMOUNT:
        factor = multiplier(column_unit or note_unit)
        if column_unit in ("美元", "万美元", "亿美元"):

            def usd_in_rmb(value):
                if is_empty(value) if isinstance(value, str) else value is None:
                    return None
                raise CellError(_("本列的单位是美元，不能作为人民币金额导入"))

            return _Converter(usd_in_rmb)
        return _Converter(lambda v: parse_amount(v, factor=factor))
    if kind == F.USD:
        factor = multiplier(
            column_unit if column_unit in ("美元", "万美元", "亿美元") else "万美元", usd=True
        )
        return _Converter(lambda v: parse_amount(v, factor=factor, usd=True))
    if kind == F.INTEGER:
        return _Converter(lambda v: parse_number(v, integer=True))
    if kind == F.QUANTITY:
        return _Converter(parse_number)
    if kind == F.DECIMAL:

        def decimal(value):
            if value is None or (isinstance(value, str) and is_empty(value)):
                return None
            try:
                return Decimal(repr(value) if isinstance(value, float) else compact(str(value)))
            except ArithmeticError:
                raise CellError(_("“{}”不是有效的数字").format(cell_text(value))) from None

        return _Converter(decimal)
    if kind == F.DATE:
        end = key in END_DATES
        return _Converter(lambda v: parse_date(v, end=end))
    if kind == F.YEARS:
        return _Converter(parse_years)
    if kind == F.CHOICE:
        table = choice_lookup(key)
        labels = "、".join(str(label) for _value, label in CHOICES[key].choices)

        def choice(value):
            if is_empty(value):
                return None
            found = table.get(compact(cell_text(value)))
            if found is None:
                raise CellError(_("“{}”不是可选的值（可选：{}）").format(cell_text(value), labels))
            return found

        return _Converter(choice)
    if kind == F.STAGE:
        table = stage_lookup()

        def stage(value):
            if is_empty(value):
                return None
            text = compact(cell_text(value))
            found = table.get(text)
            if found is None:
                raise CellError(_("“{}”不是可识别的项目阶段或建设状态").format(cell_text(value)))
            return (found, text)

        return _Converter(stage)
    raise ValueError(kind)


def parse(sheets, layouts) -> ParseResult:
    """All data sheets of a workbook → rows, sections, totals, warnings and duplicates."""
    result = ParseResult()
    data_layouts = [layout for layout in layouts if layout.is_data]
    result.multi_sheet = len(data_layouts) > 1
    result.sheet_names = {layout.index: layout.name for layout in data_layouts}
    for layout in data_layouts:
        _parse_sheet(sheets[layout.index], layout, result)
    _flag_duplicates(result)
    return result


def _parse_sheet(sheet, layout, result: ParseResult) -> None:
    columns = layout.field_columns()
    converters = []
    headers = {}
    for key, column in columns.items():
        spec = F.BY_KEY.get(key)
        if spec is None or not spec.importable:
            continue
        conv = converter_for(key, column.unit, layout.note_unit)
        if conv is not None:
            converters.append((key, column.index, conv))
            headers[key] = column.header
    name_col = columns["name"].index if "name" in columns else None
    seq_col = columns["seq"].index if "seq" in columns else None
    header_compact = [compact(c.header) for c in layout.columns]
    stack: list[dict] = []  # open sections, by level
    first_row_index = len(result.rows)
    boundary = first_row_index  # rows since the last section/subtotal boundary
    pending_subtotal: dict | None = None  # a 小计 directly under a section: covers the rows below
    sheet_sections: list[dict] = []
    rows = sheet.rows
    section_path: tuple = ()
    name_title = (layout.columns[name_col].header if name_col is not None else "").strip()
    sheet_index = layout.index
    append = result.rows.append
    for r in range(layout.data_start, len(rows)):
        cells = rows[r]
        width = len(cells)
        name_cell = cells[name_col] if name_col is not None and name_col < width else None
        seq_cell = cells[seq_col] if seq_col is not None and seq_col < width else None
        first_cell = cells[0] if width else None
        # Fast path, the common case: a project row (a name that opens no section and is no total,
        # a numeric or empty 序号).
        if not (
            type(name_cell) is str
            and name_cell
            and name_cell[0] not in SECTION_STARTS
            and "计" not in name_cell[:6]
            and name_cell.strip() != name_title
            and (
                seq_cell is None
                or seq_cell == ""
                or type(seq_cell) is float
                or type(seq_cell) is int
                or (type(seq_cell) is str and seq_cell.strip().isdigit())
            )
            and (type(first_cell) is not str or "计" not in first_cell[:6])
        ):
            if not any(v not in (None, "") for v in cells):
                continue
            label_cells = [v for v in (seq_cell, name_cell, *cells[:3]) if isinstance(v, str) and v.strip()]
            # A header repeated on every printed page.
            if [compact(cell_text(v)) for v in cells[: len(header_compact)]] == header_compact:
                continue
            kind = next((k for k in map(total_kind, label_cells) if k), None)
            if kind:
                amounts = _amounts(cells, columns, layout)
                text = " ".join(cell_text(v) for v in label_cells)
                total = {
                    "sheet": sheet_index,
                    "row": r + 1,
                    "kind": kind,
                    "amounts": amounts,
                    "count": count_in(text),
                    "start": boundary,
                    "end": len(result.rows),
                }
                if kind == "total":
                    total["start"] = first_row_index
                elif len(result.rows) == boundary:
                    pending_subtotal = total  # 小计 above its rows
                result.totals.append(total)
                boundary = len(result.rows)
                continue
            section = None
            for candidate in (name_cell, seq_cell):
                if isinstance(candidate, str):
                    section = section_info(candidate)
                    if section:
                        break
            if (
                section is None
                and chinese_numeral(seq_cell)
                and isinstance(name_cell, str)
                and name_cell.strip()
            ):
                level = 1 if "（" not in str(seq_cell) and "(" not in str(seq_cell) else 2
                section = (level, section_label(name_cell))
            if section is not None:
                level, label = section
                _close_sections(stack, level, len(result.rows), pending_subtotal, result)
                pending_subtotal = None
                text = " ".join(cell_text(v) for v in cells if isinstance(v, str))
                entry = {
                    "sheet": sheet_index,
                    "row": r + 1,
                    "level": level,
                    "label": label,
                    "count": count_in(text),
                    "amounts": _amounts(cells, columns, layout),
                    "start": len(result.rows),
                    "end": None,
                    "path": tuple(s["label"] for s in stack) + (label,),
                }
                stack.append(entry)
                sheet_sections.append(entry)
                section_path = entry["path"]
                boundary = len(result.rows)
                continue
            if name_cell is None or (isinstance(name_cell, str) and not name_cell.strip()):
                first = next((cell_text(v) for v in cells if cell_text(v)), "")
                if first.startswith(NOTE_STARTS) or sum(1 for v in cells if cell_text(v)) == 1:
                    continue  # a note under the table, a signature line
        values = {}
        errors = None
        for key, index, conv in converters:
            raw = cells[index] if index < width else None
            if raw is None or raw == "":
                continue
            value, error = conv(raw)
            if error:
                if errors is None:
                    errors = []
                errors.append((key, error))
            elif value is not None:
                values[key] = value
        marked = False
        name = values.get("name")
        if name is not None:
            values["name"], marked = name
        row = ParsedRow(sheet_index, r + 1, values, headers, section_path, marked, [])
        if errors or not values.get("name"):
            where = result.where(sheet_index, r + 1)
            for key, message in errors or ():
                row.errors.append(_("{}，列“{}”：{}").format(where, headers.get(key, key), message))
            if not values.get("name"):
                row.errors.append(
                    _("{}，列“{}”：缺少项目名称").format(where, headers.get("name", _("项目名称")))
                )
        stage = values.get("stage")
        if stage is not None:
            values["stage"], row.status_text = stage
        append(row)
        if pending_subtotal is not None:
            pending_subtotal["end"] = len(result.rows)
    _close_sections(stack, 0, len(result.rows), pending_subtotal, result)
    # Check every section and total against the rows it covers.
    for entry in sheet_sections:
        _check_sum(
            result, entry, entry["start"], entry["end"], _("（分类“{}”）的小计").format(entry["label"])
        )
        result.sections.append(
            {
                "sheet": entry["sheet"],
                "row": entry["row"],
                "level": entry["level"],
                "label": entry["label"],
                "path": list(entry["path"]),
                "count": entry["count"],
                "rows": entry["end"] - entry["start"],
            }
        )
    for total in result.totals:
        if total["sheet"] != layout.index:
            continue
        if total["kind"] == "total":
            total["end"] = len(result.rows)
        label = _("合计") if total["kind"] == "total" else _("小计")
        _check_sum(result, total, total["start"], total["end"], label)


def _close_sections(stack, level, end, pending, result) -> None:
    while stack and stack[-1]["level"] >= level:
        entry = stack.pop()
        entry["end"] = end
    if pending is not None and pending.get("end") is None:
        pending["end"] = end


def _amounts(cells, columns, layout) -> dict:
    out = {}
    for key in F.SUM_KEYS:
        column = columns.get(key)
        if column is None or column.index >= len(cells):
            continue
        try:
            value = parse_amount(cells[column.index], factor=multiplier(column.unit or layout.note_unit))
        except CellError:
            continue
        if value is not None:
            out[key] = value
    return out


def _tolerance(amount: Decimal) -> Decimal:
    return max(Decimal("1.00"), abs(amount) * Decimal("0.0005"))


def _check_sum(result: ParseResult, entry: dict, start: int, end: int, label: str) -> None:
    """Warn when a stated subtotal (or count) differs from the rows it covers."""
    rows = result.rows[start:end]
    where = result.where(entry["sheet"], entry["row"])
    for key, stated in entry["amounts"].items():
        actual = sum((r.values.get(key) or Decimal(0) for r in rows), Decimal(0))
        if abs(actual - stated) > _tolerance(stated):
            result.warnings.append(
                _("{}{}与明细之和不符：{} {:,.2f} 万元，明细之和 {:,.2f} 万元（差 {:,.2f} 万元）").format(
                    where, label, str(F.BY_KEY[key].label).split("（")[0], stated, actual, stated - actual
                )
            )
    count = entry.get("count")
    if count is not None and count != len(rows):
        result.warnings.append(
            _("{}{}写明 {} 个项目，明细实际有 {} 行").format(where, label, count, len(rows))
        )


def name_key(name: str) -> str:
    """``match_key`` for a name whose marks are already stripped (cheaper, same result)."""
    return compact(name).replace("(", "（").replace(")", "）").lower()


def _flag_duplicates(result: ParseResult) -> None:
    """The same project twice in the file (markers ★▲ stripped): the first row is imported."""
    by_code: dict[str, int] = {}
    by_name: dict[tuple, int] = {}
    investor_keys: dict[str, str] = {}
    for i, row in enumerate(result.rows):
        values = row.values
        name = values.get("name")
        if not name:
            continue
        row.key = name_key(name)
        code = values.get("project_code")
        investor = values.get("investor") or ""
        investor_key = investor_keys.get(investor)
        if investor_key is None:
            investor_key = investor_keys[investor] = match_key(investor)
        key = (row.key, investor_key)
        first = by_code.get(code) if code else None
        if first is None:
            first = by_name.get(key)
        if first is None:
            if code:
                by_code[code] = i
            by_name[key] = i
            continue
        row.duplicate_of = first
        original = result.rows[first]
        differing = [
            str(F.BY_KEY[k].label)
            for k in sorted(set(original.values) | set(row.values))
            if k in F.BY_KEY and k != "name" and original.values.get(k) != row.values.get(k)
        ]
        message = _("{}与{}是同一项目“{}”（去掉★▲等标记后名称和建设单位相同），只导入{}").format(
            result.where(row.sheet, row.row),
            result.where(original.sheet, original.row),
            name,
            result.where(original.sheet, original.row),
        )
        if differing:
            message += _("；两行不同的列：{}").format("、".join(differing))
        result.duplicates.append(message)


def is_date(value) -> bool:
    return isinstance(value, datetime.date)
