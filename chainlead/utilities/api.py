"""API bases: one viewset class restricts querysets, checks permissions, handles optimistic
locking (ETag / If-Match) and validates through the model, for every model's API."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from chainlead.core.context import set_user
from chainlead.core.exceptions import ConflictError, ServiceError
from chainlead.utilities.api_defaults import Pagination, RestrictedObjectPermissions  # noqa: F401


class BaseModelSerializer(serializers.ModelSerializer):
    """Validates through the model's ``full_clean()``: the API agrees with forms and imports."""

    version = serializers.IntegerField(
        required=False, help_text=_("乐观锁版本号：修改时传回读取到的版本，若记录已被他人修改则返回 409。")
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        instance = self.instance if self.instance is not None else model()
        m2m = {}
        for key, value in attrs.items():
            field = model._meta.get_field(key) if key in {f.name for f in model._meta.get_fields()} else None
            if field is not None and field.many_to_many:
                m2m[key] = value
                continue
            if key != "version":
                setattr(instance, key, value)
        # Like a ModelForm: fields the API does not expose are not validated here (they keep
        # their defaults or are set by the service/viewset).
        exposed = {f.source for f in self.fields.values() if not f.read_only}
        exclude = [
            f.name for f in model._meta.concrete_fields if f.name not in exposed and f.attname not in exposed
        ]
        try:
            instance.full_clean(exclude=exclude)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc))
        return attrs

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        # DRF drops ``allow_blank`` from read-only fields, so the schema of a read-only choice
        # whose model field may be blank ("" = not set) would not admit the "" the API returns.
        blank_choice = bool(kwargs.get("allow_blank")) and "choices" in kwargs
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if blank_choice and kwargs.get("read_only"):
            kwargs["allow_blank"] = True
        return kwargs

    def update(self, instance, validated_data):
        version = validated_data.pop("version", None)
        if version is not None:
            instance.expect_version(version)
        return super().update(instance, validated_data)

    def create(self, validated_data):
        validated_data.pop("version", None)
        return super().create(validated_data)


@extend_schema_view(
    update=extend_schema(
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=False)]
    ),
    partial_update=extend_schema(
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=False)]
    ),
)
class BaseViewSet(viewsets.ModelViewSet):
    """The viewset every model API derives from."""

    permission_classes = [RestrictedObjectPermissions]
    #: Set per extra @action, e.g. ``@action(detail=True, methods=["post"], permission_action="submit")``.
    permission_action: str | None = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # DRF authenticates after the middlewares ran: attach the user to the change context.
        if request.user and request.user.is_authenticated:
            set_user(request.user)

    def get_queryset(self):
        # Objects outside the user's *view* scope answer 404; visible but not writable → 403.
        return super().get_queryset().restrict(self.request.user, "view")

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        version = response.data.get("version") if isinstance(response.data, dict) else None
        if version is not None:
            response["ETag"] = f'"{version}"'
        return response

    def perform_create(self, serializer):
        with transaction.atomic():
            obj = serializer.save()
            model = type(obj)
            if not model._default_manager.restrict(self.request.user, "add").filter(pk=obj.pk).exists():
                raise exceptions.PermissionDenied(
                    _("您只能在自己负责的单位范围内新建{}。").format(model._meta.verbose_name)
                )

    def apply_if_match(self, obj):
        """Declare the version the client read (the ``If-Match`` ETag), if it sent one: a save or
        a workflow step on a record changed since then answers 412. Returns ``obj``."""
        if_match = self.request.headers.get("If-Match")
        if if_match and hasattr(obj, "expect_version"):
            try:
                obj.expect_version(int(if_match.strip().removeprefix("W/").strip('"')))
            except ValueError:
                raise exceptions.ValidationError({"If-Match": _("If-Match 应为读取记录时得到的 ETag。")})
        return obj

    def perform_update(self, serializer):
        self.apply_if_match(serializer.instance)
        with transaction.atomic():
            obj = serializer.save()
            if (
                not type(obj)
                ._default_manager.restrict(self.request.user, "change")
                .filter(pk=obj.pk)
                .exists()
            ):
                from chainlead.utilities.views import out_of_scope_message

                raise exceptions.PermissionDenied(out_of_scope_message(type(obj), False))

    def perform_destroy(self, instance):
        with transaction.atomic():
            instance.delete()


def exception_handler(exc, context):
    """Plain-language errors for the platform's own exceptions."""
    if isinstance(exc, ConflictError):
        status_code = (
            status.HTTP_412_PRECONDITION_FAILED
            if context["request"].headers.get("If-Match")
            else status.HTTP_409_CONFLICT
        )
        return Response({"detail": exc.message, "code": "conflict"}, status=status_code)
    if isinstance(exc, ServiceError):
        body = {exc.field: [exc.message]} if exc.field else {"detail": exc.message}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, (ProtectedError, RestrictedError)):
        from chainlead.utilities.views import protected_message

        return Response(
            {"detail": protected_message(exc), "code": "protected"}, status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(serializers.as_serializer_error(exc))
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)


#: Error answers every operation can give (the exception handler above and DRF's own): the schema
#: lists them so that clients, and the fuzzing test, know a 404 or a 409 is a documented answer.
_ERROR_BODY = {
    "type": "object",
    "description": "错误说明：detail 为说明文字；字段校验错误时为“字段 → 错误列表”。",
    # Free-form: {"detail": "…", "code": "…"} or field → [messages] (a field may be called "code").
    "additionalProperties": True,
}
_ERRORS = {
    "400": "请求内容未通过校验。",
    "401": "未登录。",
    "403": "没有权限。",
    "404": "对象不存在或不在您的单位范围内。",
    "409": "冲突：记录已被他人修改，或仍被引用无法删除。",
    "412": "If-Match 与当前版本不符。",
}


def add_error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: document the error answers of every operation."""
    for path, methods in result.get("paths", {}).items():
        detail = "{" in path
        for method, operation in methods.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = ["401", "403"]
            params = {p.get("name") for p in operation.get("parameters", []) if isinstance(p, dict)}
            if detail or "page" in params:
                codes.append("404")  # an object outside the user's units, or a page past the end
            if method in ("post", "put", "patch", "delete") or operation.get("parameters"):
                codes.append("400")  # bodies and query parameters (filters) are validated
            if method in ("put", "patch", "delete", "post"):
                codes.append("409")
            if method in ("put", "patch"):
                codes.append("412")
            for code in codes:
                operation["responses"].setdefault(
                    code,
                    {"description": _ERRORS[code], "content": {"application/json": {"schema": _ERROR_BODY}}},
                )
    _local_times(result.get("components", {}).get("schemas", {}))
    return result


def _local_times(node):
    """``format: time`` in JSON Schema is RFC 3339 full-time (with an offset); DRF writes local
    times without one ("17:00:00", Asia/Shanghai). Describe what the API really sends."""
    if isinstance(node, dict):
        if node.get("format") == "time" and node.get("type") == "string":
            node.pop("format")
            node["pattern"] = r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$"
            node.setdefault("description", "本地时间（北京时间），HH:MM[:SS]")
        for value in node.values():
            _local_times(value)
    elif isinstance(node, list):
        for value in node:
            _local_times(value)
