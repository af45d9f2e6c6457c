"""Base table and columns. One django-tables2 ``Table`` per model serves the list page, the column
chooser and the Excel export, so the screen and the file never disagree."""

from __future__ import annotations

from decimal import Decimal

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from chainlead.utilities.money import format_wan, format_yi


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
