from rest_framework import serializers

from chainlead.core.models import AuditEvent, Job, ObjectChange


class ObjectChangeSerializer(serializers.ModelSerializer):
    content_type = serializers.SlugRelatedField(slug_field="model", read_only=True)

    class Meta:
        model = ObjectChange
        fields = [
            "id",
            "time",
            "user",
            "user_name",
            "request_id",
            "source",
            "batch_id",
            "action",
            "content_type",
            "object_id",
            "object_repr",
            "prechange_data",
            "postchange_data",
        ]


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "time",
            "user",
            "user_name",
            "unit",
            "verb",
            "object_id",
            "object_repr",
            "message",
            "data",
        ]


class JobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "name",
            "label",
            "status",
            "percent",
            "progress_done",
            "progress_total",
            "message",
            "result",
            "error",
            "created",
            "started",
            "finished",
        ]
