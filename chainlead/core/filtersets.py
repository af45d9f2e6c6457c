"""Filters of the change log, the audit events and the jobs."""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from chainlead.core.models import (
    AuditEvent,
    ChangeAction,
    HolidayOverride,
    Job,
    JobStatus,
    ObjectChange,
    UnitWebhook,
    WebhookKind,
)
from chainlead.utilities.filtersets import BaseFilterSet


def logged_content_types(request=None):
    from django.apps import apps

    from chainlead.core.models.base import ChangeLoggedModel

    ids = [
        ContentType.objects.get_for_model(m).pk for m in apps.get_models() if issubclass(m, ChangeLoggedModel)
    ]
    return ContentType.objects.filter(pk__in=ids).order_by("app_label", "model")


class ContentTypeChoiceFilter(django_filters.ModelChoiceFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", logged_content_types)
        super().__init__(*args, **kwargs)


class ObjectChangeFilterSet(BaseFilterSet):
    search_fields = ("object_repr", "user_name")
    action = django_filters.ChoiceFilter(choices=ChangeAction.choices, label=_("操作"))
    content_type = django_filters.ModelChoiceFilter(queryset=logged_content_types, label=_("对象类型"))
    user_name = django_filters.CharFilter(lookup_expr="icontains", label=_("操作人"))
    source = django_filters.CharFilter(lookup_expr="startswith", label=_("来源"))
    request_id = django_filters.UUIDFilter(label=_("请求/任务编号"))
    batch_id = django_filters.CharFilter(label=_("导入批次"))
    time_after = django_filters.DateFilter(field_name="time", lookup_expr="date__gte", label=_("起始日期"))
    time_before = django_filters.DateFilter(field_name="time", lookup_expr="date__lte", label=_("截止日期"))

    class Meta:
        model = ObjectChange
        fields = ["q", "action", "content_type", "user_name", "source", "request_id", "batch_id"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["content_type"].label_from_instance = lambda ct: str(
            ct.model_class()._meta.verbose_name if ct.model_class() else ct
        )


class AuditEventFilterSet(BaseFilterSet):
    search_fields = ("object_repr", "user_name", "message")
    verb = django_filters.CharFilter(label=_("事件"))
    user_name = django_filters.CharFilter(lookup_expr="icontains", label=_("操作人"))
    time_after = django_filters.DateFilter(field_name="time", lookup_expr="date__gte", label=_("起始日期"))
    time_before = django_filters.DateFilter(field_name="time", lookup_expr="date__lte", label=_("截止日期"))

    class Meta:
        model = AuditEvent
        fields = ["q", "verb", "user_name"]


class JobFilterSet(BaseFilterSet):
    search_fields = ("label", "name")
    status = django_filters.ChoiceFilter(choices=JobStatus.choices, label=_("状态"))

    class Meta:
        model = Job
        fields = ["q", "status"]


class UnitWebhookFilterSet(BaseFilterSet):
    search_fields = ("unit__name",)
    kind = django_filters.ChoiceFilter(choices=WebhookKind.choices, label=_("类型"))

    class Meta:
        model = UnitWebhook
        fields = ["q", "kind", "unit", "is_active"]


class HolidayOverrideFilterSet(BaseFilterSet):
    search_fields = ("name",)
    year = django_filters.NumberFilter(field_name="date", lookup_expr="year", label=_("年份"))

    class Meta:
        model = HolidayOverride
        fields = ["q", "year", "is_workday"]
