"""Security events into the audit log: sign-ins, failed sign-ins, sign-outs (等保2.0 安全审计)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from chainlead.core.audit import record_event


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    record_event(user, "login", by=user, message=request.META.get("REMOTE_ADDR", ""))


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        record_event(user, "logout", by=user)
