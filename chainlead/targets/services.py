"""Workflow verbs of the targets app. Views, the API and the demo call these; none of them moves a
target's status by hand.

Each verb runs in one transaction, checks again that ``by`` may change the target (the page that
offered the button may be stale), and records an audit event a supervisor can read.
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from chainlead.core.audit import record_event
from chainlead.core.context import change_context, current
from chainlead.core.exceptions import ForbiddenAction, ServiceError
from chainlead.targets.choices import TargetStatus
from chainlead.targets.formatting import format_quantity
from chainlead.targets.models import AttackTarget


def next_number(battle_zone) -> int:
    """The next free number on a battle zone's list (1 for an empty list)."""
    if battle_zone is None:
        return 1
    zone_id = getattr(battle_zone, "pk", battle_zone)
    highest = AttackTarget.objects.filter(battle_zone_id=zone_id).aggregate(m=Max("number"))["m"]
    return (highest or 0) + 1


def duplicate_number_message(battle_zone, number, *, exclude_pk=None) -> str | None:
    """A plain message if ``number`` is already taken on the zone's list, else ``None``."""
    if battle_zone is None or number in (None, ""):
        return None
    zone_id = getattr(battle_zone, "pk", battle_zone)
    taken = AttackTarget.objects.filter(battle_zone_id=zone_id, number=number)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    if not taken.exists():
        return None
    return _("该战区的清单里已有第 {} 号目标，下一个可用序号是 {}。").format(number, next_number(zone_id))


@contextmanager
def _acting_as(by):
    """Attribute the writes to ``by`` when no request or job has said who is writing (a shell,
    a test, a script); inside a request the open change context already names the user."""
    ctx = current()
    if ctx.user is None and by is not None:
        with change_context(user=by, request_id=ctx.request_id, source=ctx.source, batch_id=ctx.batch_id):
            yield
    else:
        yield


def _locked_for_change(target: AttackTarget, by) -> AttackTarget:
    """The target, re-read and locked, if ``by`` may change it; otherwise a 403."""
    # restrict() may add DISTINCT, which PostgreSQL refuses with FOR UPDATE: check, then lock.
    if by is None or not AttackTarget.objects.restrict(by, "change").filter(pk=target.pk).exists():
        raise ForbiddenAction(_("您没有修改这条攻坚目标的权限。"))
    fresh = AttackTarget.objects.select_for_update().filter(pk=target.pk).first()
    if fresh is None:
        raise ForbiddenAction(_("您没有修改这条攻坚目标的权限。"))
    return fresh


def _validation_to_service_error(exc: ValidationError) -> ServiceError:
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.error_dict.items()))
        return ServiceError("；".join(m for e in errors for m in e.messages), field=field)
    return ServiceError("；".join(exc.messages))


def _decimal(value, field: str, label: str) -> Decimal:
    if value in (None, ""):
        raise ServiceError(_("请填写{}。").format(label), field=field)
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ServiceError(_("{}“{}”不是有效的数字。").format(label, value), field=field)
    if not number.is_finite() or number < 0:
        raise ServiceError(_("{}不能为负数。").format(label), field=field)
    return number


def complete_target(target: AttackTarget, *, on: datetime.date | None, actual_value, by) -> AttackTarget:
    """Mark a target done on ``on`` with its final ``actual_value``; records "completed"."""
    if not on:
        raise ServiceError(_("请填写完成日期。"), field="done_on")
    if not isinstance(on, datetime.date):
        raise ServiceError(
            _("完成日期“{}”格式不正确，请按 2021-11-30 的格式填写。").format(on), field="done_on"
        )
    value = _decimal(actual_value, "actual_value", _("完成值"))
    with _acting_as(by), transaction.atomic():
        fresh = _locked_for_change(target, by)
        if fresh.status == TargetStatus.DONE:
            raise ServiceError(_("该攻坚目标已于 {} 完成，无需重复标记。").format(fresh.done_on))
        if fresh.status == TargetStatus.CANCELLED:
            raise ServiceError(_("该攻坚目标已取消，请先重新打开再标记完成。"))
        previous = fresh.status
        fresh.status = TargetStatus.DONE
        fresh.done_on = on
        fresh.actual_value = value
        try:
            fresh.full_clean()
        except ValidationError as exc:
            raise _validation_to_service_error(exc)
        fresh.save()
        late = fresh.is_done_late
        record_event(
            fresh,
            "completed",
            by=by,
            message=_("完成值 {} {}，完成日期 {}{}。").format(
                format_quantity(value),
                fresh.goal_unit,
                on.isoformat(),
                _("（超过完成时限）") if late else "",
            ),
            data={
                "done_on": on.isoformat(),
                "actual_value": str(value),
                "previous_status": previous,
                "late": late,
            },
        )
    _refresh(target, fresh)
    return fresh


def reopen_target(target: AttackTarget, *, by, reason: str) -> AttackTarget:
    """Put a done or cancelled target back to 推进中; the reason is required and recorded."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("请填写重新打开的原因。"), field="reason")
    with _acting_as(by), transaction.atomic():
        fresh = _locked_for_change(target, by)
        if fresh.status not in (TargetStatus.DONE, TargetStatus.CANCELLED):
            raise ServiceError(_("只有已完成或已取消的攻坚目标才能重新打开。"))
        previous, previous_done_on = fresh.status, fresh.done_on
        fresh.status = TargetStatus.IN_PROGRESS
        fresh.done_on = None
        try:
            fresh.full_clean()
        except ValidationError as exc:
            raise _validation_to_service_error(exc)
        fresh.save()
        record_event(
            fresh,
            "reopened",
            by=by,
            message=reason,
            data={
                "previous_status": previous,
                "previous_done_on": previous_done_on.isoformat() if previous_done_on else None,
                "reason": reason,
            },
        )
    _refresh(target, fresh)
    return fresh


def _refresh(target: AttackTarget, fresh: AttackTarget) -> None:
    """Let the caller's instance see the saved state (and the new version)."""
    if target is fresh:
        return
    for field in ("status", "done_on", "actual_value", "version", "last_updated"):
        setattr(target, field, getattr(fresh, field))
    target._loaded_version = fresh.version
