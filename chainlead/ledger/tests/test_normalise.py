"""The pure rules: amounts, dates, names, sections and totals, units in titles and notes, and
header detection."""

import datetime
from decimal import Decimal

import pytest

from chainlead.ledger import fields as F
from chainlead.ledger.detect import SynonymIndex, detect_layout
from chainlead.ledger.normalise import (
    YI,
    CellError,
    cell_text,
    clean_name,
    count_in,
    header_unit,
    match_key,
    note_unit,
    parse_amount,
    parse_date,
    parse_number,
    parse_years,
    section_info,
    strip_formula_guard,
    total_kind,
)
from chainlead.ledger.reader import Sheet

D = Decimal


@pytest.mark.parametrize(
    "value, kwargs, expected",
    [
        (1200, {}, D("1200.00")),
        (1234.567, {}, D("1234.57")),
        ("3,000", {}, D("3000.00")),
        ("３０００", {}, D("3000.00")),
        ("３，０００．５", {}, D("3000.50")),
        ("1.2亿", {}, D("12000.00")),
        ("1.2亿元", {}, D("12000.00")),
        ("2亿元人民币", {}, D("20000.00")),
        ("500万元", {}, D("500.00")),
        ("500万", {"factor": YI}, D("500.00")),  # the cell's unit beats the column's
        ("5000000元", {}, D("500.00")),
        ("约3亿", {}, D("30000.00")),
        (1.5, {"factor": YI}, D("15000.00")),  # column in 亿元
        ("0.35", {"factor": YI}, D("3500.00")),
        ("—", {}, None),
        ("-", {}, None),
        ("/", {}, None),
        ("无", {}, None),
        ("", {}, None),
        (None, {}, None),
        ("'-500", {}, D("-500.00")),  # a CSV export's apostrophe is dropped; the field refuses negatives
        ("500万美元", {"usd": True}, D("500.00")),
        ("2亿美元", {"usd": True}, D("20000.00")),
        (300, {"usd": True}, D("300.00")),
    ],
)
def test_parse_amount(value, kwargs, expected):
    assert parse_amount(value, **kwargs) == expected


@pytest.mark.parametrize(
    "value, message",
    [
        ("10万千瓦", "“10万千瓦”是数量，不是金额"),
        ("年产5.5万吨", "“年产5.5万吨”是数量，不是金额"),
        ("3万平方米", "“3万平方米”是数量，不是金额"),
        ("500万美元", "“500万美元”是美元金额，请填到“利用外资（万美元）”列"),
        ("很多", "“很多”不是有效的金额"),
        ("12元角", "“12元角”的单位“元角”无法识别"),
        (datetime.date(2022, 1, 1), "“2022-01-01”是日期，不是金额"),
    ],
)
def test_parse_amount_refuses(value, message):
    with pytest.raises(CellError) as exc:
        parse_amount(value)
    assert exc.value.message == message


def test_rmb_amount_in_dollar_column_is_refused():
    with pytest.raises(CellError):
        parse_amount("500万元", usd=True)


@pytest.mark.parametrize(
    "value, start, end",
    [
        ("2022.3", datetime.date(2022, 3, 1), datetime.date(2022, 3, 31)),
        (2022.3, datetime.date(2022, 3, 1), datetime.date(2022, 3, 31)),
        (2022.12, datetime.date(2022, 12, 1), datetime.date(2022, 12, 31)),
        ("2022年3月", datetime.date(2022, 3, 1), datetime.date(2022, 3, 31)),
        ("2022年3月份", datetime.date(2022, 3, 1), datetime.date(2022, 3, 31)),
        ("2022年底", datetime.date(2022, 12, 31), datetime.date(2022, 12, 31)),
        ("2022年末", datetime.date(2022, 12, 31), datetime.date(2022, 12, 31)),
        ("2022年初", datetime.date(2022, 1, 1), datetime.date(2022, 1, 1)),
        ("2022年上半年", datetime.date(2022, 1, 1), datetime.date(2022, 6, 30)),
        ("2022年3月底", datetime.date(2022, 3, 31), datetime.date(2022, 3, 31)),
        ("2022/3/15", datetime.date(2022, 3, 15), datetime.date(2022, 3, 15)),
        ("2022-03-15", datetime.date(2022, 3, 15), datetime.date(2022, 3, 15)),
        ("2022.03.15", datetime.date(2022, 3, 15), datetime.date(2022, 3, 15)),
        ("2022年3月15日", datetime.date(2022, 3, 15), datetime.date(2022, 3, 15)),
        ("20220315", datetime.date(2022, 3, 15), datetime.date(2022, 3, 15)),
        ("２０２２年３月", datetime.date(2022, 3, 1), datetime.date(2022, 3, 31)),
        (44635, datetime.date(2022, 3, 15), datetime.date(2022, 3, 15)),  # Excel serial
        (44635.0, datetime.date(2022, 3, 15), datetime.date(2022, 3, 15)),
        ("44635", datetime.date(2022, 3, 15), datetime.date(2022, 3, 15)),
        (2022, datetime.date(2022, 1, 1), datetime.date(2022, 12, 31)),
        ("2022年", datetime.date(2022, 1, 1), datetime.date(2022, 12, 31)),
        (datetime.datetime(2022, 3, 15, 8, 0), datetime.date(2022, 3, 15), datetime.date(2022, 3, 15)),
        ("—", None, None),
        (None, None, None),
    ],
)
def test_parse_date(value, start, end):
    assert parse_date(value) == start
    assert parse_date(value, end=True) == end


@pytest.mark.parametrize(
    "value, message",
    [
        ("2022-2024", "“2022-2024”是起止年限，不是单个日期"),
        ("2022/13/1", "“2022/13/1”不是有效的日期"),
        ("2022.13", "“2022.13”不是有效的年月"),
        ("明年", "“明年”不是有效的日期"),
    ],
)
def test_parse_date_refuses(value, message):
    with pytest.raises(CellError) as exc:
        parse_date(value)
    assert exc.value.message == message


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2022-2024", (datetime.date(2022, 1, 1), datetime.date(2024, 12, 31))),
        ("2022—2024", (datetime.date(2022, 1, 1), datetime.date(2024, 12, 31))),
        ("2022～2024年", (datetime.date(2022, 1, 1), datetime.date(2024, 12, 31))),
        ("2022年-2024年", (datetime.date(2022, 1, 1), datetime.date(2024, 12, 31))),
        ("2022至2023", (datetime.date(2022, 1, 1), datetime.date(2023, 12, 31))),
        ("2022.3-2023.6", (datetime.date(2022, 3, 1), datetime.date(2023, 6, 30))),
        ("2022", (datetime.date(2022, 1, 1), datetime.date(2022, 12, 31))),
        (2022.0, (datetime.date(2022, 1, 1), datetime.date(2022, 12, 31))),
        ("2022-03-15", (datetime.date(2022, 3, 15), None)),
        ("—", (None, None)),
    ],
)
def test_parse_years(value, expected):
    assert parse_years(value) == expected


def test_numbers_and_text():
    assert parse_number("1,200亩") == D("1200.00")
    assert parse_number("300", integer=True) == 300
    with pytest.raises(CellError):
        parse_number("3.5", integer=True)
    assert cell_text(13800000000.0) == "13800000000"
    assert cell_text(" 张三 ") == "张三"
    assert cell_text("'=SUM(A1)") == "=SUM(A1)"
    assert strip_formula_guard("'abc") == "'abc"  # only before = + - @


@pytest.mark.parametrize(
    "text, expected",
    [
        ("★青岛港项目", ("青岛港项目", True)),
        ("▲ 青岛港项目 ", ("青岛港项目", True)),
        ("青岛港项目※", ("青岛港项目", True)),
        ("青岛港\n项目", ("青岛港项目", False)),
        ("青岛港项目", ("青岛港项目", False)),
    ],
)
def test_clean_name(text, expected):
    assert clean_name(text) == expected


def test_match_key_ignores_marks_spaces_and_width():
    assert match_key("★ 青岛（集团） 项目") == match_key("青岛(集团)项目")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("一、基础设施（25个）", (1, "基础设施")),
        ("二.产业项目", (1, "产业项目")),
        ("（一）交通", (2, "交通")),
        ("(二)水利 共3个", (2, "水利")),
        ("——铁路", (3, "铁路")),
        ("第一部分 产业项目", (1, "产业项目")),
        ("青岛港改造", None),
        ("1、某项目", None),
    ],
)
def test_section_info(text, expected):
    assert section_info(text) == expected


def test_counts_and_totals():
    assert count_in("一、基础设施（25个）") == 25
    assert count_in("合计（共120个）") == 120
    assert count_in("基础设施") is None
    assert total_kind("合  计") == "total"
    assert total_kind("总计") == "total"
    assert total_kind("小计") == "subtotal"
    assert total_kind("合计（12个）") == "total"
    assert total_kind("青岛港项目") is None


def test_units_in_titles_and_notes():
    assert header_unit("总投资（亿元）") == ("总投资", "亿元")
    assert header_unit("计划总投资\n(万元)") == ("计划总投资", "万元")
    assert header_unit("总投资（单位：亿元）") == ("总投资", "亿元")
    assert header_unit("用地（亩）") == ("用地", "亩")
    assert header_unit("已入库纳统（固定资产投资）") == ("已入库纳统(固定资产投资)", "")
    assert note_unit("单位：亿元") == "亿元"
    assert note_unit("（金额单位:万元）") == "万元"
    assert note_unit("附件1") == ""


INDEX = SynonymIndex(F.default_synonyms())


def _layout(rows, merged=()):
    return detect_layout(Sheet(name="表1", rows=rows, merged=list(merged)), 0, INDEX)


def test_two_row_header_with_merges_and_split_words():
    rows = [
        ["附件1", "", "", "", ""],
        ["2022年重点项目", "", "", "", ""],
        ["", "", "", "", "单位：亿元"],
        ["序号", "项目名称", "建设起", "投资情况", ""],
        ["", "", "止年限", "总投资", "2022年计划投资"],
        [1, "某项目", "2022-2024", 1.5, 0.5],
    ]
    merged = [((3, 0), (4, 0)), ((3, 1), (4, 1)), ((3, 3), (3, 4))]
    layout = _layout(rows, merged)
    assert layout.is_data and layout.header_rows == [3, 4] and layout.data_start == 5
    fields = [c.field for c in layout.columns]
    assert fields == ["seq", "name", "years", "total_investment", "annual_plan"]
    assert layout.note_unit == "亿元"


def test_confidence_of_exact_contains_and_fuzzy_matches():
    layout = _layout(
        [
            ["项目名称", "其中：2022年计划投资（万元）", "牵头单位", "建设单位名称地址", "总投资额度"],
            ["a", 1, "b", "c", 2],
        ]
    )
    by_field = {c.field: (c.confidence, c.how) for c in layout.columns}
    assert by_field["name"] == (1.0, "exact")
    assert by_field["annual_plan"] == (0.8, "contains")
    assert by_field["responsible_unit"] == (1.0, "exact")
    assert by_field["investor"] == (0.8, "contains")
    assert by_field["total_investment"][1] in ("contains", "fuzzy")


def test_each_field_goes_to_one_column():
    layout = _layout([["项目名称", "工程名称", "建设单位", "总投资"], ["a", "b", "c", 1]])
    assert [c.field for c in layout.columns] == ["name", "", "investor", "total_investment"]


def test_summary_sheet_is_not_data():
    sheet = Sheet(name="汇总", rows=[["类别", "项目个数", "总投资（万元）"], ["基础设施", 3, 100.0]])
    assert detect_layout(sheet, 0, INDEX).is_data is False
