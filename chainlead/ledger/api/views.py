from rest_framework import permissions, viewsets

from chainlead.ledger import filtersets
from chainlead.ledger.api import serializers
from chainlead.ledger.models import FieldSynonym, ImportBatch
from chainlead.utilities.api import BaseViewSet


class FieldSynonymViewSet(BaseViewSet):
    """Column-title synonyms of the ledger import (everyone reads them, the office edits them)."""

    queryset = FieldSynonym.objects.all()
    serializer_class = serializers.FieldSynonymSerializer
    filterset_class = filtersets.FieldSynonymFilterSet


class ImportBatchViewSet(viewsets.ReadOnlyModelViewSet):
    """Import batches: the user's own, or all for the office. Imports are made on the 台账导入 page."""

    permission_classes = [permissions.IsAuthenticated]
    queryset = ImportBatch.objects.select_related("created_by")
    serializer_class = serializers.ImportBatchSerializer
    filterset_class = filtersets.ImportBatchFilterSet

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, "view")
