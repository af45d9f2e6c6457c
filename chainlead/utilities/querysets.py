"""``RestrictedQuerySet``: the queryset of every domain model.

- ``.restrict(user, action)`` keeps only the rows the user may act on, from their role × unit
  grants (``chainlead.organization.permissions``).
- ``bulk_create``, ``bulk_update`` and ``update`` are logged like ``save()``; Django sends no
  signals for them, so without this a bulk write would escape the change log.
"""

from __future__ import annotations

from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone


def _is_logged(model) -> bool:
    from chainlead.core.models.base import ChangeLoggedModel

    return issubclass(model, ChangeLoggedModel) and not model._meta.abstract


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        """Rows ``user`` may ``action`` (view, add, change, delete, submit, approve, manage)."""
        from chainlead.organization.permissions import get_scope

        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        units = get_scope(user).units_for(self.model, action)
        if units is None:  # unrestricted
            return self
        paths = getattr(self.model, "unit_paths", ())
        if not units or not paths:
            return self.none()
        q = Q()
        for path in paths:
            q |= Q(**{f"{path}__in": units})
        qs = self.filter(q)
        if any("__" in p for p in paths) or len(paths) > 1:
            qs = qs.distinct()
        return qs

    # --- logged bulk writes -------------------------------------------------------------------------
    def bulk_create(self, objs, *args, **kwargs):
        if not _is_logged(self.model):
            return super().bulk_create(objs, *args, **kwargs)
        from chainlead.core.changelog import log_bulk

        with transaction.atomic(using=self.db, savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            log_bulk(self.model, "create", created)
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        if not _is_logged(self.model):
            return super().bulk_update(objs, fields, *args, **kwargs)
        from chainlead.core.changelog import log_bulk, snapshot

        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            before = {o.pk: snapshot(o) for o in self.model._base_manager.filter(pk__in=[o.pk for o in objs])}
            now = timezone.now()
            for obj in objs:
                obj.last_updated = now
                obj.version = (obj.version or 0) + 1
            fields = [*fields, "last_updated", "version"]
            # A plain QuerySet does the write: Django's bulk_update calls update() internally,
            # which would otherwise be logged a second time.
            rows = models.QuerySet(self.model, using=self.db).bulk_update(objs, fields, *args, **kwargs)
            log_bulk(self.model, "update", objs, before=before)
        return rows

    def update(self, **kwargs):
        if not _is_logged(self.model):
            return super().update(**kwargs)
        from chainlead.core.changelog import log_bulk, snapshot

        with transaction.atomic(using=self.db, savepoint=False):
            pks = list(self.values_list("pk", flat=True))
            if not pks:
                return 0
            base = self.model._base_manager.filter(pk__in=pks)
            before = {o.pk: snapshot(o) for o in base}
            kwargs.setdefault("last_updated", timezone.now())
            kwargs.setdefault("version", F("version") + 1)
            rows = models.QuerySet(self.model, using=self.db).filter(pk__in=pks).update(**kwargs)
            log_bulk(self.model, "update", list(base.all()), before=before)
        return rows
