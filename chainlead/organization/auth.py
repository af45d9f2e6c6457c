"""Sign-in with lockout (等保2.0: 登录失败处理).

After ``LOGIN_MAX_FAILURES`` wrong passwords in a row an account is locked for
``LOGIN_LOCK_MINUTES``. The count is kept on the user row, so it holds across processes.
Failures, lockouts and successful sign-ins are audit events.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import models
from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone

from chainlead.core.audit import record_event


class LockoutModelBackend(ModelBackend):
    """Django's backend, refusing accounts that are locked."""

    def get_user(self, user_id):
        # Every page shows the user's unit in the navbar: load it with the user (one query, not two).
        User = get_user_model()
        user = User._default_manager.select_related("unit").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def user_can_authenticate(self, user):
        if getattr(user, "is_locked", False):
            return False
        return super().user_can_authenticate(user)


def find_user(username: str | None):
    if not username:
        return None
    User = get_user_model()
    return User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()


def minutes_left(user) -> int:
    """Whole minutes until the lock ends, at least 1."""
    seconds = (user.locked_until - timezone.now()).total_seconds()
    return max(1, int(seconds + 59) // 60)


@receiver(user_login_failed)
def count_failure(sender, credentials, request=None, **kwargs):
    user = find_user(credentials.get("username"))
    if user is None or user.is_locked:
        return
    # A plain QuerySet: sign-in bookkeeping is audited as events, not versioned as an edit.
    models.QuerySet(type(user)).filter(pk=user.pk).update(failed_login_count=F("failed_login_count") + 1)
    user.refresh_from_db(fields=["failed_login_count"])
    record_event(user, "login_failed", by=None, message=str(user.failed_login_count))
    if user.failed_login_count >= settings.LOGIN_MAX_FAILURES:
        user.locked_until = timezone.now() + timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
        user.failed_login_count = 0
        user.save(update_fields=["locked_until", "failed_login_count"])
        record_event(user, "locked", by=None, message=str(settings.LOGIN_LOCK_MINUTES))


@receiver(user_logged_in)
def reset_failures(sender, request, user, **kwargs):
    if user.failed_login_count or user.locked_until:
        user.failed_login_count = 0
        user.locked_until = None
        user.save(update_fields=["failed_login_count", "locked_until"])
