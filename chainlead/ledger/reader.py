"""Reading an uploaded ledger: first the checks that keep hostile files out, then the sheets.

The checks run on the raw bytes before any spreadsheet library opens the file:

- an empty file, a file over ``settings.UPLOAD_MAX_BYTES`` (50 MB);
- a file that is not a spreadsheet whatever its name says (a PDF or an .exe renamed .xlsx);
- a password-protected workbook (an OLE "encrypted package" with ``EncryptionInfo`` and
  ``EncryptedPackage`` streams, which is how Excel saves an .xlsx with a password);
- a zip bomb: a member whose declared size or compression ratio is absurd;
- XML entity tricks: a ``<!DOCTYPE`` or ``<!ENTITY`` in any XML member (spreadsheets never need one).

Reading uses python-calamine for .xlsx/.xls/.ods (with merged-cell ranges) and the csv module for
.csv, whose encoding is detected (UTF-8 with or without BOM, UTF-16, else GB18030 — what Chinese
Excel writes as "CSV").
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext as _

from chainlead.ledger.choices import FileKind

EXTENSIONS = {".xlsx": FileKind.XLSX, ".xlsm": FileKind.XLSX, ".xls": FileKind.XLS, ".ods": FileKind.ODS}
EXTENSIONS[".csv"] = FileKind.CSV
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
#: A zip member larger than this, or all of them together, is refused (a real 100,000-row sheet
#: is about 85 MB of XML).
ZIP_MAX_MEMBER = 600 * 1024 * 1024
ZIP_MAX_TOTAL = 1024 * 1024 * 1024
#: Members over 1 MB that inflate more than this many times are refused (real sheets: 5–30×).
ZIP_MAX_RATIO = 200
XML_SCAN_BYTES = 64 * 1024
_ENCRYPTED_NAMES = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
_KNOWN_SIGNATURES = (
    (b"%PDF", "PDF"),
    (b"MZ", _("可执行程序")),
    (b"\x7fELF", _("可执行程序")),
    (b"\x89PNG", _("PNG 图片")),
    (b"\xff\xd8\xff", _("JPEG 图片")),
    (b"GIF8", _("GIF 图片")),
    (b"Rar!", _("RAR 压缩包")),
    (b"7z\xbc\xaf", _("7z 压缩包")),
    (b"\x1f\x8b", _("gzip 压缩包")),
)


class FileRejected(Exception):
    """The file cannot be imported; ``message`` tells the user why, in Chinese."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass
class Sheet:
    """One worksheet: its rows as Python values (row 0 is Excel's row 1) and its merged ranges."""

    name: str
    rows: list[list]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    hidden: bool = False


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}"


def _read_all(uploaded) -> bytes:
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    data = uploaded.read()
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    return data


def check_file(name: str, data: bytes) -> str:
    """Refuse hostile or unusable files (``FileRejected``); return the real kind (``FileKind``)."""
    display = PurePath(name or "").name or _("上传的文件")
    size = len(data)
    if size == 0:
        raise FileRejected(_("文件“{}”是空的，没有可导入的内容。").format(display))
    limit = settings.UPLOAD_MAX_BYTES
    if size > limit:
        raise FileRejected(
            _("文件“{}”有 {} MB，超过 {} MB 的上限。请拆分后分批导入。").format(
                display, _mb(size), limit // 1024 // 1024
            )
        )
    suffix = PurePath(display).suffix.lower()
    if suffix not in EXTENSIONS:
        raise FileRejected(
            _("文件“{}”不是支持的表格格式：只能导入 Excel（.xlsx、.xls）、.ods 或 .csv 文件。").format(
                display
            )
        )
    head = data[:8]
    if head.startswith(OLE_MAGIC):
        if any(marker in data for marker in _ENCRYPTED_NAMES):
            raise FileRejected(_("文件“{}”有密码保护，请先在 Excel 中取消密码后再上传。").format(display))
        return FileKind.XLS
    if head.startswith(ZIP_MAGIC):
        return _check_zip(display, data)
    for signature, what in _KNOWN_SIGNATURES:
        if head.startswith(signature):
            raise FileRejected(
                _("文件“{}”不是表格文件（看起来是{}），请勿只修改扩展名。").format(display, what)
            )
    if suffix == ".csv" or _looks_like_text(data):
        if b"\x00" in data[:65536] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise FileRejected(_("文件“{}”不是文本格式的 CSV 文件。").format(display))
        if suffix != ".csv":
            raise FileRejected(
                _("文件“{}”是文本文件，不是 Excel 文件；如果是 CSV，请把扩展名改为 .csv。").format(display)
            )
        return FileKind.CSV
    raise FileRejected(_("文件“{}”不是可识别的表格文件，请勿只修改扩展名。").format(display))


def _looks_like_text(data: bytes) -> bool:
    sample = data[:4096]
    return b"\x00" not in sample and any(ch in sample for ch in (b",", b"\t", b"\n"))


def _check_zip(display: str, data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileRejected(_("文件“{}”已损坏，无法打开。").format(display)) from None
    names = {info.filename for info in infos}
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / info.compress_size if info.compress_size else float(info.file_size > 0) * 1e9
        if (
            info.file_size > ZIP_MAX_MEMBER
            or total > ZIP_MAX_TOTAL
            or (info.file_size > 1024 * 1024 and ratio > ZIP_MAX_RATIO)
        ):
            raise FileRejected(_("文件“{}”解压后异常巨大（疑似压缩炸弹），已拒绝。").format(display))
    for info in infos:
        if info.filename.lower().endswith((".xml", ".rels", ".vml")):
            try:
                with archive.open(info) as member:
                    head = member.read(XML_SCAN_BYTES)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
                raise FileRejected(_("文件“{}”已损坏或已加密，无法打开。").format(display)) from None
            lowered = head.lower()
            if b"<!doctype" in lowered or b"<!entity" in lowered:
                raise FileRejected(
                    _(
                        "文件“{}”包含不安全的 XML 声明（DOCTYPE/ENTITY），已拒绝。请用 Excel 另存为后再上传。"
                    ).format(display)
                )
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return FileKind.XLSX
    if "content.xml" in names and "mimetype" in names:
        mimetype = archive.read("mimetype")[:100]
        if b"spreadsheet" in mimetype:
            return FileKind.ODS
    raise FileRejected(
        _("文件“{}”是压缩文件但不是电子表格（可能是 Word 文档或其他压缩包）。").format(display)
    )


# --- reading ------------------------------------------------------------------------------------
def read_sheets(data: bytes, kind: str, *, name: str = "") -> list[Sheet]:
    """All worksheets of the file, as rows of Python values (strings, floats, dates)."""
    if kind == FileKind.CSV:
        return [Sheet(name=PurePath(name).stem or "CSV", rows=read_csv(data))]
    from python_calamine import CalamineWorkbook

    display = PurePath(name or "").name
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types for every kind of bad file
        text = str(exc).lower()
        if "password" in text or "encrypt" in text:
            raise FileRejected(
                _("文件“{}”有密码保护，请先在 Excel 中取消密码后再上传。").format(display)
            ) from None
        raise FileRejected(_("文件“{}”已损坏或不是有效的表格文件，无法打开。").format(display)) from None
    sheets = []
    try:
        metadata = {m.name: m for m in workbook.sheets_metadata}
        for sheet_name in workbook.sheet_names:
            meta = metadata.get(sheet_name)
            if meta is not None and "worksheet" not in str(meta.typ).lower():
                continue  # chart sheets, macro sheets
            hidden = meta is not None and "visible" != str(meta.visible).rsplit(".", 1)[-1].lower()
            sheet = workbook.get_sheet_by_name(sheet_name)
            rows = sheet.to_python(skip_empty_area=False)
            merged = list(getattr(sheet, "merged_cell_ranges", None) or [])
            sheets.append(Sheet(name=sheet_name, rows=rows, merged=merged, hidden=hidden))
    except FileRejected:
        raise
    except Exception as exc:
        text = str(exc).lower()
        if "password" in text or "encrypt" in text:
            raise FileRejected(
                _("文件“{}”有密码保护，请先在 Excel 中取消密码后再上传。").format(display)
            ) from None
        raise FileRejected(_("文件“{}”已损坏或不是有效的表格文件，无法读取。").format(display)) from None
    return sheets


def decode_text(data: bytes) -> str:
    """CSV text: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def read_csv(data: bytes) -> list[list]:
    text = decode_text(data)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    rows = [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    width = max((len(r) for r in rows), default=0)
    for row in rows:
        if len(row) < width:
            row.extend([""] * (width - len(row)))
    return rows
