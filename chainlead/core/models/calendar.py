"""Working days: the office's corrections to the national holiday calendar."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chainlead.core.models.base import PrimaryModel


class HolidayOverride(PrimaryModel):
    """A day whose working status differs from ``chinesecalendar`` (or from the weekend rule for
    a year the package does not know yet): a newly published holiday, a 调休 Saturday, a local day off."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(
        _("是否工作日"), help_text=_("勾选：这一天上班（如调休的周六）；不勾选：这一天放假。")
    )
    name = models.CharField(_("名称"), max_length=50, blank=True, help_text=_("如：春节、国庆节调休。"))

    public_actions = {"view"}
    permission_roles = {"add": {"office_admin"}, "change": {"office_admin"}, "delete": {"office_admin"}}

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = pgettext_lazy("plural", "节假日调整")
        ordering = ["-date"]

    def __str__(self):
        kind = _("上班") if self.is_workday else _("放假")
        return f"{self.date:%Y-%m-%d} {kind} {self.name}".strip()

    def get_absolute_url(self):
        return reverse("core:holidayoverride_detail", args=[self.pk])
