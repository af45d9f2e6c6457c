"""Forms of the ledger app."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chainlead.ledger.models import FieldSynonym
from chainlead.organization.models import Unit
from chainlead.utilities.forms import ChainleadForm, ChainleadModelForm


class FieldSynonymForm(ChainleadModelForm):
    class Meta:
        model = FieldSynonym
        fields = ["text", "field", "comments"]
        widgets = {"comments": forms.Textarea(attrs={"rows": 2})}


class UploadForm(ChainleadForm):
    """The ledger file and, for files without a 责任单位 column, a unit to use."""

    file = forms.FileField(
        label=_("台账文件"),
        help_text=_(
            "Excel（.xlsx、.xls）、.ods 或 .csv，不超过 50 MB。表头可以是一行或两行，可以有合并单元格。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods,.csv"}),
    )
    default_unit = forms.ModelChoiceField(
        label=_("默认责任单位"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("文件没有“责任单位”列，或某行该列为空时使用。"),
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_unit"].queryset = (
            units if units is not None else Unit.objects.filter(is_active=True)
        )
