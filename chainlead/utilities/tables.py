"""Base table and columns. One django-tables2 ``Table`` per model serves the list page, the column
chooser and the Excel export, so the screen and the file never disagree."""

from __future__ import annotations

from decimal import Decimal

import django_tables2 as tables
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_tables2.columns.base import library as columns_library

from chainlead.utilities.money import format_wan, format_yi


def _cache_tables2_signatures() -> None:
    """django-tables2 inspects a render method's signature for every cell it renders; with 50 rows
    × a dozen columns that alone costs tens of milliseconds per page. Signatures do not change, so
    cache them per function (bound and unbound kept apart, since binding drops ``self``)."""
    from django_tables2 import utils

    if getattr(utils.signature, "cached", False):
        return
    original = utils.signature
    cache: dict = {}

    def signature(fn):
        key = (getattr(fn, "__func__", fn), hasattr(fn, "__self__"))
        try:
            return cache[key]
        except (KeyError, TypeError):
            result = original(fn)
            try:
                cache[key] = result
            except TypeError:
                pass
            return result

    signature.cached = True
    utils.signature = signature


_cache_tables2_signatures()


@columns_library.register
class PlainDateColumn(tables.Column):
    """Dates formatted in Python. django-tables2's DateColumn renders every cell through a template,
    which made date columns the most expensive cells of a list page."""

    def __init__(self, *args, format_name: str = "DATE_FORMAT", **kwargs):
        self.format_name = format_name
        super().__init__(*args, **kwargs)

    @classmethod
    def from_field(cls, field, **kwargs):
        from django.db import models

        if isinstance(field, models.DateTimeField):
            return cls(format_name="SHORT_DATETIME_FORMAT", **kwargs)
        if isinstance(field, models.DateField):
            return cls(**kwargs)
        return None

    def render(self, value):
        import datetime

        from django.utils import timezone
        from django.utils.formats import date_format

        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)
        return date_format(value, self.format_name)


class CappedPaginator(Paginator):
    """Counts at most ``CAP`` + 1 rows. An exact COUNT over a million projects costs more than the
    rest of the page; beyond ten thousand rows the list says "10,000+" and asks to filter."""

    CAP = 10000

    @cached_property
    def count(self):
        queryset = getattr(getattr(self.object_list, "data", None), "data", None)
        if isinstance(queryset, QuerySet):
            n = queryset.order_by()[: self.CAP + 1].count()
        else:
            n = len(self.object_list)
        self._capped = n > self.CAP
        return min(n, self.CAP)

    @property
    def capped(self) -> bool:
        """More rows than the cap (the count shown is then "10,000+")."""
        self.count  # noqa: B018  (computes _capped)
        return self._capped


class ToggleColumn(tables.CheckBoxColumn):
    """The row-selection checkbox used by bulk edit and bulk delete."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("accessor", tables.A("pk"))
        kwargs.setdefault("orderable", False)
        kwargs.setdefault("exclude_from_export", True)
        kwargs.setdefault(
            "attrs",
            {
                "th__input": {
                    "class": "form-check-input m-0 align-middle",
                    "data-toggle-all": "pk",
                    "aria-label": _("全选"),
                },
                "td__input": {
                    "class": "form-check-input m-0 align-middle",
                    "name": "pk",
                    "aria-label": _("选择"),
                },
            },
        )
        super().__init__(*args, **kwargs)

    @property
    def header(self):
        return mark_safe(
            '<input type="checkbox" class="form-check-input m-0 align-middle" data-toggle-all="pk" aria-label="all">'
        )


class ChoiceBadgeColumn(tables.Column):
    """A choice field shown as a coloured badge, from the choice's colour map."""

    def __init__(self, colors: dict, *args, **kwargs):
        self.colors = colors
        super().__init__(*args, **kwargs)

    def render(self, record, value, bound_column):
        raw = tables.A(bound_column.accessor).resolve(record) if bound_column.accessor else value
        field = bound_column.accessor.split(".")[-1] if bound_column.accessor else bound_column.name
        display = getattr(record, f"get_{field}_display", None)
        label = display() if callable(display) else value
        color = self.colors.get(raw, "secondary")
        return format_html('<span class="badge bg-{}-lt">{}</span>', color, label)

    def value(self, record, value, bound_column):
        field = bound_column.accessor.split(".")[-1] if bound_column.accessor else bound_column.name
        display = getattr(record, f"get_{field}_display", None)
        return display() if callable(display) else value


class WanColumn(tables.Column):
    """An amount stored in 万元, shown with separators; exported as a number."""

    def __init__(self, *args, yi: bool = False, **kwargs):
        self.yi = yi
        kwargs.setdefault("attrs", {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}})
        super().__init__(*args, **kwargs)

    def render(self, value):
        return format_yi(value) if self.yi else format_wan(value)

    def value(self, value):
        if value is None:
            return None
        return (Decimal(value) / Decimal(10000)).quantize(Decimal("0.01")) if self.yi else value


class LinkedColumn(tables.Column):
    """A column linking to the record's (or related object's) detail page."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("linkify", True)
        super().__init__(*args, **kwargs)


class BaseTable(tables.Table):
    """Every list page's table: Tabler styling, a selection column, and a column chooser."""

    pk = ToggleColumn()

    class Meta:
        attrs = {"class": "table table-vcenter card-table table-striped table-hover text-nowrap"}
        template_name = "chainlead/table.html"
        #: Columns shown when the user has not chosen (None = all). Subclasses set this.
        default_columns: tuple[str, ...] | None = None

    def __init__(self, *args, user=None, selected_columns=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # django-tables2 drops Meta options it does not know, so read ours from the class itself.
        default = getattr(type(self).Meta, "default_columns", None)
        chosen = selected_columns or default
        if chosen:
            keep = {"pk", *chosen}
            for name in list(self.columns.names()):
                if name not in keep:
                    self.columns.hide(name)
        if chosen and selected_columns:
            # Keep the user's chosen order.
            order = ["pk", *[c for c in selected_columns if c in self.base_columns]]
            self.sequence = order + [c for c in self.sequence if c not in order]

    @classmethod
    def available_columns(cls) -> list[tuple[str, str]]:
        """(name, header) of every column the user can pick."""
        out = []
        for name, column in cls.base_columns.items():
            if name == "pk" or getattr(column, "exclude_from_export", False) and name == "actions":
                continue
            header = column.verbose_name or name
            out.append((name, str(header)))
        return out

    def visible_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.visible and c.name != "pk"]
