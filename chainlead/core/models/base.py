"""Abstract bases every domain model picks from.

- ``ChangeLoggedModel``: ``created``/``last_updated``, a ``version`` for optimistic locking, a
  simple-history table (so the object can be shown "as of" any moment) and one ``ObjectChange``
  row per create, update or delete. Its manager's queryset is ``RestrictedQuerySet``, which adds
  ``.restrict(user, action)`` and logs bulk writes too.
- ``PrimaryModel``: a ``ChangeLoggedModel`` with a free-text ``comments`` field, for the models
  people edit directly.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chainlead.core.context import current
from chainlead.core.exceptions import ConflictError
from chainlead.utilities.querysets import RestrictedQuerySet


def context_user(instance=None, request=None, **kwargs):
    """simple-history's user getter: the user of the open change context."""
    user = current().user
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return None


class RestrictedManager(models.Manager.from_queryset(RestrictedQuerySet)):
    """Default manager of every domain model."""


class ChangeLoggedModel(models.Model):
    """A model whose every write is logged and which is protected against lost updates.

    Subclasses declare ``unit_paths``: the lookups from the model to the ``Unit`` that owns it
    (e.g. ``("responsible_unit",)``). ``.restrict(user, action)`` filters on them. A model with no
    path is visible to every signed-in user and writable by the office only.
    """

    created = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_updated = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    history = HistoricalRecords(inherit=True, get_user=context_user)
    objects = RestrictedManager()

    #: Lookups from this model to the owning Unit, for ``restrict()``.
    unit_paths: tuple[str, ...] = ()
    #: Optional per-action role limits, e.g. ``{"change": {Role.OFFICE_ADMIN}}``.
    permission_roles: dict | None = None
    #: Fields left out of change-log snapshots (secrets).
    changelog_exclude: tuple[str, ...] = ()

    class Meta:
        abstract = True

    # --- optimistic locking ------------------------------------------------------------------------
    @classmethod
    def from_db(cls, db, field_names, values, *, fetch_mode=None):
        instance = super().from_db(db, field_names, values, fetch_mode=fetch_mode)
        instance._loaded_version = getattr(instance, "version", None)
        instance._changelog_raw = (field_names, values)  # the change log's "before", converted lazily
        return instance

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        """Reloading the row also reloads the version it was read at: a later save compares
        against what is stored now, not what was read before the refresh."""
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        if fields is None or "version" in fields:
            self._loaded_version = self.version

    def expect_version(self, version: int | None) -> None:
        """Declare the version the user's form or API request was based on."""
        if version not in (None, ""):
            self._loaded_version = int(version)
            # Kept apart from the version read: workflow verbs (submit, approve…) compare only a
            # version the user's page or API call declared, until the next successful save.
            self._declared_version = int(version)

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not self._state.adding and self.pk is not None:
            expected = getattr(self, "_loaded_version", None)
            self._expected_version = expected
            if expected is not None:
                self.version = expected + 1
                if update_fields is not None:
                    kwargs["update_fields"] = {*update_fields, "version", "last_updated"}
        try:
            super().save(*args, **kwargs)
        finally:
            self._expected_version = None
        self._loaded_version = self.version
        self._declared_version = None

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update, returning_fields):
        expected = getattr(self, "_expected_version", None)
        if expected is None:
            return super()._do_update(
                base_qs, using, pk_val, values, update_fields, forced_update, returning_fields
            )
        updated = super()._do_update(
            base_qs.filter(version=expected),
            using,
            pk_val,
            values,
            update_fields,
            forced_update,
            returning_fields,
        )
        if not updated and base_qs.filter(pk=pk_val).exists():
            raise ConflictError(self)
        return updated

    # --- change log hooks ---------------------------------------------------------------------------
    def changelog_parent(self):
        """The object whose history tab should also show this object's changes (e.g. a project
        for its evidence files). ``None`` for top-level objects."""
        return None


class PrimaryModel(ChangeLoggedModel):
    """A change-logged model that people edit directly; carries free-text remarks."""

    comments = models.TextField(_("备注"), blank=True)

    class Meta:
        abstract = True
