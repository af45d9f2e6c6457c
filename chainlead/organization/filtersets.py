"""Filters of the organisation app (list pages, API and export share them)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from chainlead.organization.choices import Role, UnitKind
from chainlead.organization.models import RoleGrant, Unit, User
from chainlead.utilities.filtersets import BaseFilterSet


class UnitFilterSet(BaseFilterSet):
    search_fields = ("name", "short_name", "code")
    kind = django_filters.MultipleChoiceFilter(choices=UnitKind.choices, label=_("类型"))
    parent = django_filters.ModelChoiceFilter(queryset=Unit.objects.all(), label=_("上级单位"))
    is_active = django_filters.BooleanFilter(label=_("启用"))

    class Meta:
        model = Unit
        fields = ["q", "kind", "parent", "is_active"]


class UserFilterSet(BaseFilterSet):
    search_fields = ("username", "name", "phone", "title")
    unit = django_filters.ModelChoiceFilter(queryset=Unit.objects.all(), label=_("所属单位"))
    role = django_filters.ChoiceFilter(
        field_name="grants__role", choices=Role.choices, label=_("角色"), distinct=True
    )
    is_active = django_filters.BooleanFilter(label=_("启用"))

    class Meta:
        model = User
        fields = ["q", "unit", "role", "is_active"]


class RoleGrantFilterSet(BaseFilterSet):
    search_fields = ("user__name", "user__username", "unit__name")
    role = django_filters.MultipleChoiceFilter(choices=Role.choices, label=_("角色"))
    unit = django_filters.ModelChoiceFilter(queryset=Unit.objects.all(), label=_("单位"))
    user = django_filters.ModelChoiceFilter(queryset=User.objects.all(), label=_("用户"))

    class Meta:
        model = RoleGrant
        fields = ["q", "role", "unit", "user"]
