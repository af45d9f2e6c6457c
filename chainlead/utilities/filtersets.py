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
        style_widgets(self.form)
        for name, field in self.form.fields.items():
            field.widget.attrs.setdefault("placeholder", str(field.label or name))

    def search(self, queryset, name, value):
        value = (value or "").strip()
        if not value or not self.search_fields:
            return queryset
        q = Q()
        for field in self.search_fields:
            q |= Q(**{f"{field}__icontains": value})
        return queryset.filter(q)
