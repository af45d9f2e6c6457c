"""Validators of national codes, with messages that say exactly what is wrong."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# GB 32100-2015 统一社会信用代码: 31 characters (no I, O, S, V, Z).
CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    """The 18th character that GB 32100 computes from the first 17."""
    total = sum(CREDIT_CODE_CHARS.index(ch) * w for ch, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    """统一社会信用代码: 18 characters from the GB 32100 set, 6-digit region code, check character."""
    if not value:
        return
    code = value.strip().upper()
    if len(code) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位，“{}”是{}位。").format(value, len(code)), code="credit_code_length"
        )
    for i, ch in enumerate(code, start=1):
        if ch not in CREDIT_CODE_CHARS:
            raise ValidationError(
                _(
                    "统一社会信用代码第{}位“{}”不是允许的字符（只能是数字和除 I、O、S、V、Z 以外的大写字母）。"
                ).format(i, ch),
                code="credit_code_char",
            )
    if not code[2:8].isdigit():
        raise ValidationError(
            _("统一社会信用代码第3至8位应为6位数字的行政区划码，实为“{}”。").format(code[2:8]),
            code="credit_code_region",
        )
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("统一社会信用代码校验位不对：按前17位计算，第18位应为“{}”，实为“{}”。请核对是否抄错。").format(
                expected, code[17]
            ),
            code="credit_code_check",
        )


# GB/T 40058-2021 投资项目代码: YYYY-RRRRRR-DD-TT-NNNNNC (24 characters with the hyphens).
PROJECT_CODE_RE = re.compile(r"^(\d{4})-(\d{6})-(\d{2})-(\d{2})-(\d{6})$")


def validate_project_code(value: str) -> None:
    """项目代码: 4-digit year, 6-digit region, 2-digit department, 2-digit type, 6 serial+check."""
    if not value:
        return
    code = value.strip()
    if len(code) != 24:
        raise ValidationError(
            _("项目代码应为24位（含连字符），格式如 2021-370211-04-01-123456，“{}”是{}位。").format(
                value, len(code)
            ),
            code="project_code_length",
        )
    match = PROJECT_CODE_RE.match(code)
    if not match:
        raise ValidationError(
            _("项目代码格式应为“年份4位-区划6位-部门2位-类型2位-流水号6位”，如 2021-370211-04-01-123456。"),
            code="project_code_format",
        )
    year = int(match.group(1))
    if not 2000 <= year <= 2100:
        raise ValidationError(_("项目代码的年份“{}”不合理。").format(year), code="project_code_year")


# GB/T 4754-2017 国民经济行业分类: a section letter, optionally followed by 2–4 digits.
INDUSTRY_CODE_RE = re.compile(r"^[A-T](\d{2}|\d{3}|\d{4})?$")


def validate_industry_code(value: str) -> None:
    if value and not INDUSTRY_CODE_RE.match(value.strip().upper()):
        raise ValidationError(
            _("行业代码“{}”不符合 GB/T 4754：应为门类字母加2至4位数字，如 C3972。").format(value),
            code="industry_code",
        )
