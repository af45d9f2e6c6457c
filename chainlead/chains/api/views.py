from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from chainlead.chains import filtersets, services
from chainlead.chains.api import serializers
from chainlead.chains.models import ChainNode, ChainRole, KeyChain, NodeEnterprise
from chainlead.utilities.api import BaseViewSet


class KeyChainViewSet(BaseViewSet):
    queryset = KeyChain.objects.select_related("lead_department")
    serializer_class = serializers.KeyChainSerializer
    filterset_class = filtersets.KeyChainFilterSet

    @extend_schema(
        summary=_("产业链图谱数据"),
        description=_(
            "节点（含本地基础、按补链/强链/延链统计的项目数、链主与配套企业）、上下级连线和汇总。"
            "miniature=1 时只返回节点及其本地基础。"
        ),
        parameters=[
            OpenApiParameter(
                "miniature", OpenApiTypes.BOOL, description=_("只返回节点及其本地基础（驾驶舱缩略图用）。")
            )
        ],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=True, methods=["get"])
    def map(self, request, pk=None):
        chain = self.get_object()
        miniature = request.query_params.get("miniature") in ("1", "true", "yes")
        return Response(services.chain_map_data(chain, miniature=miniature))


class ChainRoleViewSet(BaseViewSet):
    queryset = ChainRole.objects.select_related("chain")
    serializer_class = serializers.ChainRoleSerializer
    filterset_class = filtersets.ChainRoleFilterSet


class ChainNodeViewSet(BaseViewSet):
    queryset = ChainNode.objects.select_related("chain")
    serializer_class = serializers.ChainNodeSerializer
    filterset_class = filtersets.ChainNodeFilterSet


class NodeEnterpriseViewSet(BaseViewSet):
    queryset = NodeEnterprise.objects.select_related("node", "enterprise")
    serializer_class = serializers.NodeEnterpriseSerializer
    filterset_class = filtersets.NodeEnterpriseFilterSet
