"""Background jobs: one row per run, with status and progress the UI polls."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chainlead.utilities.querysets import RestrictedQuerySet


class JobStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("运行中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")


JOB_STATUS_COLORS = {
    JobStatus.PENDING: "secondary",
    JobStatus.RUNNING: "blue",
    JobStatus.SUCCEEDED: "green",
    JobStatus.FAILED: "red",
}
JOB_TERMINAL_STATES = {JobStatus.SUCCEEDED, JobStatus.FAILED}


class JobQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """A user sees the jobs they started; the office sees all."""
        from chainlead.organization.permissions import get_scope

        if user is None or not user.is_authenticated:
            return self.none()
        if get_scope(user).is_office:
            return self
        return self.filter(user=user)


class Job(models.Model):
    """A background job. Handlers report progress with ``job.progress(done, total, message)``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("任务"), max_length=100)
    label = models.CharField(_("名称"), max_length=200)
    kwargs = models.JSONField(_("参数"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=JobStatus.choices, default=JobStatus.PENDING)
    progress_done = models.PositiveIntegerField(_("已完成"), default=0)
    progress_total = models.PositiveIntegerField(_("总量"), default=0)
    message = models.CharField(_("进度说明"), max_length=300, blank=True)
    result = models.JSONField(_("结果"), null=True, blank=True)
    error = models.TextField(_("错误"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.SET_NULL, null=True, blank=True
    )
    worker = models.CharField(_("执行进程"), max_length=100, blank=True)
    created = models.DateTimeField(_("创建时间"), default=timezone.now, db_index=True)
    started = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished = models.DateTimeField(_("结束时间"), null=True, blank=True)
    heartbeat = models.DateTimeField(_("心跳"), null=True, blank=True)
    #: How many times the queue handed this job to a worker (1 when delivery is exactly once).
    deliveries = models.PositiveIntegerField(_("投递次数"), default=0)
    retry_of = models.ForeignKey(
        "self", verbose_name=_("重新运行自"), on_delete=models.SET_NULL, null=True, blank=True
    )

    objects = JobQuerySet.as_manager()
    STATUS_COLORS = JOB_STATUS_COLORS

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = pgettext_lazy("plural", "后台任务")
        ordering = ["-created"]

    def __str__(self):
        return self.label

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.progress_total:
            return 0
        return min(100, int(self.progress_done * 100 / self.progress_total))

    @property
    def is_finished(self) -> bool:
        return self.status in JOB_TERMINAL_STATES

    def progress(self, done: int, total: int | None = None, message: str | None = None) -> None:
        """Record progress where other processes can read it at once.

        A handler that writes all-or-nothing runs inside one transaction; a progress row written
        on the same connection would stay invisible until the end (and on SQLite a second
        connection cannot write while the first holds the lock). So live progress goes to the job
        queue's own store (huey: a separate SQLite file, or Redis), and the row is updated only
        when no transaction is open."""
        from django.db import connection
        from huey.contrib.djhuey import HUEY

        self.progress_done = done
        if total is not None:
            self.progress_total = total
        if message is not None:
            self.message = str(message)[:300]
        self.heartbeat = timezone.now()
        HUEY.put(
            self._live_key,
            {"done": self.progress_done, "total": self.progress_total, "message": self.message},
        )
        if not connection.in_atomic_block:
            Job.objects.filter(pk=self.pk).update(
                progress_done=self.progress_done,
                progress_total=self.progress_total,
                message=self.message,
                heartbeat=self.heartbeat,
            )

    @property
    def _live_key(self) -> str:
        return f"chainlead.job.{self.pk}"

    def load_live_progress(self) -> Job:
        """Overlay the live progress of a running job (see ``progress``)."""
        if self.status == JobStatus.RUNNING:
            from huey.contrib.djhuey import HUEY

            live = HUEY.get(self._live_key, peek=True)
            if live:
                self.progress_done = live["done"]
                self.progress_total = live["total"]
                self.message = live["message"]
        return self


class PeriodicRun(models.Model):
    """One row per periodic job per scheduled slot, so that with several workers (each running
    huey's scheduler) a cron job runs once: the second worker's insert fails on the unique key."""

    name = models.CharField(max_length=100)
    slot = models.DateTimeField()
    worker = models.CharField(max_length=100, blank=True)
    started = models.DateTimeField(default=timezone.now)
    #: Schedulers that fired this slot (several workers each run huey's scheduler; one runs the job).
    attempts = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("定时任务运行")
        verbose_name_plural = pgettext_lazy("plural", "定时任务运行")
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="periodicrun_once_per_slot")]

    def __str__(self):
        return f"{self.name} @ {self.slot:%Y-%m-%d %H:%M}"
