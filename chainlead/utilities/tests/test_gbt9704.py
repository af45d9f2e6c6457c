"""The GB/T 9704-2012 writer: the .docx's XML has the standard's page, margins, grid, fonts,
sizes, document number and page numbers; LibreOffice renders it with the project's font mapping."""

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from django.conf import settings

from chainlead.utilities import gbt9704 as g

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def doc(tmp_path_factory):
    document = g.OfficialDocument(
        issuer="青岛西海岸新区重点产业链工作领导小组办公室",
        number="西链办发〔2021〕12号",
        title="关于2021年11月重点项目推进情况的通报",
        addressee="各功能区、各有关部门",
        body=[
            ("p", "现将有关情况通报如下。"),
            ("h1", "一、总体情况"),
            ("h2", "（一）进展较好"),
            ("h3", "1.项目开工"),
            ("h4", "（1）新开工项目"),
            ("p", "略。" * 300),
        ],
        attachments=[g.Attachment("考核排名表", ["序号", "单位", "得分"], [[1, "交通商务区", "95.20"]])],
        date_text="2021年12月3日",
        copy_to="区委办公室，区政府办公室",
    )
    path = tmp_path_factory.mktemp("doc") / "bulletin.docx"
    g.save(document, path)
    return path


def xml(path, member="word/document.xml"):
    with zipfile.ZipFile(path) as z:
        return z.read(member).decode()


def test_page_size_margins_and_grid(doc):
    body = xml(doc)
    pg = re.search(r"<w:pgSz [^>]*>", body).group(0)
    assert 'w:w="11906"' in pg and 'w:h="16838"' in pg  # A4 in twentieths of a point
    mar = re.search(r"<w:pgMar [^>]*>", body).group(0)
    twips = lambda mm: round(mm / 25.4 * 1440)  # noqa: E731
    for side, mm in (("top", 37), ("bottom", 35), ("left", 28), ("right", 26)):
        assert re.search(rf'w:{side}="(\d+)"', mar).group(1) == str(twips(mm)), side
    grid = re.search(r"<w:docGrid [^>]*>", body).group(0)
    pitch = int(re.search(r'w:linePitch="(\d+)"', grid).group(1)) / 20
    assert abs(pitch * 22 - 225 / 25.4 * 72) < 1  # 22 lines fill the 225 mm type area
    # 28 characters per line: 3号 (16 pt) minus the body's character spacing fills 156 mm.
    per_char = 16 + g.BODY_CHAR_SPACING / 20
    assert int((156 / 25.4 * 72) // per_char) == 28


def test_fonts_sizes_and_colours(doc):
    body = xml(doc)
    assert 'w:eastAsia="方正小标宋简体"' in body and 'w:eastAsia="仿宋_GB2312"' in body
    assert 'w:eastAsia="黑体"' in body and 'w:eastAsia="楷体_GB2312"' in body
    title = re.search(r"<w:r>(?:(?!</w:r>).)*关于2021年11月重点项目推进情况的通报</w:t></w:r>", body).group(0)
    assert 'w:val="44"' in title and "方正小标宋简体" in title  # 2号 = 22 pt = 44 half-points
    issuer = re.search(
        r"<w:r>(?:(?!</w:r>).)*青岛西海岸新区重点产业链工作领导小组办公室</w:t></w:r>", body
    ).group(0)
    assert 'w:color w:val="FF0000"' in issuer
    assert 'w:val="32"' in re.search(r"<w:r>(?:(?!</w:r>).)*现将有关情况通报如下。</w:t>", body).group(
        0
    )  # 3号
    assert 'w:color="FF0000"' in body  # the red separator


def test_document_number_and_page_numbers(doc):
    body = xml(doc)
    assert re.search(r"西链办发〔\d{4}〕\d+号", body)
    footers = [xml(doc, n) for n in zipfile.ZipFile(doc).namelist() if n.startswith("word/footer")]
    assert len(footers) >= 2
    for footer in footers:
        assert "— " in footer and " PAGE " in footer and " —" in footer
    settings_xml = xml(doc, "word/settings.xml")
    assert "evenAndOddHeaders" in settings_xml
    aligns = {re.search(r'<w:jc w:val="(\w+)"', f).group(1) for f in footers}
    assert aligns == {"right", "left"}  # odd pages right, even pages left


@pytest.mark.skipif(
    g.libreoffice() is None or shutil.which("pdftoppm") is None, reason="installed by make test"
)
def test_renders_to_pdf_and_png(doc):
    pdf = g.to_pdf(doc)
    out = Path(settings.BASE_DIR) / "artifacts" / "documents"
    out.mkdir(parents=True, exist_ok=True)
    pages = g.pdf_to_png(pdf, out / "gbt9704-sample")
    assert len(pages) >= 2
