from .base import ChangeLoggedModel, PrimaryModel, RestrictedManager
from .changelog import CHANGE_ACTION_COLORS, AuditEvent, ChangeAction, ObjectChange
from .jobs import JOB_STATUS_COLORS, JOB_TERMINAL_STATES, Job, JobStatus, PeriodicRun

__all__ = [
    "ChangeLoggedModel",
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
]
