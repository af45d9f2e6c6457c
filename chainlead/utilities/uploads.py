"""Upload checks: size limits and type sniffing from the file's first bytes, not its name."""

from __future__ import annotations

import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024

#: kind → (description, magic-byte test)
SIGNATURES = {
    "pdf": lambda head: head.startswith(b"%PDF-"),
    "jpeg": lambda head: head.startswith(b"\xff\xd8\xff"),
    "png": lambda head: head.startswith(b"\x89PNG\r\n\x1a\n"),
    "webp": lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP",
    "zip": lambda head: head.startswith(b"PK\x03\x04"),  # docx / xlsx / ofd
    "ole": lambda head: head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),  # doc / xls
}
IMAGE_KINDS = {"jpeg", "png", "webp"}
DOCUMENT_KINDS = {"pdf", "jpeg", "png", "webp", "zip", "ole"}
#: Per ZIP member and in total: beyond this a document is treated as a zip bomb.
ZIP_MAX_MEMBER = 200 * 1024 * 1024
ZIP_MAX_RATIO = 200


def sniff(uploaded) -> str | None:
    """The detected kind of an uploaded file, or None."""
    pos = uploaded.tell() if hasattr(uploaded, "tell") else 0
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(pos)
    for kind, test in SIGNATURES.items():
        if test(head):
            return kind
    return None


#: What each file name extension may really contain.
EXTENSION_KINDS = {
    ".pdf": {"pdf"},
    ".jpg": {"jpeg"},
    ".jpeg": {"jpeg"},
    ".png": {"png"},
    ".webp": {"webp"},
    ".docx": {"zip"},
    ".xlsx": {"zip"},
    ".pptx": {"zip"},
    ".ofd": {"zip"},
    ".doc": {"ole"},
    ".xls": {"ole"},
}
KIND_NAMES = {"pdf": "PDF", "jpeg": "JPG 图片", "png": "PNG 图片", "webp": "WebP 图片", "zip": "压缩包/Office 文档", "ole": "旧版 Office 文档"}
#: How much of each XML part is scanned for DOCTYPE/ENTITY declarations (they must come first).
XML_SCAN_BYTES = 64 * 1024


def _check_xml_parts(zf: zipfile.ZipFile, name: str) -> None:
    """Office documents never declare a DOCTYPE: one that does is an entity-expansion ("billion
    laughs") or external-entity (XXE) attack on whatever parses it later."""
    for info in zf.infolist():
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        with zf.open(info) as member:
            head = member.read(XML_SCAN_BYTES).lower()
        if b"<!doctype" in head or b"<!entity" in head:
            raise ValidationError(
                _("文件“{}”包含不安全的 XML 声明（DOCTYPE/ENTITY），已拒绝。请用 Office 另存为后再上传。").format(name)
            )


def check_zip(uploaded) -> None:
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as zf:
            total = 0
            for info in zf.infolist():
                total += info.file_size
                if info.file_size > ZIP_MAX_MEMBER or (
                    info.compress_size and info.file_size / info.compress_size > ZIP_MAX_RATIO
                ):
                    raise ValidationError(
                        _("文件“{}”解压后异常巨大（疑似压缩炸弹），已拒绝。").format(uploaded.name)
                    )
            if total > ZIP_MAX_MEMBER:
                raise ValidationError(
                    _("文件“{}”解压后异常巨大（疑似压缩炸弹），已拒绝。").format(uploaded.name)
                )
            _check_xml_parts(zf, uploaded.name)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError):
        raise ValidationError(_("文件“{}”已损坏，无法打开。").format(uploaded.name))
    finally:
        uploaded.seek(0)


def validate_upload(uploaded, *, kinds=DOCUMENT_KINDS, max_bytes: int = MAX_EVIDENCE_BYTES) -> str:
    """Check size and real type; returns the detected kind or raises ValidationError in Chinese."""
    size = getattr(uploaded, "size", None) or 0
    if size == 0:
        raise ValidationError(_("文件“{}”是空的。").format(uploaded.name))
    if size > max_bytes:
        raise ValidationError(
            _("文件“{}”有 {:.1f} MB，超过 {} MB 的上限。").format(
                uploaded.name, size / 1024 / 1024, max_bytes // 1024 // 1024
            )
        )
    kind = sniff(uploaded)
    if kind not in kinds:
        if kinds <= IMAGE_KINDS:
            raise ValidationError(_("文件“{}”不是图片（只接受 JPG、PNG、WebP）。").format(uploaded.name))
        raise ValidationError(
            _("文件“{}”的内容不是可接受的类型（PDF、图片、Word/Excel 文档），请勿只改扩展名。").format(
                uploaded.name
            )
        )
    suffix = PurePath(uploaded.name or "").suffix.lower()
    expected = EXTENSION_KINDS.get(suffix)
    if expected is not None and kind not in expected:
        raise ValidationError(
            _("文件“{}”的扩展名是 {}，但内容是{}，两者不符，已拒绝；请勿只修改扩展名。").format(
                uploaded.name, suffix, KIND_NAMES.get(kind, kind)
            )
        )
    if kind == "zip":
        check_zip(uploaded)
    return kind
