"""Pure functions that turn what clerks type into clean values: amounts in 万元, dates, names,
section rows and total rows. No database, no Django models: every rule here has a unit test.

Errors are ``CellError`` with a plain Chinese message; the importer prefixes the row and column
("第12行，列“总投资”：…").
"""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

CENT = Decimal("0.01")
WAN = Decimal(1)
YI = Decimal(10000)
YUAN = Decimal("0.0001")

#: Written where a value is empty: "—", "-", "/", "无"…
EMPTY_MARKS = frozenset(
    {"", "—", "——", "-", "--", "/", "／", "无", "暂无", "n/a", "N/A", "不详", "待定", "\\", "－", "—　", "…"}
)
#: Annotation marks before or after a project name (★ 省重点, ▲ 新增…): stripped before matching.
MARKERS = "★☆▲△▼▽●○◆◇※■□√*＊"
_MARKER_RE = re.compile(f"^[{re.escape(MARKERS)}\\s]+|[{re.escape(MARKERS)}\\s]+$")
_SPACE_RE = re.compile(r"\s+")
#: Text that asks a spreadsheet to compute ("=SUM(…)", "+1", "-1", "@x"): exports write it with a
#: leading apostrophe in CSV; imports drop that apostrophe again.
FORMULA_START = ("=", "+", "-", "@")

#: Money units → multiplier to 万元 (or to 万美元 for US dollars).
RMB_UNITS = {
    "": None,
    "元": YUAN,
    "万": WAN,
    "万元": WAN,
    "十万元": Decimal(10),
    "百万元": Decimal(100),
    "百万": Decimal(100),
    "千万元": Decimal(1000),
    "千万": Decimal(1000),
    "亿": YI,
    "亿元": YI,
    "人民币万元": WAN,
    "人民币亿元": YI,
}
USD_UNITS = {"美元": YUAN, "万美元": WAN, "亿美元": YI}
_AMOUNT_RE = re.compile(r"^([+-]?)(\d+(?:\.\d+)?|\.\d+)([^\d]*)$")
#: Things counted in 万 that are not money: 10万千瓦, 年产5.5万吨, 3万平方米.
_QUANTITY_RE = re.compile(
    r"\d\s*(?:万|亿|千)?\s*(?:千瓦时|千瓦|兆瓦|瓦|吨|平方米|平米|㎡|m2|亩|公顷|辆|台|套|件|人|个|只|片|张|头|米|公里|千米|立方米|方|箱|册|部|块|艘|架|标箱|车位|床|户|kw|KW|kW|MW|GW|t)"
)
#: Units that may appear in a column title: "总投资（亿元）", "用地（亩）", "新增就业（人）".
_HEADER_UNIT_RE = re.compile(
    r"[(（]\s*(?:单位\s*[:：]\s*)?(万元|亿元|元|万美元|亿美元|美元|千万元|百万元|人民币万元|人民币亿元|亩|人|%|个|平方米|公顷)\s*[)）]"
)
_NOTE_UNIT_RE = re.compile(r"(?:金额|资金|投资)?单位\s*[:：]\s*(人民币)?(万元|亿元|元|万美元|千万元|百万元)")


class CellError(ValueError):
    """A value that cannot be read; ``message`` says why, in Chinese."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


# --- text ---------------------------------------------------------------------------------------
def nfkc(text: str) -> str:
    """Full-width digits, letters and punctuation to their ordinary forms (３０００ → 3000)."""
    return unicodedata.normalize("NFKC", text)


def compact(text) -> str:
    """For comparing titles and labels: NFKC, no whitespace at all, no line breaks."""
    if text is None:
        return ""
    return _SPACE_RE.sub("", nfkc(str(text)))


def strip_formula_guard(text: str) -> str:
    """Drop the apostrophe a CSV export puts before text that starts like a formula."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_START:
        return text[1:]
    return text


def cell_text(value) -> str:
    """Any cell as text: numbers without a spurious ".0", dates as ISO, text stripped."""
    if value is None:
        return ""
    if isinstance(value, str):
        return strip_formula_guard(value.strip())
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def is_empty(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() in EMPTY_MARKS or compact(value) in EMPTY_MARKS
    return False


def clean_name(text: str) -> tuple[str, bool]:
    """A project name without its annotation marks (★▲…) and surrounding spaces; True if a mark
    was removed. Line breaks inside the name become nothing (a cell wrapped by hand)."""
    text = (text or "").replace("\r", "").replace("\n", "").strip()
    cleaned = _MARKER_RE.sub("", text).strip()
    return cleaned, cleaned != text


def match_key(text: str) -> str:
    """The key two names are compared by: no marks, no spaces, full-width folded, brackets alike."""
    cleaned, _marked = clean_name(text or "")
    return compact(cleaned).replace("(", "（").replace(")", "）").lower()


# --- units --------------------------------------------------------------------------------------
def header_unit(title) -> tuple[str, str]:
    """(title without its unit, unit) for a column title: "总投资（亿元）" → ("总投资", "亿元").

    Both are compacted (NFKC, no spaces), so "总投资\n(亿元)" gives the same."""
    text = compact(title)
    match = _HEADER_UNIT_RE.search(text)
    if not match:
        return text, ""
    return text[: match.start()] + text[match.end() :], match.group(1)


def note_unit(text) -> str:
    """The money unit a note above the header declares ("单位：亿元"), or ""."""
    if not isinstance(text, str):
        return ""
    match = _NOTE_UNIT_RE.search(compact(text))
    return match.group(2) if match else ""


def multiplier(unit: str, *, usd: bool = False) -> Decimal:
    """How many 万元 (万美元 for a dollar column) one of ``unit`` is; 万 when no unit is given."""
    table = USD_UNITS if usd else RMB_UNITS
    value = table.get(unit or "")
    if value is None and not usd and unit in USD_UNITS:
        return WAN  # caller reports the currency mismatch per cell
    return value if value is not None else WAN


# --- amounts ------------------------------------------------------------------------------------
def _decimal(number) -> Decimal:
    if isinstance(number, float):
        return Decimal(repr(number))
    return Decimal(number)


def parse_amount(value, *, factor: Decimal = WAN, usd: bool = False) -> Decimal | None:
    """An amount in 万元 (or 万美元 when ``usd``), two decimals.

    ``factor`` converts a bare number (from the column's unit or a note above the header); a unit
    in the cell itself wins: "1.2亿" is 12000 万元 whatever the column says."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float, Decimal)):
        if isinstance(value, float) and value != value:  # NaN
            return None
        return (_decimal(value) * factor).quantize(CENT, ROUND_HALF_UP)
    if isinstance(value, (datetime.date, datetime.datetime)):
        raise CellError(_("“{}”是日期，不是金额").format(cell_text(value)))
    raw = str(value).strip()
    text = strip_formula_guard(raw)
    if is_empty(text):
        return None
    text = compact(text).replace(",", "").replace("，", "")
    if text.startswith(("约", "≈")):
        text = text[1:]
    match = _AMOUNT_RE.match(text)
    if match is None:
        if _QUANTITY_RE.search(text):
            raise CellError(_("“{}”是数量，不是金额").format(raw))
        raise CellError(_("“{}”不是有效的金额").format(raw))
    sign, number, unit = match.groups()
    unit = unit.strip()
    if unit.endswith(("人民币",)):
        unit = unit[: -len("人民币")]
    amount = Decimal(number)
    if sign == "-":
        amount = -amount
    if usd:
        if unit in USD_UNITS:
            return (amount * USD_UNITS[unit]).quantize(CENT, ROUND_HALF_UP)
        if unit in RMB_UNITS and unit:
            raise CellError(_("“{}”是人民币金额，本列应填万美元").format(raw))
        if unit:
            raise CellError(_("“{}”的单位“{}”无法识别").format(raw, unit))
        return (amount * factor).quantize(CENT, ROUND_HALF_UP)
    if unit in USD_UNITS:
        raise CellError(_("“{}”是美元金额，请填到“利用外资（万美元）”列").format(raw))
    if unit in RMB_UNITS:
        scale = RMB_UNITS[unit] if unit else factor
        return (amount * scale).quantize(CENT, ROUND_HALF_UP)
    if _QUANTITY_RE.search(text):
        raise CellError(_("“{}”是数量，不是金额").format(raw))
    raise CellError(_("“{}”的单位“{}”无法识别").format(raw, unit))


def parse_number(value, *, integer: bool = False) -> Decimal | int | None:
    """A plain number (用地亩数, 就业人数): "1,200" and full-width digits accepted, no units of money."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float, Decimal)):
        number = _decimal(value)
    else:
        raw = str(value).strip()
        text = compact(strip_formula_guard(raw)).replace(",", "")
        if is_empty(text):
            return None
        text = re.sub(r"(亩|人|个|公顷)$", "", text)
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellError(_("“{}”不是有效的数字").format(raw)) from None
    if integer:
        if number != number.to_integral_value():
            raise CellError(_("“{}”应为整数").format(cell_text(value)))
        return int(number)
    return number.quantize(CENT, ROUND_HALF_UP)


# --- dates --------------------------------------------------------------------------------------
EXCEL_EPOCH = datetime.date(1899, 12, 30)
_FULL_DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})(?:月份|月)?(底|末|初|中旬|上旬|下旬)?$")
_YEAR_RE = re.compile(r"^(\d{4})(?:年)?(底|末|年底|年末|初|年初|上半年|下半年|内|年内|全年)?$")
_RANGE_RE = re.compile(r"^(\d{4}\S*?)\s*(?:—+|~|～|至|到|-|－)\s*(\d{4}\S*)$")


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _checked(year: int, month: int, day: int, raw) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise CellError(_("“{}”不是有效的日期").format(cell_text(raw))) from None


def excel_serial(number: float) -> datetime.date:
    """An Excel serial day number (1900 system) as a date."""
    return EXCEL_EPOCH + datetime.timedelta(days=int(number))


def parse_date(value, *, end: bool = False) -> datetime.date | None:
    """A date from what clerks write: 2022.3, 2022年3月, 2022年底, 2022/3/15, an Excel serial…

    A month or a year without a day means its first day, or its last when ``end`` (a completion
    date): "2022年3月" → 2022-03-01 (end: 2022-03-31); "2022年底" → 2022-12-31."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)):
        if 1900 <= value <= 2100:
            if float(value).is_integer():
                year = int(value)
                return datetime.date(year, 12, 31) if end else datetime.date(year, 1, 1)
            # 2022.3 typed into a number cell (2022.10 cannot be told from 2022.1: Excel drops the 0).
            year_text, month_text = repr(float(value)).split(".")
            month = int(month_text)
            if not 1 <= month <= 12:
                raise CellError(_("“{}”不是有效的年月").format(cell_text(value)))
            year = int(year_text)
            return _month_end(year, month) if end else datetime.date(year, month, 1)
        if 10000 <= value <= 80000:
            return excel_serial(value)
        raise CellError(_("“{}”不是有效的日期").format(cell_text(value)))
    raw = str(value)
    text = compact(strip_formula_guard(raw.strip()))
    if is_empty(text):
        return None
    text = text.replace("年度", "年")
    if match := _FULL_DATE_RE.match(text):
        return _checked(int(match[1]), int(match[2]), int(match[3]), raw)
    if match := _COMPACT_DATE_RE.match(text):
        return _checked(int(match[1]), int(match[2]), int(match[3]), raw)
    if match := _MONTH_RE.match(text):
        year, month, when = int(match[1]), int(match[2]), match[3]
        if not 1 <= month <= 12:
            raise CellError(_("“{}”不是有效的年月").format(raw.strip()))
        if when in ("底", "末", "下旬"):
            return _month_end(year, month)
        if when == "中旬":
            return datetime.date(year, month, 15)
        if when in ("初", "上旬"):
            return datetime.date(year, month, 1)
        return _month_end(year, month) if end else datetime.date(year, month, 1)
    if match := _YEAR_RE.match(text):
        year, when = int(match[1]), match[2] or ""
        if when in ("底", "末", "年底", "年末"):
            return datetime.date(year, 12, 31)
        if when in ("初", "年初"):
            return datetime.date(year, 1, 1)
        if when == "上半年":
            return datetime.date(year, 6, 30) if end else datetime.date(year, 1, 1)
        if when == "下半年":
            return datetime.date(year, 12, 31) if end else datetime.date(year, 7, 1)
        return datetime.date(year, 12, 31) if end else datetime.date(year, 1, 1)
    if text.isdigit() and len(text) == 5:
        return excel_serial(int(text))
    if _RANGE_RE.match(text):
        raise CellError(_("“{}”是起止年限，不是单个日期").format(raw.strip()))
    raise CellError(_("“{}”不是有效的日期").format(raw.strip()))


def parse_years(value) -> tuple[datetime.date | None, datetime.date | None]:
    """Start and end of a 建设起止年限: "2022-2024" → (2022-01-01, 2024-12-31); "2022" → the year;
    "2022.3-2023.6" → (2022-03-01, 2023-06-30)."""
    if value is None or isinstance(value, bool):
        return None, None
    if isinstance(value, (int, float)) and 1900 <= value <= 2100:
        return parse_date(value), parse_date(value, end=True)
    if isinstance(value, (datetime.date, datetime.datetime, int, float)):
        return parse_date(value), None
    raw = str(value)
    text = compact(strip_formula_guard(raw.strip()))
    if is_empty(text):
        return None, None
    if match := _RANGE_RE.match(text):
        first, second = match[1], match[2]
        if not _FULL_DATE_RE.match(text):
            return parse_date(first), parse_date(second, end=True)
    start = parse_date(text)
    if _YEAR_RE.match(text) and not re.search(r"(底|末|初)", text):
        return start, parse_date(text, end=True)
    return start, None


# --- sections and totals ------------------------------------------------------------------------
_CN_NUM = "一二三四五六七八九十百零〇"
_SECTION_PATTERNS = (
    (1, re.compile(rf"^第[{_CN_NUM}\d]+(?:部分|类|篇)[、.:：\s]*(.*)$")),
    (1, re.compile(rf"^[{_CN_NUM}]+[、.．]\s*(.+)$")),
    (2, re.compile(rf"^[（(][{_CN_NUM}]+[）)][、.．]?\s*(.+)$")),
    (3, re.compile(r"^(?:—{1,2}|-{2}|－{1,2})\s*(.+)$")),
)
_COUNT_RE = re.compile(r"[（(]?\s*(?:共|合计|计)?\s*(\d+)\s*(?:个|项)(?:项目)?\s*[）)]?")
_TOTAL_LABELS = ("合计", "总计", "共计", "全区合计", "总合计", "全部合计")
_SUBTOTAL_LABELS = ("小计",)


def section_info(text) -> tuple[int, str] | None:
    """(level, label) when the text opens a section: "一、基础设施" → (1, "基础设施"), "（一）交通"
    → (2, "交通"), "——铁路" → (3, "铁路"). The label has its count ("25个") removed."""
    if not isinstance(text, str):
        return None
    stripped = text.strip()
    for level, pattern in _SECTION_PATTERNS:
        match = pattern.match(stripped)
        if match:
            label = _COUNT_RE.sub("", match.group(1)).strip(" 　:：、,，")
            return level, label.strip() or match.group(1).strip()
    return None


def section_label(text: str) -> str:
    """A section's name without its count: "基础设施（6个）" → "基础设施"."""
    return _COUNT_RE.sub("", text).strip(" 　:：、,，") or text.strip()


def count_in(text) -> int | None:
    """The project count written in a section or total row: "一、基础设施（25个）" → 25."""
    if not isinstance(text, str):
        return None
    match = _COUNT_RE.search(compact(text))
    return int(match.group(1)) if match else None


def total_kind(text) -> str | None:
    """ "total" for 合计/总计 rows, "subtotal" for 小计 rows, else None."""
    if not isinstance(text, str):
        return None
    label = compact(text)
    if not label:
        return None
    if label.startswith(_SUBTOTAL_LABELS) or label.endswith(_SUBTOTAL_LABELS):
        return "subtotal"
    if label.startswith(_TOTAL_LABELS) or label in _TOTAL_LABELS:
        return "total"
    return None


def chinese_numeral(text) -> bool:
    """ "一", "（二）": a 序号 that numbers a section, not a project."""
    if not isinstance(text, str):
        return False
    t = compact(text).strip("()（）、.")
    return bool(t) and all(ch in _CN_NUM for ch in t)
