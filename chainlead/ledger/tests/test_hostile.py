"""Hostile files: each is refused with a clear message, and nothing is written."""

import io
import zipfile

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chainlead.core.exceptions import ServiceError
from chainlead.core.models import Job, ObjectChange
from chainlead.ledger import services
from chainlead.ledger.models import ImportBatch
from chainlead.ledger.tests.helpers import upload
from chainlead.projects.models import KeyProject

pytestmark = pytest.mark.django_db


def small_xlsx(
    rows=(("项目名称", "建设单位", "责任单位", "总投资（万元）"), ("某项目", "某公司", "发改局", 100)),
) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("台账")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    workbook.close()
    return buffer.getvalue()


def rezip(data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = (replace or {}).get(info.filename, src.read(info.filename))
            dst.writestr(info.filename, content)
        for name, content in (add or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def encrypted_workbook() -> bytes:
    """What Excel writes for an .xlsx with a password: an OLE compound file holding the streams
    "EncryptionInfo" and "EncryptedPackage" (only the parts the check reads are realistic)."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[0x1A:0x1C] = (3).to_bytes(2, "little")
    header[0x1C:0x1E] = b"\xfe\xff"
    directory = bytearray()
    for name in ("Root Entry", "EncryptionInfo", "EncryptedPackage"):
        entry = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        entry[: len(encoded)] = encoded
        entry[64:66] = len(encoded).to_bytes(2, "little")
        directory += entry
    return bytes(header) + bytes(directory) + b"\x00" * 4096


def refused(capture, data: bytes, name: str, user) -> str:
    before = (ObjectChange.objects.count(), Job.objects.count())
    with pytest.raises(ServiceError) as exc:
        upload(capture, data, name, user)
    assert ImportBatch.objects.count() == 0
    assert KeyProject.objects.count() == 0
    assert (ObjectChange.objects.count(), Job.objects.count()) == before, "nothing is written"
    return exc.value.message


def test_pdf_renamed_xlsx(world, django_capture_on_commit_callbacks):
    message = refused(
        django_capture_on_commit_callbacks, b"%PDF-1.4\n1 0 obj\n" + b"0" * 500, "台账.xlsx", world.office
    )
    assert message == "文件“台账.xlsx”不是表格文件（看起来是PDF），请勿只修改扩展名。"


def test_exe_renamed_xlsx(world, django_capture_on_commit_callbacks):
    message = refused(
        django_capture_on_commit_callbacks, b"MZ\x90\x00" + b"\x00" * 500, "台账.xlsx", world.office
    )
    assert "不是表格文件（看起来是可执行程序）" in message


def test_word_document_renamed_xlsx(world, django_capture_on_commit_callbacks):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    message = refused(django_capture_on_commit_callbacks, buffer.getvalue(), "台账.xlsx", world.office)
    assert "是压缩文件但不是电子表格" in message


def test_zip_bomb(world, django_capture_on_commit_callbacks):
    bomb = rezip(small_xlsx(), add={"xl/worksheets/sheet2.xml": b"<row/>" * (4 * 1024 * 1024)})
    assert len(bomb) < 200 * 1024  # 24 MB of XML in a small file
    message = refused(django_capture_on_commit_callbacks, bomb, "台账.xlsx", world.office)
    assert message == "文件“台账.xlsx”解压后异常巨大（疑似压缩炸弹），已拒绝。"


def test_file_over_the_size_limit(world, settings, django_capture_on_commit_callbacks):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    data = ("项目名称,建设单位,责任单位\r\n" + "某项目,某公司,发改局\r\n" * 80000).encode("utf-8")
    message = refused(django_capture_on_commit_callbacks, data, "台账.csv", world.office)
    assert "超过 1 MB 的上限" in message


def test_password_protected_workbook(world, django_capture_on_commit_callbacks):
    message = refused(django_capture_on_commit_callbacks, encrypted_workbook(), "台账.xlsx", world.office)
    assert message == "文件“台账.xlsx”有密码保护，请先在 Excel 中取消密码后再上传。"


@pytest.mark.parametrize(
    "member, prolog",
    [
        ("xl/workbook.xml", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'),
        ("xl/sharedStrings.xml", b'<?xml version="1.0"?><!DOCTYPE sst SYSTEM "file:///etc/passwd">'),
    ],
)
def test_xml_entity_tricks(member, prolog, world, django_capture_on_commit_callbacks):
    data = small_xlsx()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        original = archive.read(member)
    body = original.split(b"?>", 1)[1]
    hostile = rezip(data, replace={member: prolog + body})
    message = refused(django_capture_on_commit_callbacks, hostile, "台账.xlsx", world.office)
    assert "包含不安全的 XML 声明（DOCTYPE/ENTITY），已拒绝" in message


def test_empty_file(world, django_capture_on_commit_callbacks):
    message = refused(django_capture_on_commit_callbacks, b"", "台账.xlsx", world.office)
    assert message == "文件“台账.xlsx”是空的，没有可导入的内容。"


@pytest.mark.parametrize(
    "rows",
    [
        [("项目名称", "建设单位", "责任单位", "总投资（万元）")],
        [("附件1",), ("标题",), ("项目名称", "建设单位", "责任单位", "总投资（万元）")],
    ],
)
def test_file_with_only_headers(rows, world, django_capture_on_commit_callbacks):
    before = ObjectChange.objects.count()
    batch = upload(django_capture_on_commit_callbacks, small_xlsx(rows), "台账.xlsx", world.office)
    assert batch.status == "rejected"
    assert batch.message == "文件“台账.xlsx”只有表头，没有数据行。"
    assert KeyProject.objects.count() == 0
    assert ObjectChange.objects.count() == before
    with pytest.raises(ServiceError):
        services.confirm(batch, by=world.office)


def test_csv_with_no_header_says_so(world, django_capture_on_commit_callbacks):
    batch = upload(
        django_capture_on_commit_callbacks, "甲,乙,丙\r\n1,2,3\r\n".encode(), "台账.csv", world.office
    )
    assert batch.status == "rejected"
    assert "没有找到项目台账" in batch.message


def test_the_upload_page_shows_the_reason(client, world):
    client.force_login(world.office)
    response = client.post(
        reverse("ledger:import"), {"file": SimpleUploadedFile("台账.xlsx", b"%PDF-1.4 xxxx")}
    )
    assert response.status_code == 200
    assert "不是表格文件（看起来是PDF）" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def ods_bytes(rows) -> bytes:
    """A minimal OpenDocument spreadsheet (what WPS/LibreOffice save as .ods)."""
    from xml.sax.saxutils import escape

    def cell(value):
        if isinstance(value, (int, float)):
            return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'

    body = "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="台账">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def test_ods_is_accepted(world, django_capture_on_commit_callbacks):
    from chainlead.ledger.tests.helpers import import_file

    data = ods_bytes(
        [("项目名称", "建设单位", "责任单位", "总投资（亿元）"), ("某港口项目", "某公司", "发改局", 1.5)]
    )
    batch = import_file(django_capture_on_commit_callbacks, data, "台账.ods", world.office)
    assert batch.kind == "ods" and batch.status == "committed"
    assert KeyProject.objects.get().total_investment == 15000
