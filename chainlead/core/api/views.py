"""Read-only API of the change log, the audit events and the jobs: log entries cannot be
written, edited or deleted through the API."""

from rest_framework import permissions, viewsets

from chainlead.core.api import serializers
from chainlead.core.filtersets import AuditEventFilterSet, JobFilterSet, ObjectChangeFilterSet
from chainlead.core.models import AuditEvent, Job, ObjectChange
from chainlead.organization.permissions import get_scope


class _OwnOrOversight(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        qs = super().get_queryset()
        return qs if get_scope(self.request.user).is_oversight else qs.filter(user=self.request.user)


class ObjectChangeViewSet(_OwnOrOversight):
    queryset = ObjectChange.objects.select_related("content_type")
    serializer_class = serializers.ObjectChangeSerializer
    filterset_class = ObjectChangeFilterSet


class AuditEventViewSet(_OwnOrOversight):
    queryset = AuditEvent.objects.all()
    serializer_class = serializers.AuditEventSerializer
    filterset_class = AuditEventFilterSet


class JobViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated]
    queryset = Job.objects.all()
    serializer_class = serializers.JobSerializer
    filterset_class = JobFilterSet

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user)
