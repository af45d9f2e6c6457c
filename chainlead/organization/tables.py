"""Tables of the organisation app."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from chainlead.organization.choices import ROLE_COLORS, UNIT_KIND_COLORS
from chainlead.organization.models import RoleGrant, Unit, User
from chainlead.utilities.tables import BaseTable, ChoiceBadgeColumn


class UnitTable(BaseTable):
    name = tables.Column(linkify=True)
    kind = ChoiceBadgeColumn(UNIT_KIND_COLORS)
    parent = tables.Column(linkify=True)
    members = tables.Column(verbose_name=_("人数"), accessor="member_count", orderable=False)

    class Meta(BaseTable.Meta):
        model = Unit
        fields = (
            "pk",
            "name",
            "short_name",
            "kind",
            "parent",
            "code",
            "phone",
            "is_active",
            "members",
            "last_updated",
        )
        default_columns = ("name", "kind", "parent", "phone", "members", "is_active")

    def render_name(self, record, value):
        from django.utils.html import format_html

        return format_html('<span style="padding-left:{}rem">{}</span>', record.depth * 1.2, value)


class UserTable(BaseTable):
    username = tables.Column(linkify=True)
    name = tables.Column(linkify=True)
    unit = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = User
        fields = (
            "pk",
            "username",
            "name",
            "unit",
            "title",
            "phone",
            "email",
            "is_active",
            "last_login",
            "must_change_password",
        )
        default_columns = ("username", "name", "unit", "title", "phone", "is_active", "last_login")


class RoleGrantTable(BaseTable):
    user = tables.Column(linkify=True)
    role = ChoiceBadgeColumn(ROLE_COLORS, linkify=True)
    unit = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = RoleGrant
        fields = ("pk", "user", "role", "unit", "created")
        default_columns = ("user", "role", "unit", "created")
