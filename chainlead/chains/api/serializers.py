from rest_framework import serializers

from chainlead.chains.models import ChainNode, ChainRole, KeyChain, NodeEnterprise
from chainlead.utilities.api import BaseModelSerializer


class KeyChainSerializer(BaseModelSerializer):
    verification_display = serializers.CharField(source="get_verification_display", read_only=True)
    lead_department_name = serializers.CharField(source="lead_department.name", read_only=True)

    class Meta:
        model = KeyChain
        fields = [
            "id",
            "name",
            "short_name",
            "code",
            "description",
            "lead_department",
            "lead_department_name",
            "verification",
            "verification_display",
            "sort_order",
            "is_active",
            "comments",
            "version",
            "created",
            "last_updated",
        ]
        read_only_fields = ["created", "last_updated"]


class ChainRoleSerializer(BaseModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = ChainRole
        fields = [
            "id",
            "chain",
            "kind",
            "kind_display",
            "person_name",
            "title",
            "phone",
            "user",
            "unit",
            "sort_order",
            "comments",
            "version",
            "created",
            "last_updated",
        ]
        read_only_fields = ["created", "last_updated"]


class ChainNodeSerializer(BaseModelSerializer):
    segment_display = serializers.CharField(source="get_segment_display", read_only=True)
    strength_display = serializers.CharField(source="get_strength_display", read_only=True)

    class Meta:
        model = ChainNode
        fields = [
            "id",
            "chain",
            "parent",
            "segment",
            "segment_display",
            "name",
            "strength",
            "strength_display",
            "industry_code",
            "description",
            "sort_order",
            "comments",
            "version",
            "created",
            "last_updated",
        ]
        read_only_fields = ["created", "last_updated"]
        # The model reports a duplicate name on the name field (full_clean); DRF's generic
        # unique-together validator would answer first with a message that names no field.
        validators = []


class NodeEnterpriseSerializer(BaseModelSerializer):
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    node_name = serializers.CharField(source="node.name", read_only=True)
    chain = serializers.IntegerField(source="node.chain_id", read_only=True)

    class Meta:
        model = NodeEnterprise
        fields = [
            "id",
            "node",
            "node_name",
            "chain",
            "enterprise",
            "enterprise_name",
            "role",
            "role_display",
            "comments",
            "version",
            "created",
            "last_updated",
        ]
        read_only_fields = ["created", "last_updated"]
        validators = []
