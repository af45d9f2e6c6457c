"""Audit events: the log of workflow steps that supervisors read.

Service functions call ``record_event`` inside their transaction; views never do."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from chainlead.core.changelog import _user_name
from chainlead.core.context import current
from chainlead.core.models import AuditEvent


def record_event(
    obj, verb: str, *, by=None, unit=None, message: str = "", data: dict | None = None
) -> AuditEvent:
    """Record that ``by`` (default: the context's user) did ``verb`` to ``obj``.

    ``unit`` is the unit the user acted for; it defaults to the user's own unit."""
    ctx = current()
    user = by if by is not None else ctx.user
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if unit is None and user is not None:
        unit = getattr(user, "unit", None)
    return AuditEvent.objects.create(
        user=user,
        user_name=_user_name(user),
        unit=unit,
        verb=verb,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True)
        if obj is not None
        else None,
        object_id=obj.pk if obj is not None else None,
        object_repr=str(obj)[:200] if obj is not None else "",
        message=message,
        data=data or {},
        request_id=ctx.request_id,
    )
