"""Official documents (公文) in the GB/T 9704-2012 format, written with python-docx.

What the standard fixes (DOMAIN.md §6.2) and how it is done here:

- A4 paper; margins top 37 mm, bottom 35 mm, left (binding) 28 mm, right 26 mm → a 156 × 225 mm
  type area.
- A grid of 22 lines × 28 characters: ``w:docGrid`` of type ``linesAndChars`` with a line pitch of
  225 mm ÷ 22 and a character pitch of 156 mm ÷ 28 for the 3号 (16 pt) body font.
- 发文机关标志 in red 小标宋, its top 35 mm below the top of the type area; 发文字号 two lines below,
  centred, "西管发〔2021〕12号"; the red separator 4 mm below it across the type area.
- Title in 2号 (22 pt) 小标宋, two lines below the red line, centred; the addressee one line below,
  flush left, ending with a full-width colon.
- Body in 3号 仿宋, each paragraph indented two characters; headings "一、" 黑体, "（一）" 楷体,
  "1." and "（1）" 仿宋.
- "附件：" one line below the body, two characters in; the issuer and the date (Arabic numerals,
  no padding: 2021年12月3日) at the end, the date four characters in from the right.
- 版记: 抄送 and 印发机关/印发日期 in 4号 仿宋 between a thick first line, thin middle lines and a
  thick last line (0.35 mm / 0.25 mm).
- Page numbers "— N —" in 4号 半角宋体, odd pages right-aligned one character in, even pages
  left-aligned one character in.

The .docx keeps the standard font names (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312): offices open
it in WPS or Word, which have those fonts. Only the server-side PDF uses substitutes, mapped in
``utilities/fonts.conf`` (see ``to_pdf``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
LATIN = "Times New Roman"

# Chinese point sizes.
SIZE = {
    "初号": 42,
    "小初": 36,
    "一号": 26,
    "小一": 24,
    "二号": 22,
    "小二": 18,
    "三号": 16,
    "小三": 15,
    "四号": 14,
    "小四": 12,
}

PAGE_W, PAGE_H = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
TYPE_W_MM, TYPE_H_MM = 156, 225
LINES, CHARS = 22, 28
LINE_PITCH_PT = TYPE_H_MM / 25.4 * 72 / LINES  # ≈ 28.99 pt
CHAR_PITCH_PT = TYPE_W_MM / 25.4 * 72 / CHARS  # ≈ 15.79 pt
RED = RGBColor(0xFF, 0x00, 0x00)
BODY_PT = SIZE["三号"]
INDENT_2 = Pt(BODY_PT * 2)
FONTS_CONF = Path(__file__).resolve().parent / "fonts.conf"


@dataclass
class Attachment:
    title: str
    headers: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    note: str = ""
    #: Optional column widths in mm (together at most the 156 mm type area); equal widths if None.
    widths: list[float] | None = None


@dataclass
class OfficialDocument:
    """The parts of a 通报-style document."""

    issuer: str  # 发文机关标志, e.g. "青岛西海岸新区重点产业链工作领导小组办公室"
    number: str  # 发文字号, e.g. "西链办发〔2021〕12号"
    title: str
    addressee: str  # 主送机关 (the colon is added)
    body: list[tuple[str, str]] = field(default_factory=list)  # (kind, text): p, h1, h2, h3, h4
    attachments: list[Attachment] = field(default_factory=list)
    signer: str = ""  # 发文机关署名 (defaults to the issuer)
    date_text: str = ""  # 2021年12月3日
    copy_to: str = ""  # 抄送
    printer: str = ""  # 印发机关
    print_date_text: str = ""  # 印发日期


#: Character spacing of 3号 body text, in twentieths of a point: 16 pt − 0.25 pt = 15.75 pt per
#: character, so 28 full-width characters fill the 156 mm (442 pt) type area.
BODY_CHAR_SPACING = -5


def _set_run_font(
    run,
    east_asia: str,
    size_pt: float,
    *,
    bold: bool = False,
    color: RGBColor | None = None,
    spacing: int | None = None,
) -> None:
    run.font.size = Pt(size_pt)
    run.font.name = LATIN
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:ascii"), LATIN)
    fonts.set(qn("w:hAnsi"), LATIN)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")
    if spacing is None and size_pt == BODY_PT and east_asia != XIAOBIAOSONG:
        spacing = BODY_CHAR_SPACING
    if spacing:
        el = OxmlElement("w:spacing")
        el.set(qn("w:val"), str(spacing))
        rpr.append(el)


def _paragraph(
    doc_or_cell,
    text: str = "",
    *,
    font: str = FANGSONG,
    size: float = BODY_PT,
    bold=False,
    color=None,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    first_indent=None,
    left_indent=None,
    right_indent=None,
    space_before=None,
    exact=True,
    grid=True,
):
    p = doc_or_cell.add_paragraph()
    if not grid:
        # Large type (issuer mark, title) keeps its natural spacing instead of snapping to the
        # 28-character grid, which would spread each character over several grid cells.
        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")
        p._element.get_or_add_pPr().append(snap)
    fmt = p.paragraph_format
    fmt.alignment = align
    if exact:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_PITCH_PT)
    fmt.space_before = space_before or Pt(0)
    fmt.space_after = Pt(0)
    if first_indent is not None:
        fmt.first_line_indent = first_indent
    if left_indent is not None:
        fmt.left_indent = left_indent
    if right_indent is not None:
        fmt.right_indent = right_indent
    if text:
        _set_run_font(p.add_run(text), font, size, bold=bold, color=color, spacing=None if grid else 0)
    return p


def _border(p, side: str, size_eighths: int, color: str = "FF0000", space: int = 1) -> None:
    ppr = p._element.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    el = OxmlElement(f"w:{side}")
    el.set(qn("w:val"), "single")
    el.set(qn("w:sz"), str(size_eighths))
    el.set(qn("w:space"), str(space))
    el.set(qn("w:color"), color)
    borders.append(el)


def _page_field(paragraph, size_pt: float) -> None:
    """ "— N —" with a PAGE field, in half-width 宋体."""

    def text(t):
        _set_run_font(paragraph.add_run(t), SONGTI, size_pt)

    def fld(instr_type, instr_text=None):
        run = paragraph.add_run()
        _set_run_font(run, SONGTI, size_pt)
        if instr_text is None:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), instr_type)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = instr_text
        run._element.append(el)

    text("— ")
    fld("begin")
    fld(None, " PAGE ")
    fld("separate")
    text("1")
    fld("end")
    text(" —")


def _setup(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_W, PAGE_H
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance = Mm(15)
    section.footer_distance = Mm(21)
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    # A line grid of 22 lines. The 28 characters per line come from the body runs' character
    # spacing (see BODY_CHAR_SPACING): LibreOffice reads a "linesAndChars" grid's char pitch
    # differently from Word and would print half as many characters per line.
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH_PT * 20)))
    # Normal style: 3号 仿宋, Chinese language.
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.font.name = LATIN
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), FANGSONG)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")
    # The grid's character pitch is counted from the document-default font size, so that must
    # be 3号 too (python-docx's template says 11 pt, which would put two grid cells per character).
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    if rpr_default is not None:
        drpr = rpr_default.find(qn("w:rPr"))
        for tag in ("w:sz", "w:szCs"):
            el = drpr.find(qn(tag))
            if el is None:
                el = OxmlElement(tag)
                drpr.append(el)
            el.set(qn("w:val"), str(BODY_PT * 2))
    # Odd and even page numbers.
    document.settings.odd_and_even_pages_header_footer = True
    odd = section.footer.paragraphs[0]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.right_indent = Pt(SIZE["四号"])
    _page_field(odd, SIZE["四号"])
    even = section.even_page_footer.paragraphs[0]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = Pt(SIZE["四号"])
    _page_field(even, SIZE["四号"])


HEADING = {
    "h1": (HEITI, False),  # 一、
    "h2": (KAITI, False),  # （一）
    "h3": (FANGSONG, False),  # 1.
    "h4": (FANGSONG, False),  # （1）
}


def _compact_cell(paragraph) -> None:
    """Table cells: single line spacing off the 22-line grid (a 小四 cell line on the 28.99 pt grid
    would be as tall as a body line, and every row twice as high as it needs)."""
    ppr = paragraph._element.get_or_add_pPr()
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    ppr.append(snap)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:before"), "0")
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")
    ppr.append(spacing)


def _attachment_table(document, attachment: Attachment) -> None:
    _paragraph(
        document,
        attachment.title,
        font=XIAOBIAOSONG,
        size=SIZE["小二"],
        align=WD_ALIGN_PARAGRAPH.CENTER,
        space_before=Pt(LINE_PITCH_PT),
    )
    if attachment.note:
        _paragraph(document, attachment.note, size=SIZE["四号"], align=WD_ALIGN_PARAGRAPH.RIGHT)
    if not attachment.headers:
        return
    table = document.add_table(rows=1, cols=len(attachment.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    if attachment.widths:
        # Column widths go in the grid before any row is added: python-docx gives every new row's
        # cells the grid widths, so one pass over the header is all that is needed.
        table.autofit = False
        for column, header_cell, width in zip(
            table.columns, table.rows[0].cells, attachment.widths, strict=False
        ):
            column.width = Mm(width)
            header_cell.width = Mm(width)
    for cell, header in zip(table.rows[0].cells, attachment.headers, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _compact_cell(cell.paragraphs[0])
        _set_run_font(cell.paragraphs[0].add_run(str(header)), HEITI, SIZE["小四"])
    if not attachment.rows:
        return
    from copy import deepcopy

    from docx.table import _Cell

    # One styled row is built through python-docx, then copied for every data row: setting fonts
    # through python-docx costs ~0.5 ms a cell, which made a 1,000-row list take seconds.
    prototype = table.add_row()._tr
    for tc in prototype.tc_lst:
        paragraph = _Cell(tc, table).paragraphs[0]
        _compact_cell(paragraph)
        _set_run_font(paragraph.add_run("·"), FANGSONG, SIZE["小四"])
    tbl = table._tbl
    tbl.remove(prototype)
    space = qn("xml:space")
    for row in attachment.rows:
        tr = deepcopy(prototype)
        texts = list(tr.iter(qn("w:t")))
        values = list(row) + [""] * (len(texts) - len(row))
        for t, value in zip(texts, values, strict=False):
            t.text = "" if value is None else str(value)
            t.set(space, "preserve")
        tbl.append(tr)


def _banji(document, doc: OfficialDocument) -> None:
    """版记: thick line, 抄送, thin line, 印发机关 … 印发日期, thick line."""
    table = document.add_table(rows=0, cols=1)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    rows = []
    if doc.copy_to:
        rows.append(("copy", doc.copy_to))
    rows.append(("print", doc.printer or doc.issuer))
    for i, (kind, text) in enumerate(rows):
        cell = table.add_row().cells[0]
        p = cell.paragraphs[0]
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        p.paragraph_format.line_spacing = Pt(LINE_PITCH_PT)
        if kind == "copy":
            p.paragraph_format.left_indent = Pt(SIZE["四号"])
            p.paragraph_format.right_indent = Pt(SIZE["四号"])
            _set_run_font(p.add_run(f"抄送：{text.rstrip('。')}。"), FANGSONG, SIZE["四号"])
        else:
            p.paragraph_format.left_indent = Pt(SIZE["四号"])
            p.paragraph_format.right_indent = Pt(SIZE["四号"])
            tabs = p.paragraph_format.tab_stops
            from docx.enum.text import WD_TAB_ALIGNMENT

            tabs.add_tab_stop(Mm(TYPE_W_MM) - Pt(SIZE["四号"] * 2), WD_TAB_ALIGNMENT.RIGHT)
            _set_run_font(
                p.add_run(f"{text}\t{doc.print_date_text or doc.date_text}印发"), FANGSONG, SIZE["四号"]
            )
        tc_pr = cell._tc.get_or_add_tcPr()
        borders = OxmlElement("w:tcBorders")
        top_size = 8 if i == 0 else 6  # 0.35 mm ≈ 1 pt ≈ 8 eighths; 0.25 mm ≈ 6 eighths
        for side, size in (("top", top_size), ("bottom", 8 if i == len(rows) - 1 else 0)):
            if size:
                el = OxmlElement(f"w:{side}")
                el.set(qn("w:val"), "single")
                el.set(qn("w:sz"), str(size))
                el.set(qn("w:color"), "000000")
                borders.append(el)
        for side in ("left", "right"):
            el = OxmlElement(f"w:{side}")
            el.set(qn("w:val"), "nil")
            borders.append(el)
        tc_pr.append(borders)


def build(doc: OfficialDocument) -> Document:
    """The .docx of an official document."""
    document = Document()
    _setup(document)
    # 发文机关标志: top edge 35 mm below the type area's top; as large as fits on one line (≤ 小初).
    type_width_pt = TYPE_W_MM / 25.4 * 72
    issuer_pt = min(SIZE["小初"], int(type_width_pt / max(1, len(doc.issuer)) * 0.95))
    _paragraph(
        document,
        doc.issuer,
        font=XIAOBIAOSONG,
        size=issuer_pt,
        color=RED,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        space_before=Mm(35),
        exact=False,
        grid=False,
    )
    # Two blank lines, then 发文字号; the red separator 4 mm below it.
    _paragraph(document)
    _paragraph(document)
    number = _paragraph(document, doc.number, align=WD_ALIGN_PARAGRAPH.CENTER, grid=False)
    _border(number, "bottom", 12, space=11)  # ≈4 mm between the number and the line
    # Title two lines below the red line.
    _paragraph(document)
    _paragraph(document)
    for line in doc.title.split("\n"):
        _paragraph(
            document,
            line,
            font=XIAOBIAOSONG,
            size=SIZE["二号"],
            align=WD_ALIGN_PARAGRAPH.CENTER,
            exact=False,
            grid=False,
        )
    _paragraph(document)
    _paragraph(document, f"{doc.addressee.rstrip('：:')}：", align=WD_ALIGN_PARAGRAPH.LEFT)
    for kind, text in doc.body:
        font, bold = HEADING.get(kind, (FANGSONG, False))
        _paragraph(document, text, font=font, bold=bold, first_indent=INDENT_2)
    if doc.attachments:
        _paragraph(document)
        for i, att in enumerate(doc.attachments, start=1):
            prefix = "附件：" if i == 1 else "　　　"
            label = f"{i}.{att.title}" if len(doc.attachments) > 1 else att.title
            _paragraph(document, f"{prefix}{label}", first_indent=INDENT_2)
    # Signature and date: the date four characters in from the right, the issuer centred above it.
    _paragraph(document)
    _paragraph(document)
    _paragraph(
        document, doc.signer or doc.issuer, align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=Pt(BODY_PT * 2)
    )
    _paragraph(document, doc.date_text, align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=Pt(BODY_PT * 4))
    for att in doc.attachments:
        section = document.add_section(WD_SECTION.NEW_PAGE)
        section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
        _paragraph(
            document,
            "附件" + (f"{doc.attachments.index(att) + 1}" if len(doc.attachments) > 1 else ""),
            font=HEITI,
            align=WD_ALIGN_PARAGRAPH.LEFT,
        )
        _attachment_table(document, att)
    _paragraph(document)
    _banji(document, doc)
    return document


def save(doc: OfficialDocument, path: Path) -> Path:
    build(doc).save(str(path))
    return path


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx_path: Path, outdir: Path | None = None, timeout: int = 120) -> Path:
    """Convert with LibreOffice, each run with its own profile (parallel runs sharing one fail) and
    the project's font mapping (the standard font names → installed CJK fonts)."""
    binary = libreoffice()
    if binary is None:
        raise RuntimeError("LibreOffice is not installed (apt install libreoffice-writer-nogui)")
    outdir = outdir or docx_path.parent
    profile = Path(tempfile.gettempdir()) / f"lo-profile-{uuid.uuid4().hex}"
    env = dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF))
    try:
        subprocess.run(
            [
                binary,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                str(docx_path),
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
            env=env,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdf = outdir / (docx_path.stem + ".pdf")
    if not pdf.exists():
        raise RuntimeError("LibreOffice produced no PDF")
    return pdf


def pdf_to_png(pdf: Path, prefix: Path, dpi: int = 80) -> list[Path]:
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(prefix)], check=True, capture_output=True
    )
    return sorted(prefix.parent.glob(prefix.name + "*.png"))
