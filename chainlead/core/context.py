"""The change context: who is writing, from where, under which request or job id.

A middleware opens one per request, ``chainlead.cli`` one per management command, the job runner
one per job, and an import one per batch. The change log reads it, so a write made anywhere is
attributed without passing a user through every function.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True)
class ChangeContext:
    """Who is writing and under which id. ``source`` is web, api, admin, command:<name>, job or import."""

    user: Any = None
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)
    source: str = "system"
    batch_id: str = ""

    @property
    def user_id(self):
        user = self.user
        if user is None or not getattr(user, "is_authenticated", False):
            return None
        return user.pk


_current: ContextVar[ChangeContext | None] = ContextVar("chainlead_change_context", default=None)


def current() -> ChangeContext:
    """The open change context, or a fresh anonymous ``system`` one (e.g. in a shell)."""
    ctx = _current.get()
    if ctx is None:
        ctx = ChangeContext()
        _current.set(ctx)
    return ctx


@contextmanager
def change_context(**kwargs):
    """Open a change context. Keys not given are inherited from the enclosing context, except the
    request id, which is new unless given (a job gets its own id, not its caller's)."""
    outer = _current.get()
    if outer is not None:
        kwargs.setdefault("user", outer.user)
        kwargs.setdefault("batch_id", outer.batch_id)
    ctx = ChangeContext(**kwargs)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def set_user(user) -> None:
    """Attach the authenticated user to the open context (the login happens mid-request)."""
    _current.set(replace(current(), user=user))
