"""Test helpers shared by every app: a small organisation, users per scope, change-log and
query-count assertions."""

from __future__ import annotations

from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chainlead.core.models import ObjectChange
from chainlead.organization.choices import Role, UnitKind
from chainlead.organization.models import RoleGrant, Unit, User

PASSWORD = "Test#Pass2026"


def make_user(username: str, *, unit=None, roles=(), name=None, **extra) -> User:
    """A user with ``roles`` given as (Role, unit) pairs."""
    user = User(username=username, name=name or username, unit=unit, **extra)
    user.set_password(PASSWORD)
    user.save()
    for role, grant_unit in roles:
        RoleGrant.objects.create(user=user, role=role, unit=grant_unit)
    return user


class Org:
    """Two departments and an office, with the four kinds of test users:

    - ``anonymous``: nobody signed in;
    - ``nobody``: signed in, no role anywhere (→ 403);
    - ``outsider``: ``role`` in unit B (objects of A are out of scope → 404);
    - ``insider``: ``role`` in unit A (→ allowed);
    - ``office``: 办公室管理员 (sees and does everything).
    """

    def __init__(self, role: str = Role.UNIT_HEAD):
        self.office_unit = Unit.objects.create(name="领导小组办公室", kind=UnitKind.OFFICE)
        self.unit_a = Unit.objects.create(name="甲局", kind=UnitKind.DEPARTMENT)
        self.unit_b = Unit.objects.create(name="乙局", kind=UnitKind.DEPARTMENT)
        self.nobody = make_user("nobody", unit=self.unit_a)
        self.outsider = make_user("outsider", unit=self.unit_b, roles=[(role, self.unit_b)])
        self.insider = make_user("insider", unit=self.unit_a, roles=[(role, self.unit_a)])
        self.viewer_a = make_user("viewer_a", unit=self.unit_a, roles=[(Role.VIEWER, self.unit_a)])
        self.office = make_user(
            "office", unit=self.office_unit, roles=[(Role.OFFICE_ADMIN, self.office_unit)]
        )


def changes_for(obj, action: str | None = None):
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    qs = ObjectChange.objects.filter(content_type=ct, object_id=obj.pk)
    return qs.filter(action=action) if action else qs


def assert_logged(
    obj_or_model, pk=None, *, action: str, user=None, source: str | None = None
) -> ObjectChange:
    """Assert that the change log holds an ``action`` entry for the object, by ``user`` from ``source``."""
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    pk = pk if pk is not None else obj_or_model.pk
    ct = ContentType.objects.get_for_model(model, for_concrete_model=True)
    qs = ObjectChange.objects.filter(content_type=ct, object_id=pk, action=action)
    if user is not None:
        qs = qs.filter(user=user)
    if source is not None:
        qs = qs.filter(source__startswith=source)
    change = qs.order_by("-time", "-pk").first()
    assert change is not None, (
        f"no '{action}' change-log entry for {model.__name__} #{pk}"
        + (f" by {user}" if user else "")
        + (f" from {source}" if source else "")
        + f"; entries: {list(ObjectChange.objects.filter(content_type=ct, object_id=pk).values_list('action', 'user_name', 'source'))}"
    )
    return change


@contextmanager
def max_queries(budget: int):
    """Fail if the block runs more than ``budget`` SQL queries."""
    with CaptureQueriesContext(connection) as ctx:
        yield ctx
    count = len(ctx.captured_queries)
    if count > budget:
        lines = "\n".join(f"  {q['sql'][:200]}" for q in ctx.captured_queries)
        raise AssertionError(f"{count} queries run, budget is {budget}:\n{lines}")


def count_queries(func) -> int:
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)
