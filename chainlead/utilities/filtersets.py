"""FilterSet base: one per model, shared by the list page, the API and the export."""

from __future__ import annotations

import copy

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chainlead.utilities.forms import style_widgets


class CheckboxDropdown(forms.CheckboxSelectMultiple):
    """A multi-choice filter as a compact dropdown of checkboxes (a listbox is unusable on phones)."""

    template_name = "chainlead/widgets/checkbox_dropdown.html"


def _copy_filter(self, memo):
    """django-filter deep-copies every declared filter (labels, querysets, choices and all) for each
    FilterSet instance: ~2,400 deepcopy calls and a quarter of an empty project list's time. A filter's
    per-instance state is ``parent``, ``model`` and its lazily built form field; the rest is read-only
    configuration, so a shallow copy with its own ``extra`` dict and no cached field is enough."""
    new = copy.copy(self)
    new.extra = dict(self.extra)
    new.__dict__.pop("_field", None)
    if getattr(self, "_method", None) is not None:
        new.method = self._method  # re-binds FilterMethod to the copy (it finds .parent through it)
    return new


django_filters.filters.Filter.__deepcopy__ = _copy_filter

INT64_MAX = 2**63 - 1


def _too_big(value) -> bool:
    try:
        return abs(int(str(value).strip())) > INT64_MAX
    except (TypeError, ValueError):
        return False


BOOLEAN_CHOICES = (("", _("全部")), ("true", _("是")), ("false", _("否")))


class BaseFilterSet(django_filters.FilterSet):
    """Adds ``q`` (free text over ``search_fields``) and Tabler styling."""

    q = django_filters.CharFilter(method="search", label=_("搜索"))
    search_fields: tuple[str, ...] = ()
    #: Filters always shown; the others fold under "更多条件" (None = show all).
    primary_filters: tuple[str, ...] | None = None

    def primary_fields(self):
        names = self.primary_filters
        return [f for f in self.form.visible_fields() if names is None or f.name in names or f.name == "q"]

    def secondary_fields(self):
        names = self.primary_filters
        if names is None:
            return []
        return [f for f in self.form.visible_fields() if f.name not in names and f.name != "q"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # django-filter adds DISTINCT to every multiple-choice filter; on the model's own columns it
        # cannot produce duplicates, and on a million rows it turns a LIMIT 50 into a full sort.
        for f in self.filters.values():
            if getattr(f, "distinct", False) and "__" not in (f.field_name or ""):
                f.distinct = False
        for field in self.form.fields.values():
            widget = field.widget
            if isinstance(widget, forms.SelectMultiple) and not isinstance(
                widget, forms.CheckboxSelectMultiple
            ):
                field.widget = CheckboxDropdown(choices=widget.choices, attrs=widget.attrs)
            elif isinstance(widget, forms.NullBooleanSelect):
                field.widget = forms.Select(choices=BOOLEAN_CHOICES)
            elif hasattr(field, "empty_label") and field.empty_label is not None:
                field.empty_label = _("全部")
        self._restrict_choices(request)
        self._bound_numbers()
        style_widgets(self.form)
        for name, field in self.form.fields.items():
            field.widget.attrs.setdefault("placeholder", str(field.label or name))

    def _restrict_choices(self, request) -> None:
        """A filter's choices are rows too: offer only those the user may see. Without this the
        project filter of a list would name every project of the zone, other units' included
        (found by the URL-wide permission matrix)."""
        user = getattr(request, "user", None)
        if user is None:
            return
        for field in self.form.fields.values():
            queryset = getattr(field, "queryset", None)
            model = getattr(queryset, "model", None)
            if model is None or model._meta.app_label == "organization":
                continue  # units and people are the zone's structure: every unit may filter by them
            if getattr(model, "unit_paths", ()) and hasattr(queryset, "restrict"):
                field.queryset = queryset.restrict(user, "view")

    def _bound_numbers(self) -> None:
        """Numbers the database cannot hold are a form error (400), not a 500: a year outside
        1–9999 (``__year`` lookups build a ``date``), an integer beyond 64 bits (SQLite raises
        OverflowError, PostgreSQL a DataError). Found by the API fuzzing test."""
        from django.core.validators import MaxValueValidator, MinValueValidator

        for name, flt in self.filters.items():
            field = self.form.fields.get(name)
            if field is None:
                continue
            lookup = f"{flt.field_name}__{flt.lookup_expr}"
            if lookup.endswith("__year") or lookup.endswith("year__exact"):
                low, high = 1, 9999
            elif isinstance(flt, django_filters.NumberFilter):
                low, high = -INT64_MAX, INT64_MAX
            else:
                continue
            field.validators += [MinValueValidator(low), MaxValueValidator(high)]
        # Model choices are looked up while the field cleans, before any validator: an id beyond
        # 64 bits is replaced by a non-number, which the field refuses as an invalid choice.
        if self.data is None:
            return
        names = [n for n, f in self.form.fields.items() if getattr(f, "queryset", None) is not None]
        if not any(n in self.data for n in names):
            return
        data = self.data.copy()
        for name in names:
            values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
            bounded = [("-" if _too_big(v) else v) for v in values]
            if bounded != values:
                if hasattr(data, "setlist"):
                    data.setlist(name, bounded)
                else:
                    data[name] = bounded[0]
        self.data = data
        self.form.data = data

    def search(self, queryset, name, value):
        value = (value or "").strip()
        if not value or not self.search_fields:
            return queryset
        q = Q()
        for field in self.search_fields:
            q |= Q(**{f"{field}__icontains": value})
        return queryset.filter(q)
