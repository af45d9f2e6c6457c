from rest_framework import serializers

from chainlead.ledger.models import FieldSynonym, ImportBatch
from chainlead.utilities.api import BaseModelSerializer


class FieldSynonymSerializer(BaseModelSerializer):
    class Meta:
        model = FieldSynonym
        fields = ["id", "text", "field", "comments", "version", "created", "last_updated"]
        read_only_fields = ["created", "last_updated"]


class ImportBatchSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "url",
            "original_name",
            "kind",
            "status",
            "created",
            "created_by",
            "row_count",
            "created_count",
            "updated_count",
            "unchanged_count",
            "error_count",
            "warning_count",
            "committed_at",
            "undone_at",
            "message",
        ]
        read_only_fields = fields
