from .base import ChangeLoggedModel, PrimaryModel, RestrictedManager
from .calendar import HolidayOverride
from .changelog import CHANGE_ACTION_COLORS, AuditEvent, ChangeAction, ObjectChange
from .jobs import JOB_STATUS_COLORS, JOB_TERMINAL_STATES, Job, JobStatus, PeriodicRun
from .notifications import Notification, NotificationLevel, UnitWebhook, WebhookKind

__all__ = [
    "ChangeLoggedModel",
    "HolidayOverride",
    "PrimaryModel",
    "RestrictedManager",
    "AuditEvent",
    "ChangeAction",
    "CHANGE_ACTION_COLORS",
    "ObjectChange",
    "Job",
    "JobStatus",
    "JOB_STATUS_COLORS",
    "JOB_TERMINAL_STATES",
    "PeriodicRun",
    "Notification",
    "NotificationLevel",
    "UnitWebhook",
    "WebhookKind",
]
