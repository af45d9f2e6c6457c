"""Opens a change context per request: every write it causes is attributed to the user and to a
request id, which the response carries back in ``X-Request-ID``."""

import uuid

from chainlead.core.context import change_context


class ChangeContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith("/api/"):
            source = "api"
        elif path.startswith("/admin/"):
            source = "admin"
        else:
            source = "web"
        request.id = uuid.uuid4()
        user = getattr(request, "user", None)
        # request.user is lazy; DRF authenticates later, so the API view sets the user itself
        # (chainlead.utilities.api.BaseViewSet.initial).
        with change_context(user=user, request_id=request.id, source=source):
            response = self.get_response(request)
        response["X-Request-ID"] = str(request.id)
        return response
