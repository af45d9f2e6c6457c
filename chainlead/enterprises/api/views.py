"""Viewsets of the enterprises API: the same FilterSets as the list pages."""

from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import exceptions

from chainlead.enterprises import filtersets
from chainlead.enterprises.api import serializers
from chainlead.enterprises.models import Contact, Enterprise, EnterpriseRevenue, StatsThreshold
from chainlead.utilities.api import BaseViewSet


class EnterpriseViewSet(BaseViewSet):
    """企业库：统一社会信用代码按 GB 32100 校验，来源标签为代码列表。"""

    queryset = Enterprise.objects.select_related("responsible_unit")
    serializer_class = serializers.EnterpriseSerializer
    filterset_class = filtersets.EnterpriseFilterSet

    def perform_update(self, serializer):
        # As on the edit page: handing an enterprise to a unit outside one's scope is the office's.
        with transaction.atomic():
            super().perform_update(serializer)
            obj = serializer.instance
            if not Enterprise.objects.restrict(self.request.user, "change").filter(pk=obj.pk).exists():
                raise exceptions.PermissionDenied(
                    _("服务单位只能选择您负责的单位；如需把企业移交给其他单位服务，请联系领导小组办公室。")
                )


class EnterpriseRevenueViewSet(BaseViewSet):
    """企业按月填报的本年累计营业收入（万元）。"""

    queryset = EnterpriseRevenue.objects.select_related("enterprise")
    serializer_class = serializers.EnterpriseRevenueSerializer
    filterset_class = filtersets.EnterpriseRevenueFilterSet


class StatsThresholdViewSet(BaseViewSet):
    """四上标准：按类别、带有效期的年营业收入门槛；仅领导小组办公室可修改。"""

    queryset = StatsThreshold.objects.all()
    serializer_class = serializers.StatsThresholdSerializer
    filterset_class = filtersets.StatsThresholdFilterSet


class ContactViewSet(BaseViewSet):
    """企业联系人。"""

    queryset = Contact.objects.select_related("enterprise")
    serializer_class = serializers.ContactSerializer
    filterset_class = filtersets.ContactFilterSet
