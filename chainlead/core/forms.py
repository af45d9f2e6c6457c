"""Forms of the core app."""

from django import forms

from chainlead.core.models import HolidayOverride, UnitWebhook
from chainlead.utilities.forms import ChainleadModelForm


class UnitWebhookForm(ChainleadModelForm):
    secret = forms.CharField(
        required=False,
        widget=forms.PasswordInput(render_value=True),
        label=UnitWebhook._meta.get_field("secret").verbose_name,
        help_text=UnitWebhook._meta.get_field("secret").help_text,
    )

    class Meta:
        model = UnitWebhook
        fields = ["unit", "kind", "url", "secret", "is_active", "comments"]
        widgets = {"comments": forms.Textarea(attrs={"rows": 2})}


class HolidayOverrideForm(ChainleadModelForm):
    class Meta:
        model = HolidayOverride
        fields = ["date", "is_workday", "name", "comments"]
        widgets = {"comments": forms.Textarea(attrs={"rows": 2})}
