"""Form bases: Tabler styling, the optimistic-lock version field, and bulk edit."""

from __future__ import annotations

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _


class FastSelect(forms.Select):
    """A <select> rendered in Python. Django renders every <option> through a template, which costs
    about a millisecond per hundred options; the filter bars and forms have selects with hundreds
    (chain nodes, enterprises)."""

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)["widget"]
        attrs_html = mark_safe(
            "".join(
                format_html(' {}="{}"', key, val) if val is not True else format_html(" {}", key)
                for key, val in context["attrs"].items()
                if val is not False and val is not None
            )
        )
        parts = [format_html('<select name="{}"{}>', context["name"], attrs_html)]
        for group_name, options, _index in context["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    '<option value="{}"{}>{}</option>'.format(
                        conditional_escape(option["value"] if option["value"] is not None else ""),
                        " selected" if option["selected"] else "",
                        conditional_escape(option["label"]),
                    )
                )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))


class TablerFormRenderer(TemplatesSetting):
    """Renders every form and field with the Tabler templates in ``templates/chainlead/forms``."""

    form_template_name = "chainlead/forms/form.html"
    field_template_name = "chainlead/forms/field.html"


def style_widgets(form: forms.BaseForm) -> None:
    """Give each widget the Tabler/Bootstrap class it needs."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxInput,)):
            css = "form-check-input"
        elif isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
            css = ""
        elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
            css = "form-select"
            if type(widget) is forms.Select:
                widget.__class__ = FastSelect
        else:
            css = "form-control"
        if css:
            existing = widget.attrs.get("class", "")
            if css not in existing:
                widget.attrs["class"] = f"{existing} {css}".strip()
        if isinstance(widget, forms.DateInput):
            widget.input_type = "date"
            widget.format = "%Y-%m-%d"
        if isinstance(widget, forms.DateTimeInput):
            widget.input_type = "datetime-local"
            widget.format = "%Y-%m-%dT%H:%M"


class StyledFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)


class ChainleadForm(StyledFormMixin, forms.Form):
    """A plain form with Tabler styling."""


class ChainleadModelForm(StyledFormMixin, forms.ModelForm):
    """The base of every model form.

    Editing an existing object carries the version the user opened; saving over a newer version
    raises ``ConflictError`` in ``ChangeLoggedModel.save`` and the view shows a conflict message
    with the user's input kept."""

    _version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and hasattr(self.instance, "expect_version"):
            self.fields["_version"].initial = self.instance.version
        else:
            del self.fields["_version"]

    def clean(self):
        cleaned = super().clean()
        if "_version" not in self.fields:
            return cleaned
        version = cleaned.get("_version")
        if version is None:
            # Without the version the page was opened on, a save could silently overwrite someone
            # else's change: a page form must carry it (the API may leave If-Match out).
            raise forms.ValidationError(
                _("页面缺少这条{}的版本号，无法确认您看到的是最新内容；您的修改尚未保存，请刷新页面后重新填写。").format(
                    self.instance._meta.verbose_name
                ),
                code="version_missing",
            )
        self.instance.expect_version(version)
        return cleaned


class BulkEditForm(ChainleadForm):
    """Bulk edit: only the fields the user fills are applied to every selected object."""

    pk = forms.ModelMultipleChoiceField(queryset=None, widget=forms.MultipleHiddenInput)

    def __init__(self, model, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.model = model
        self.fields["pk"].queryset = model._default_manager.all()
        for field in self.fields.values():
            if field is not self.fields["pk"]:
                field.required = False

    def changed_values(self) -> dict:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "pk" and value not in (None, "", [], ())
        }


class ColumnChooserForm(ChainleadForm):
    columns = forms.MultipleChoiceField(
        label=_("显示的列"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, table_class, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["columns"].choices = table_class.available_columns()
