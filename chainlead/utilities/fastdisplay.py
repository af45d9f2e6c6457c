"""A cached ``get_FOO_display()``.

Django's ``Model._get_FIELD_display`` builds a dict of every choice, hashing each lazily translated
label, on every call. A list page of 50 rows with four choice columns made ~1,300 such hashes, each a
gettext lookup: about a tenth of the page's time. The labels of a field with fixed choices depend only
on the language, so they are built once per (field, language).

Installed from ``chainlead.core.apps`` (imported before any model class is created, since model
classes bind ``_get_FIELD_display`` when they are defined). Fields with callable choices keep Django's
own code.
"""

from __future__ import annotations

from django.db.models import Model
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language

_original = Model._get_FIELD_display
_labels: dict = {}
_MISSING = object()


def _get_FIELD_display(self, field):
    if not isinstance(field.choices, (list, tuple)):
        return _original(self, field)
    key = (field, get_language())
    labels = _labels.get(key)
    if labels is None:
        labels = _labels[key] = {
            make_hashable(k): force_str(v, strings_only=True) for k, v in field.flatchoices
        }
    value = getattr(self, field.attname)
    try:
        label = labels.get(make_hashable(value), _MISSING)
    except TypeError:
        return _original(self, field)
    return force_str(value, strings_only=True) if label is _MISSING else label


def install() -> None:
    if Model._get_FIELD_display is not _get_FIELD_display:
        Model._get_FIELD_display = _get_FIELD_display
