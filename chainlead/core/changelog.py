"""Writes the change log.

Every ``ChangeLoggedModel`` has a simple-history table. simple-history writes a historical row on
each ``save()`` and ``delete()``; the receiver below turns each one into an ``ObjectChange`` with
the before/after values, the user and the request or job id of the open change context.

Bulk writes (``bulk_create``, ``bulk_update``, ``QuerySet.update``) send no signals, so
``RestrictedQuerySet`` overrides them to call ``log_bulk`` here: no write path escapes the log.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models.fields.files import FieldFile
from django.dispatch import receiver
from django.utils import timezone
from simple_history.signals import post_create_historical_record

from chainlead.core.context import current
from chainlead.core.models.changelog import ChangeAction, ObjectChange

HISTORY_TYPE_ACTION = {"+": ChangeAction.CREATE, "~": ChangeAction.UPDATE, "-": ChangeAction.DELETE}


def _json_value(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    return str(value)


def _snapshot_fields(model) -> list[models.Field]:
    cached = model.__dict__.get("_changelog_fields")
    if cached is None:
        exclude = set(getattr(model, "changelog_exclude", ()))
        cached = [f for f in model._meta.concrete_fields if f.name not in exclude]
        model._changelog_fields = cached
    return cached


def snapshot(instance) -> dict:
    """The object's stored values as JSON-safe data (foreign keys as ids)."""
    return {f.attname: _json_value(getattr(instance, f.attname)) for f in _snapshot_fields(type(instance))}


def _repr(instance) -> str:
    """The object's name for the log; an object whose name reads a parent deleted earlier in the
    same cascade (a chain's roles) is named by its model and id instead of failing the delete."""
    try:
        return str(instance)
    except ObjectDoesNotExist:
        return f"{instance._meta.verbose_name} #{instance.pk}"


def _parent_ref(instance):
    try:
        parent = instance.changelog_parent() if hasattr(instance, "changelog_parent") else None
    except ObjectDoesNotExist:
        # Deleted in the same cascade just before this row (e.g. a chain and its roles): the
        # entry keeps its own before-values; only the link to the vanished parent is lost.
        return None, None
    if parent is None:
        return None, None
    return ContentType.objects.get_for_model(parent, for_concrete_model=True), parent.pk


def _user_name(user) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return getattr(user, "name", "") or user.get_username()


def _base_fields(ctx) -> dict:
    return {
        "user_id": ctx.user_id,
        "user_name": _user_name(ctx.user),
        "request_id": ctx.request_id,
        "source": ctx.source[:60],
        "batch_id": ctx.batch_id or "",
    }


def _previous_snapshot(history_instance) -> dict | None:
    prev = history_instance.prev_record
    if prev is None:
        return None
    model = history_instance.instance_type
    return {f.attname: _json_value(getattr(prev, f.attname, None)) for f in _snapshot_fields(model)}


@receiver(post_create_historical_record)
def log_historical_record(sender, instance, history_instance, history_date, **kwargs):
    """Turn each simple-history row into one ``ObjectChange``."""
    action = HISTORY_TYPE_ACTION[history_instance.history_type]
    if action == ChangeAction.CREATE:
        pre = None
    else:
        pre = loaded_snapshot(instance)
        if pre is None:
            pre = _previous_snapshot(history_instance)
    post = None if action == ChangeAction.DELETE else snapshot(instance)
    related_ct, related_id = _parent_ref(instance)
    ObjectChange.objects.create(
        time=history_date,
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=instance.pk,
        object_repr=_repr(instance)[:200],
        related_content_type=related_ct,
        related_object_id=related_id,
        prechange_data=pre,
        postchange_data=post,
        **_base_fields(current()),
    )
    instance._changelog_loaded = post


def loaded_snapshot(instance) -> dict | None:
    """The values the instance had when it was loaded (or last saved), if known without a query.

    ``ChangeLoggedModel.from_db`` keeps the raw loaded row; it is converted only when a save
    needs it, so reading objects costs nothing extra."""
    loaded = getattr(instance, "_changelog_loaded", None)
    if loaded is not None:
        return loaded
    raw = getattr(instance, "_changelog_raw", None)
    if raw is None:
        return None
    values = dict(zip(*raw, strict=True))
    fields = _snapshot_fields(type(instance))
    if any(f.attname not in values for f in fields):
        return None  # loaded with .only()/.defer(): ask the history table instead
    return {f.attname: _json_value(values[f.attname]) for f in fields}


def log_bulk(model, action: str, objects: Iterable, before: dict | None = None) -> None:
    """Write simple-history rows and ``ObjectChange`` rows for a bulk write of ``objects``.

    ``before`` maps pk → snapshot for updates. Used by ``RestrictedQuerySet``'s bulk methods."""
    objects = [o for o in objects if o.pk is not None]
    if not objects:
        return
    ctx = current()
    now = timezone.now()
    history_type = {ChangeAction.CREATE: "+", ChangeAction.UPDATE: "~", ChangeAction.DELETE: "-"}[action]
    history_model = model.history.model
    tracked = history_model.tracked_fields
    user_id = ctx.user_id
    rows = []
    for obj in objects:
        row = history_model(
            history_date=now,
            history_type=history_type,
            history_user_id=user_id,
            history_change_reason="",
            **{f.attname: getattr(obj, f.attname) for f in tracked},
        )
        rows.append(row)
    history_model.objects.bulk_create(rows, batch_size=1000)
    ct = ContentType.objects.get_for_model(model, for_concrete_model=True)
    base = _base_fields(ctx)
    changes = []
    for obj in objects:
        post = None if action == ChangeAction.DELETE else snapshot(obj)
        pre = (before or {}).get(obj.pk)
        related_ct, related_id = _parent_ref(obj)
        changes.append(
            ObjectChange(
                time=now,
                action=action,
                content_type=ct,
                object_id=obj.pk,
                object_repr=str(obj)[:200],
                related_content_type=related_ct,
                related_object_id=related_id,
                prechange_data=pre,
                postchange_data=post,
                **base,
            )
        )
    ObjectChange.objects.bulk_create(changes, batch_size=1000)
