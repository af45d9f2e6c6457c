"""Upload and export hygiene.

Uploads (evidence files, photos): size limits, the real type sniffed from the content and checked
against the extension, zip bombs and XML entity tricks (billion laughs, XXE) in .docx/.xlsx,
photos re-encoded by Pillow (EXIF GPS gone, capture time kept, polyglot payload gone).

Exports: every writer (the list export and its background job, CSV, the change-log export, the
Gantt workbook, the assessment ranking's sheets) writes formula-like text as inert text. Each file
is read back with python-calamine and its sheet XML is checked for formula cells.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from python_calamine import CalamineWorkbook

from chainlead.dispatch.photos import process_photo, sample_jpeg
from chainlead.utilities.uploads import IMAGE_KINDS, validate_upload

PAYLOADS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "@SUM(1)", "-1+1", "=1+1"]


# --- uploads --------------------------------------------------------------------------------------
def docx_bytes(extra: dict[str, bytes] | None = None, replace: dict[str, bytes] | None = None) -> bytes:
    import docx

    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("说明材料")
    document.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, (replace or {}).get(info.filename, src.read(info.filename)))
        for name, content in (extra or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def refused(data: bytes, name: str, **kwargs) -> str:
    with pytest.raises(ValidationError) as exc:
        validate_upload(SimpleUploadedFile(name, data), **kwargs)
    return exc.value.messages[0]


def test_a_real_docx_and_pdf_are_accepted():
    assert validate_upload(SimpleUploadedFile("材料.docx", docx_bytes())) == "zip"
    assert validate_upload(SimpleUploadedFile("批复.pdf", b"%PDF-1.7\n%...\n")) == "pdf"


@pytest.mark.parametrize(
    "name,data,expected",
    [
        ("台账.xlsx", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100, "不是可接受的类型"),  # a Windows .exe
        ("台账.xlsx", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "不是可接受的类型"),
        ("现场.jpg", b"%PDF-1.7\n1 0 obj\n", "扩展名是 .jpg，但内容是PDF"),  # a PDF renamed .jpg
        ("批复.pdf", sample_jpeg(), "扩展名是 .pdf，但内容是JPG"),
        ("材料.docx", b"%PDF-1.4\n", "扩展名是 .docx"),
    ],
)
def test_type_is_sniffed_from_the_content_not_the_name(name, data, expected):
    assert expected in refused(data, name)


def test_size_limit():
    assert "超过 1 MB 的上限" in refused(b"%PDF-" + b"0" * (1024 * 1024 + 1), "大文件.pdf", max_bytes=1024 * 1024)
    assert "是空的" in refused(b"", "空.pdf")


def test_zip_bomb_docx_is_refused():
    bomb = docx_bytes(extra={"word/media/bomb.bin": b"\x00" * (60 * 1024 * 1024)})
    assert len(bomb) < 200 * 1024
    assert "压缩炸弹" in refused(bomb, "材料.docx")


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>'
)
XXE = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">&xxe;</Relationships>'
)


@pytest.mark.parametrize("member,content", [("word/document.xml", BILLION_LAUGHS), ("_rels/.rels", XXE)])
def test_xml_entity_tricks_in_office_files_are_refused(member, content):
    assert "DOCTYPE/ENTITY" in refused(docx_bytes(replace={member: content}), "材料.docx")


def test_xml_entity_tricks_in_an_xlsx_evidence_file_are_refused():
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet().write_string(0, 0, "x")
    book.close()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/sharedStrings.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY e SYSTEM "http://attacker/x">]>', 1)
            dst.writestr(info.filename, data)
    assert "DOCTYPE/ENTITY" in refused(out.getvalue(), "清单.xlsx")


def gps_jpeg(taken: datetime.datetime, payload: bytes = b"") -> bytes:
    image = Image.open(io.BytesIO(sample_jpeg("site", taken=taken)))
    exif = image.getexif()
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (36.0, 0.0, 0.0), "E", (120.0, 0.0, 0.0)
    exif[0x010F] = "PhoneMaker"  # Make
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue() + payload


def test_photo_is_re_encoded_gps_stripped_capture_time_kept_polyglot_neutralised():
    taken = datetime.datetime(2021, 10, 20, 9, 30)
    payload = b"<script>alert(document.cookie)</script>PK\x03\x04polyglot-zip-part"
    original = gps_jpeg(taken, payload)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825), "the upload carries GPS"
    processed = process_photo(SimpleUploadedFile("现场.jpg", original))
    assert processed.captured_at is not None
    assert processed.captured_at.replace(tzinfo=None) == taken, "capture time read before stripping"
    stored = processed.content.read()
    assert b"<script>" not in stored and b"polyglot" not in stored and b"PK\x03\x04" not in stored
    reopened = Image.open(io.BytesIO(stored))
    assert reopened.format == "JPEG"
    exif = reopened.getexif()
    assert not exif.get_ifd(0x8825) and 0x010F not in exif, "no GPS, no phone model"


def test_photo_that_is_really_a_pdf_or_html_is_refused():
    with pytest.raises(ValidationError):
        process_photo(SimpleUploadedFile("现场.jpg", b"%PDF-1.7\n"))
    with pytest.raises(ValidationError):
        process_photo(SimpleUploadedFile("现场.jpg", b"<html><body>hi</body></html>"))
    with pytest.raises(ValidationError):
        validate_upload(SimpleUploadedFile("现场.png", sample_jpeg()), kinds=IMAGE_KINDS)


# --- exports --------------------------------------------------------------------------------------
def assert_inert(xlsx: bytes, expected: list[str] = PAYLOADS) -> None:
    """Every payload reads back as exactly that text, and no cell of any sheet is a formula."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                assert not re.search(rb"<f[ >]", z.read(name)), f"{name} has a formula cell"
    book = CalamineWorkbook.from_filelike(io.BytesIO(xlsx))
    cells = {
        value
        for sheet in book.sheet_names
        for row in book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        for value in row
    }
    for payload in expected:
        assert payload in cells, f"{payload!r} did not come back as text"


def test_shared_xlsx_writer_and_csv():
    from chainlead.utilities.export import csv_response, xlsx_response

    response = xlsx_response("x.xlsx", [("表", ["名称", "备注"], [[p, p] for p in PAYLOADS])])
    assert_inert(response.content)
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        assert b'quotePrefix="1"' in z.read("xl/styles.xml"), "formula-like text gets the apostrophe style"
    text = csv_response("x.csv", ["名称"], [[p] for p in PAYLOADS]).content.decode("utf-8-sig")
    for payload in PAYLOADS:
        assert ("'" + payload).replace('"', '""') in text


@pytest.mark.django_db
def test_list_page_export_and_background_export(client, django_capture_on_commit_callbacks, settings):
    from django.urls import reverse

    from chainlead.dispatch.tests.factories import project
    from chainlead.utilities import export
    from chainlead.utilities.testing.base import Org

    org = Org()
    for i, payload in enumerate(PAYLOADS):
        project(org.unit_a, name=payload, investor_name=payload, project_code=f"P{i}")
    client.force_login(org.office)
    url = reverse("projects:keyproject_list")
    response = client.get(url, {"export": "xlsx"})
    assert response.status_code == 200
    assert_inert(response.content)
    # Above the row limit the same export runs as a job: same guarantee.
    settings.CHAINLEAD_EXPORT_JOB_ROWS = 1
    export.EXPORT_JOB_ROWS, saved = 1, export.EXPORT_JOB_ROWS
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.get(url, {"export": "xlsx"})
    finally:
        export.EXPORT_JOB_ROWS = saved
    from chainlead.core.models import Job

    job = Job.objects.get(name="utilities.export_table")
    assert job.status == "succeeded", job.error
    download = client.get(job.result["url"])
    assert_inert(b"".join(download.streaming_content))


@pytest.mark.django_db
def test_changelog_export(client, django_capture_on_commit_callbacks):
    from django.urls import reverse

    from chainlead.core.models import Job
    from chainlead.organization.models import Unit
    from chainlead.utilities.testing.base import Org

    org = Org()
    for payload in PAYLOADS:
        Unit.objects.create(name=payload, kind="street")
    client.force_login(org.office)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("core:objectchange_export"), {"query": ""})
    job = Job.objects.get()
    assert job.status == "succeeded", job.error
    assert_inert(b"".join(client.get(job.result["url"]).streaming_content))


def test_gantt_workbook():
    from chainlead.warroom.documents import portfolio_gantt_xlsx
    from chainlead.warroom.gantt import GanttRow

    day = datetime.date(2021, 10, 1)
    rows = [
        GanttRow(key=i, label=p, owner=p, status_label=p, early_start=day, early_finish=day + datetime.timedelta(days=9))
        for i, p in enumerate(PAYLOADS)
    ]
    buffer = io.BytesIO()
    portfolio_gantt_xlsx(buffer, PAYLOADS[0], [PAYLOADS[1]], rows)
    assert_inert(buffer.getvalue())


@pytest.mark.django_db
def test_assessment_ranking_sheets_go_through_the_safe_writer(monkeypatch):
    """The ranking .xlsx is ``xlsx_response(…, ranking_sheets(ranking))``: subject names and
    notes flow through the shared writer (checked above); this pins that it still does."""
    from chainlead.assessment import documents
    from chainlead.utilities import export

    calls = []
    monkeypatch.setattr(documents, "ranking_sheets", lambda ranking: [("排名", ["单位"], [[p] for p in PAYLOADS])])
    real = export.xlsx_response
    monkeypatch.setattr(documents, "xlsx_response", lambda *a, **k: calls.append(a) or real(*a, **k))
    ranking = type("R", (), {"label": "2021年", "get_subject_kind_display": lambda self: "单位"})()
    assert_inert(documents.ranking_xlsx(ranking).content)
    assert calls
