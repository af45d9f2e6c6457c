from rest_framework import serializers

from chainlead.organization.models import RoleGrant, Unit, User
from chainlead.utilities.api import BaseModelSerializer


class UnitSerializer(BaseModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "kind_display",
            "parent",
            "code",
            "phone",
            "address",
            "sort_order",
            "is_active",
            "comments",
            "version",
            "created",
            "last_updated",
        ]
        read_only_fields = ["created", "last_updated"]


class UserSerializer(BaseModelSerializer):
    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "name",
            "phone",
            "email",
            "unit",
            "title",
            "is_active",
            "last_login",
            "must_change_password",
            "version",
        ]
        read_only_fields = ["last_login", "must_change_password"]


class RoleGrantSerializer(BaseModelSerializer):
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = RoleGrant
        fields = ["id", "user", "role", "role_display", "unit", "comments", "version", "created"]
        read_only_fields = ["created"]
