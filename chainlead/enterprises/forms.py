"""Forms of the enterprises app."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from chainlead.enterprises.choices import SourceTag, StatsCategory, StatsStatus
from chainlead.enterprises.models import Contact, Enterprise, EnterpriseRevenue, StatsThreshold
from chainlead.organization.models import Unit
from chainlead.utilities.forms import BulkEditForm, ChainleadModelForm
from chainlead.utilities.validators import validate_credit_code


class SourceTagsWidget(forms.CheckboxSelectMultiple):
    """Source tags as inline checkboxes, each labelled with its coloured badge."""

    template_name = "enterprises/widgets/source_tags.html"


class MonthInput(forms.DateInput):
    """``<input type="month">``: the browser offers a month picker and sends ``2021-11``."""

    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m")


class MonthField(forms.DateField):
    """A month, stored as its first day. Accepts ``2021-11`` (and a full date)."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d", "%Y/%m", "%Y年%m月"]

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


def _keep_month_widgets(form) -> None:
    # style_widgets() turns every DateInput into a date picker; months stay month pickers.
    for field in form.fields.values():
        if isinstance(field, MonthField):
            field.widget.input_type = "month"
            field.widget.format = "%Y-%m"


def clean_credit_code_value(value: str) -> str:
    """Upper-case, no spaces, and the GB 32100 check with the validator's own message (not the
    generic “at most 18 characters” that would otherwise come first)."""
    code = (value or "").replace(" ", "").strip().upper()
    validate_credit_code(code)
    return code


def order_tags(tags) -> list[str]:
    """The chosen tags in the order of ``SourceTag`` (so equal sets are stored equally)."""
    chosen = set(tags or [])
    return [t for t in SourceTag.values if t in chosen]


class EnterpriseForm(ChainleadModelForm):
    source_tags = forms.MultipleChoiceField(
        label=_("来源标签"),
        choices=SourceTag.choices,
        widget=SourceTagsWidget,
        required=False,
        help_text=_("可多选；考核中作为加分项统计。"),
    )
    stats_entered_on = MonthField(
        label=_("纳统月份"), required=False, help_text=_("纳入四上统计的月份，已纳统时必填。")
    )

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "credit_code",
            "legal_representative",
            "registered_capital",
            "established_on",
            "responsible_unit",
            "industry",
            "industry_code",
            "address",
            "hq_city",
            "source_tags",
            "stats_category",
            "stats_status",
            "stats_entered_on",
            "comments",
        ]
        widgets = {"comments": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        code = self.fields["credit_code"]
        # The length is checked by the credit-code validator, with a message that says so.
        code.max_length = None
        code.validators = [v for v in code.validators if not isinstance(v, MaxLengthValidator)]
        code.widget.attrs.pop("maxlength", None)
        code.widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        _keep_month_widgets(self)

    def clean_credit_code(self):
        return clean_credit_code_value(self.cleaned_data.get("credit_code"))

    def clean_source_tags(self):
        return order_tags(self.cleaned_data.get("source_tags"))

    def clean_industry_code(self):
        return (self.cleaned_data.get("industry_code") or "").strip().upper()


class EnterpriseBulkEditForm(BulkEditForm):
    responsible_unit = forms.ModelChoiceField(
        label=_("服务单位"), queryset=Unit.objects.filter(is_active=True), required=False
    )
    stats_category = forms.ChoiceField(
        label=_("四上类别"), choices=[("", "—"), *StatsCategory.choices], required=False
    )
    stats_status = forms.ChoiceField(
        label=_("纳统状态"), choices=[("", "—"), *StatsStatus.choices], required=False
    )
    stats_entered_on = MonthField(
        label=_("纳统月份"), required=False, help_text=_("改为“已纳统”时须同时填写。")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _keep_month_widgets(self)


class EnterpriseRevenueForm(ChainleadModelForm):
    period = MonthField(label=_("月份"), help_text=_("本年累计营业收入所属的月份。"))

    class Meta:
        model = EnterpriseRevenue
        fields = ["enterprise", "period", "revenue_ytd", "employees", "source", "comments"]
        widgets = {"comments": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _keep_month_widgets(self)
        self.fields["enterprise"].queryset = Enterprise.objects.only("pk", "name").order_by("name")


class StatsThresholdForm(ChainleadModelForm):
    class Meta:
        model = StatsThreshold
        fields = ["category", "threshold", "basis", "valid_from", "valid_to", "source", "comments"]
        widgets = {"comments": forms.Textarea(attrs={"rows": 2})}


class ContactForm(ChainleadModelForm):
    class Meta:
        model = Contact
        fields = ["enterprise", "name", "title", "phone", "email", "is_primary", "comments"]
        widgets = {"comments": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.only("pk", "name").order_by("name")
