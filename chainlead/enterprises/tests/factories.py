"""Small helpers that make valid enterprise data for the tests."""

from __future__ import annotations

import datetime
from decimal import Decimal

from chainlead.enterprises.choices import StatsCategory, StatsStatus
from chainlead.enterprises.models import Enterprise, EnterpriseRevenue, StatsThreshold
from chainlead.utilities.validators import credit_code_check_char


def valid_code(serial: int, region: str = "370211") -> str:
    """A valid 统一社会信用代码 for a serial number."""
    first17 = f"91{region}MA{serial % 10_000_000:07d}"
    return first17 + credit_code_check_char(first17)


def make_enterprise(name: str, unit=None, *, serial: int | None = None, **fields) -> Enterprise:
    fields.setdefault("credit_code", valid_code(serial) if serial is not None else "")
    fields.setdefault("stats_category", StatsCategory.INDUSTRY)
    return Enterprise.objects.create(name=name, responsible_unit=unit, **fields)


def revenue(enterprise, year: int, month: int, amount) -> EnterpriseRevenue:
    return EnterpriseRevenue.objects.create(
        enterprise=enterprise, period=datetime.date(year, month, 1), revenue_ytd=Decimal(str(amount))
    )


def threshold(category, amount, valid_from, valid_to=None, basis="主营业务收入") -> StatsThreshold:
    rule = StatsThreshold(
        category=category,
        threshold=Decimal(str(amount)) if amount is not None else None,
        basis=basis,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    rule.full_clean()
    rule.save()
    return rule


__all__ = ["StatsStatus", "make_enterprise", "revenue", "threshold", "valid_code"]
