"""The dashboard's filter bar: the period (a year and a month range, or a preset), "as of" a past
month-end, and an area or battle zone."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from chainlead.core import clock
from chainlead.dashboard.summary import month_end
from chainlead.organization.choices import TERRITORIAL_KINDS
from chainlead.organization.models import Unit

MONTH_CHOICES = [(m, f"{m}月") for m in range(1, 13)]
#: How many month-ends back the "as of" picker offers.
AS_OF_MONTHS = 36


def last_complete_month(today: datetime.date) -> tuple[int, int]:
    """(year, month) of the last month that has ended: this month if today is its last day."""
    if today == month_end(today.year, today.month):
        return today.year, today.month
    first = today.replace(day=1) - datetime.timedelta(days=1)
    return first.year, first.month


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """1月 to the end of the last complete month of today's year ("2021年1–11月"); in January,
    before any month of the year has ended, the whole of last year."""
    year, month = last_complete_month(today)
    if year < today.year:
        return datetime.date(year, 1, 1), month_end(year, 12)
    return datetime.date(year, 1, 1), month_end(year, month)


def as_of_choices(today: datetime.date) -> list[tuple[str, str]]:
    """Past month-ends, newest first (never today: "as of" is about the past)."""
    out = []
    day = today.replace(day=1) - datetime.timedelta(days=1)
    for _i in range(AS_OF_MONTHS):
        out.append((day.isoformat(), f"{day.year}年{day.month}月{day.day}日"))
        day = day.replace(day=1) - datetime.timedelta(days=1)
    return out


class DashboardFilterForm(forms.Form):
    """GET parameters: ``year``, ``m1``, ``m2`` (or ``preset``), ``as_of`` and ``area``."""

    PRESETS = [
        ("ytd", _("本年累计")),
        ("last_month", _("上月")),
        ("quarter", _("本季度")),
        ("last_year", _("上年全年")),
    ]

    preset = forms.ChoiceField(label=_("快捷选择"), choices=[("", "—"), *PRESETS], required=False)
    year = forms.TypedChoiceField(label=_("年份"), coerce=int, required=False)
    m1 = forms.TypedChoiceField(label=_("起始月"), choices=MONTH_CHOICES, coerce=int, required=False)
    m2 = forms.TypedChoiceField(label=_("截止月"), choices=MONTH_CHOICES, coerce=int, required=False)
    as_of = forms.TypedChoiceField(
        label=_("历史回看"), required=False, coerce=datetime.date.fromisoformat, empty_value=None
    )
    area = forms.ModelChoiceField(label=_("片区/战区"), queryset=Unit.objects.none(), required=False)

    def __init__(self, data=None, *, user=None, scope_units=None, **kwargs):
        super().__init__(data, **kwargs)
        self.today = clock.today()
        years = range(self.today.year, self.today.year - 8, -1)
        self.fields["year"].choices = [(y, f"{y}年") for y in years]
        self.fields["as_of"].choices = [("", _("当前数据")), *as_of_choices(self.today)]
        areas = Unit.objects.filter(kind__in=[k.value for k in TERRITORIAL_KINDS], is_active=True)
        if scope_units is not None:
            areas = areas.filter(pk__in=scope_units)
        self.fields["area"].queryset = areas.order_by("path")
        self.fields["area"].empty_label = _("全区")
        self.fields["area"].label_from_instance = lambda u: ("　" * max(u.depth - 1, 0)) + u.name

    def clean(self):
        data = super().clean()
        as_of = data.get("as_of")
        today = as_of or self.today
        preset = data.get("preset")
        year, m1, m2 = data.get("year"), data.get("m1"), data.get("m2")
        if preset:
            start, end = self.preset_period(preset, today)
        elif year or m1 or m2:
            year = year or today.year
            m1, m2 = m1 or 1, m2 or (today.month if year == today.year else 12)
            if m1 > m2:
                raise forms.ValidationError({"m1": _("起始月不能晚于截止月。")})
            start, end = datetime.date(year, m1, 1), month_end(year, m2)
        else:
            start, end = default_period(today) if as_of is None else (today.replace(month=1, day=1), today)
        if as_of is not None:
            if start.year != as_of.year or end > as_of:
                raise forms.ValidationError(
                    {
                        "m2": _("历史回看时，统计期须在{year}年内且不晚于{d}。").format(
                            year=as_of.year, d=f"{as_of.month}月{as_of.day}日"
                        )
                    }
                )
        elif start > self.today:
            raise forms.ValidationError({"m1": _("统计期不能晚于今天。")})
        data["start"], data["end"] = start, end
        return data

    @staticmethod
    def preset_period(preset: str, today: datetime.date) -> tuple[datetime.date, datetime.date]:
        if preset == "last_month":
            year, month = last_complete_month(today)
            return datetime.date(year, month, 1), month_end(year, month)
        if preset == "quarter":
            year, month = last_complete_month(today)
            first = (month - 1) // 3 * 3 + 1
            return datetime.date(year, first, 1), month_end(year, month)
        if preset == "last_year":
            return datetime.date(today.year - 1, 1, 1), month_end(today.year - 1, 12)
        return default_period(today)
