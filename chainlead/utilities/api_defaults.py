"""The API permission and pagination classes. Kept apart from ``utilities.api`` because DRF imports the default
classes while ``rest_framework.views`` is still loading."""

from rest_framework import pagination, permissions

from chainlead.organization.permissions import get_scope

ACTION_FOR_METHOD = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


def _action(view, request) -> str:
    """The permission action: an @action(permission_action=…) wins, else the HTTP method's."""
    return getattr(view, "permission_action", None) or ACTION_FOR_METHOD.get(request.method, "view")


class RestrictedObjectPermissions(permissions.BasePermission):
    """Model level: some role grants the action (else 403). Object level: the object is in the
    user's units for the action (objects outside the view scope were already 404)."""

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        model = getattr(getattr(view, "queryset", None), "model", None)
        if model is None:
            return True
        action = _action(view, request)
        if getattr(view, "detail", False):
            # On one object, look it up first: outside the user's scope it is a 404, whatever the
            # action; the action itself is checked in has_object_permission (403).
            action = "view"
        return get_scope(request.user).can(model, action)

    def has_object_permission(self, request, view, obj):
        action = _action(view, request)
        if action == "view":
            return True
        return get_scope(request.user).has_perm(obj, action)


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "per_page"
    max_page_size = 1000
