from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from chainlead.projects import filtersets, services
from chainlead.projects.api import serializers
from chainlead.projects.models import ContactRecord, KeyProject, StageChange, StageEvidence
from chainlead.utilities.api import BaseViewSet
from chainlead.utilities.api_defaults import RestrictedObjectPermissions


class KeyProjectViewSet(BaseViewSet):
    queryset = KeyProject.objects.select_related(
        "chain", "chain_node", "area", "responsible_unit", "enterprise"
    )
    serializer_class = serializers.KeyProjectSerializer
    filterset_class = filtersets.KeyProjectFilterSet

    @extend_schema(request=serializers.AdvanceSerializer, responses=serializers.KeyProjectSerializer)
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[MultiPartParser, FormParser, JSONParser],
        permission_action="change",
    )
    def advance(self, request, pk=None):
        """Move the project to another stage (the stage machine of DOMAIN.md §3.1)."""
        project = self.get_object()
        body = serializers.AdvanceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        kinds = request.data.getlist("evidence_kind") if hasattr(request.data, "getlist") else []
        files = request.FILES.getlist("evidence_file")
        if len(kinds) != len(files):
            from rest_framework.exceptions import ValidationError

            raise ValidationError({"evidence_kind": ["每个 evidence_file 须对应一个 evidence_kind。"]})
        evidence = [services.EvidenceFile(kind=k, file=f) for k, f in zip(kinds, files, strict=True)]
        data = body.validated_data.get("data") or {}
        if "enterprise" in data and data["enterprise"] is not None:
            from chainlead.enterprises.models import Enterprise

            data["enterprise"] = Enterprise.objects.filter(pk=data["enterprise"]).first()
        try:
            project = services.advance_stage(
                project,
                body.validated_data["to"],
                on=body.validated_data["on"],
                by=request.user,
                data=data,
                evidence=evidence,
                reason=body.validated_data.get("reason", ""),
            )
        except KeyProject.DoesNotExist:
            from django.http import Http404

            raise Http404
        except PermissionDenied:
            raise
        return Response(serializers.KeyProjectSerializer(project, context={"request": request}).data)


class ContactRecordViewSet(BaseViewSet):
    queryset = ContactRecord.objects.select_related("project")
    serializer_class = serializers.ContactRecordSerializer
    filterset_class = filtersets.ContactRecordFilterSet


class StageChangeViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only: stage changes are made by …/projects/{id}/advance/."""

    # Model-level view permission like every other API (a user without any role → 403, not an
    # empty 200); the rows are still restricted to the user's units below.
    permission_classes = [RestrictedObjectPermissions]
    queryset = StageChange.objects.select_related("project")
    serializer_class = serializers.StageChangeSerializer
    filterset_class = filtersets.StageChangeFilterSet

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, "view")


class StageEvidenceViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only list; files are attached through …/advance/ and downloaded from ``url``."""

    # Model-level view permission like every other API (a user without any role → 403, not an
    # empty 200); the rows are still restricted to the user's units below.
    permission_classes = [RestrictedObjectPermissions]
    queryset = StageEvidence.objects.select_related("project")
    serializer_class = serializers.StageEvidenceSerializer
    filterset_class = filtersets.StageEvidenceFilterSet

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, "view")
