from chainlead.organization import filtersets
from chainlead.organization.api import serializers
from chainlead.organization.models import RoleGrant, Unit, User
from chainlead.utilities.api import BaseViewSet


class UnitViewSet(BaseViewSet):
    queryset = Unit.objects.select_related("parent")
    serializer_class = serializers.UnitSerializer
    filterset_class = filtersets.UnitFilterSet


class UserViewSet(BaseViewSet):
    queryset = User.objects.select_related("unit")
    serializer_class = serializers.UserSerializer
    filterset_class = filtersets.UserFilterSet

    def perform_create(self, serializer):
        # API-created users have no usable password until the office sets one on the web page.
        super().perform_create(serializer)
        user = serializer.instance
        user.set_unusable_password()
        user.must_change_password = True
        user.save()


class RoleGrantViewSet(BaseViewSet):
    queryset = RoleGrant.objects.select_related("user", "unit")
    serializer_class = serializers.RoleGrantSerializer
    filterset_class = filtersets.RoleGrantFilterSet
