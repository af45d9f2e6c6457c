"""Platform pages: home, the change log, object history and "as of", audit events, jobs."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chainlead.core.filtersets import (
    AuditEventFilterSet,
    HolidayOverrideFilterSet,
    JobFilterSet,
    ObjectChangeFilterSet,
    UnitWebhookFilterSet,
)
from chainlead.core.forms import HolidayOverrideForm, UnitWebhookForm
from chainlead.core.jobs import retry_job
from chainlead.core.models import AuditEvent, HolidayOverride, Job, JobStatus, ObjectChange, UnitWebhook
from chainlead.core.tables import (
    AuditEventTable,
    HolidayOverrideTable,
    JobTable,
    ObjectChangeTable,
    UnitWebhookTable,
)
from chainlead.organization.permissions import get_scope
from chainlead.utilities import views as generic
from chainlead.utilities.views import ObjectListView


@login_required
def home(request):
    """The signed-in user's start page: who they are, where they act, what is running."""
    scope = get_scope(request.user)
    grants = request.user.grants.select_related("unit").order_by("unit__path")
    jobs = Job.objects.restrict(request.user).order_by("-created")[:5]
    events = AuditEvent.objects.filter(user=request.user).order_by("-time")[:8]
    from chainlead.utilities.menu import menu_for

    return render(
        request,
        "core/home.html",
        {"grants": grants, "jobs": jobs, "events": events, "scope": scope, "menu": menu_for(request.user)},
    )


def csrf_failure(request, reason=""):
    return render(request, "csrf_failure.html", status=403)


class ObjectChangeListView(ObjectListView):
    """The global change log. The office and the leaders see all of it; others see the changes
    made by themselves."""

    queryset = ObjectChange.objects.select_related("content_type", "user")
    filterset_class = ObjectChangeFilterSet
    table_class = ObjectChangeTable
    template_name = "core/objectchange_list.html"
    bulk_actions = ()

    def require_model_permission(self, action):
        if action != "view":
            raise PermissionDenied(_("变更记录不能修改或删除。"))

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if get_scope(request.user).is_oversight else qs.filter(user=request.user)


def _visible_object(request, content_type_id: int, object_id: int):
    """The live object if the user may view it; for deleted objects, the office/leaders only."""
    ct = get_object_or_404(ContentType, pk=content_type_id)
    model = ct.model_class()
    if model is None or not hasattr(model._default_manager, "restrict"):
        raise Http404
    obj = model._default_manager.restrict(request.user, "view").filter(pk=object_id).first()
    if obj is None:
        exists = model._default_manager.filter(pk=object_id).exists()
        if exists or not get_scope(request.user).is_oversight:
            raise Http404
    return ct, model, obj


@login_required
def object_history(request, content_type_id: int, object_id: int):
    """An object's history tab: every change to it (and to its children), newest first, and the
    object "as of" a chosen moment, rebuilt from its history table."""
    ct, model, obj = _visible_object(request, content_type_id, object_id)
    changes = (
        ObjectChange.objects.filter(
            Q(content_type=ct, object_id=object_id) | Q(related_content_type=ct, related_object_id=object_id)
        )
        .select_related("content_type", "user")
        .order_by("-time", "-pk")[:200]
    )
    as_of_text = request.GET.get("as_of", "")
    as_of = None
    as_of_rows = None
    as_of_error = ""
    if as_of_text:
        as_of = parse_moment(as_of_text)
        if as_of is None:
            as_of_error = _(
                "“{}”不是有效的日期时间，请按 2021-11-30 或 2021-11-30 18:00 的格式填写。"
            ).format(as_of_text)
        else:
            if timezone.is_naive(as_of):
                as_of = timezone.make_aware(as_of)
            record = (
                model.history.filter(id=object_id, history_date__lte=as_of)
                .order_by("-history_date", "-history_id")
                .first()
            )
            if record is None or record.history_type == "-":
                as_of_rows = []
            else:
                as_of_rows = historical_rows(model, record)
    template = "core/inc/object_history.html" if request.GET.get("embed") else "core/object_history.html"
    return render(
        request,
        template,
        {
            "object": obj,
            "object_id": object_id,
            "content_type": ct,
            "model_name": model._meta.verbose_name,
            "changes": changes,
            "as_of": as_of,
            "as_of_text": as_of_text,
            "as_of_rows": as_of_rows,
            "as_of_error": as_of_error,
        },
    )


def parse_moment(text: str):
    """'2021-11-30T18:00', '2021-11-30 18:00' or '2021-11-30' (end of that day); None if invalid."""
    text = text.strip().replace("T", " ")
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            moment = datetime.datetime.combine(day, datetime.time(23, 59, 59)) if day else None
    except ValueError:
        return None
    return moment


def historical_rows(model, record) -> list[tuple[str, str]]:
    """(label, display value) of a historical record, foreign keys shown by name."""
    rows = []
    exclude = set(getattr(model, "changelog_exclude", ())) | {"version"}
    for field in model._meta.concrete_fields:
        if field.name in exclude:
            continue
        value = getattr(record, field.attname, None)
        if field.is_relation and value is not None:
            related = field.related_model._default_manager.filter(pk=value).first()
            display = str(related) if related is not None else f"#{value}"
        elif field.choices:
            display = dict(field.flatchoices).get(value, value)
        else:
            display = value
        rows.append((str(field.verbose_name), "" if display is None else display))
    return rows


@login_required
def objectchange_detail(request, pk: int):
    change = get_object_or_404(ObjectChange.objects.select_related("content_type", "user"), pk=pk)
    if not get_scope(request.user).is_oversight and change.user_id != request.user.pk:
        _visible_object(request, change.content_type_id, change.object_id)
    model = change.content_type.model_class()
    labels = {}
    if model is not None:
        labels = {f.attname: str(f.verbose_name) for f in model._meta.concrete_fields}
    diff = [(labels.get(k, k), before, after) for k, before, after in change.diff()]
    related = (
        ObjectChange.objects.filter(request_id=change.request_id)
        .exclude(pk=change.pk)
        .select_related("content_type")[:50]
    )
    return render(request, "core/objectchange.html", {"change": change, "diff": diff, "related": related})


class AuditEventListView(ObjectListView):
    queryset = AuditEvent.objects.select_related("user", "unit", "content_type")
    filterset_class = AuditEventFilterSet
    table_class = AuditEventTable
    template_name = "core/auditevent_list.html"
    bulk_actions = ()

    def require_model_permission(self, action):
        if action != "view":
            raise PermissionDenied(_("审计事件不能修改或删除。"))

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if get_scope(request.user).is_oversight else qs.filter(user=request.user)


class JobListView(ObjectListView):
    queryset = Job.objects.select_related("user")
    filterset_class = JobFilterSet
    table_class = JobTable
    template_name = "core/job_list.html"
    bulk_actions = ()

    def get_extra_context(self, request):
        from chainlead.core.models import PeriodicRun

        beat = PeriodicRun.objects.filter(name="core.heartbeat").order_by("-started").first()
        age = (timezone.now() - beat.started).total_seconds() if beat else None
        return {"heartbeat": beat, "heartbeat_age": int(age) if age is not None else None,
                "worker_alive": age is not None and age < 180}

    def require_model_permission(self, action):
        if action != "view":
            raise PermissionDenied


@login_required
def job_detail(request, pk):
    job = get_object_or_404(Job.objects.restrict(request.user), pk=pk).load_live_progress()
    return render(request, "core/job.html", {"job": job})


@login_required
def job_progress(request, pk):
    """The progress bar partial that polls itself until the job ends."""
    job = get_object_or_404(Job.objects.restrict(request.user), pk=pk).load_live_progress()
    return render(request, "chainlead/inc/job_progress.html", {"job": job})


@login_required
def job_file(request, pk):
    """Download the file a job produced (only its owner, or the office)."""
    from django.http import FileResponse

    from chainlead.core.exports import export_path

    job = get_object_or_404(Job.objects.restrict(request.user), pk=pk, status=JobStatus.SUCCEEDED)
    path = export_path(job)
    if not path.exists():
        raise Http404(_("文件已过期或已被清理，请重新导出。"))
    filename = "{}-{}.xlsx".format(job.label, timezone.localtime(job.created).strftime("%Y%m%d%H%M"))
    return FileResponse(path.open("rb"), as_attachment=True, filename=filename)


@login_required
@require_POST
def changelog_export(request):
    """Export the filtered change log as a background job (it can be very long)."""
    from chainlead.core.jobs import enqueue_job

    query = request.POST.get("query", "")
    job = enqueue_job("core.export_changelog", label=_("导出变更记录"), by=request.user, query=query)
    return redirect("core:job_detail", pk=job.pk)


@login_required
@require_POST
def job_retry(request, pk):
    job = get_object_or_404(Job.objects.restrict(request.user), pk=pk)
    if job.status != JobStatus.FAILED:
        raise PermissionDenied(_("只有失败的任务可以重新运行。"))
    new = retry_job(job, by=request.user)
    return redirect("core:job_detail", pk=new.pk)


# --- notifications ---------------------------------------------------------------------------------
@login_required
def notification_list(request):
    from django.core.paginator import Paginator

    from chainlead.core.models import Notification

    qs = Notification.objects.restrict(request.user)
    if request.GET.get("unread"):
        qs = qs.unread()
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request, "core/notification_list.html", {"page": page, "unread_only": bool(request.GET.get("unread"))}
    )


@login_required
@require_POST
def notification_read(request, pk=None):
    """Mark one notification (and go to its link) or all of them as read."""
    from chainlead.core.models import Notification

    qs = Notification.objects.restrict(request.user).unread()
    if pk is not None:
        note = get_object_or_404(Notification.objects.restrict(request.user), pk=pk)
        qs.filter(pk=pk).update(read_at=timezone.now())
        return redirect(note.url or "core:notification_list")
    qs.update(read_at=timezone.now())
    return redirect("core:notification_list")


class UnitWebhookListView(ObjectListView):
    queryset = UnitWebhook.objects.select_related("unit")
    filterset_class = UnitWebhookFilterSet
    table_class = UnitWebhookTable


class UnitWebhookView(generic.ObjectDetailView):
    queryset = UnitWebhook.objects.select_related("unit")


class UnitWebhookEditView(generic.ObjectEditView):
    queryset = UnitWebhook.objects.all()
    form_class = UnitWebhookForm


class UnitWebhookDeleteView(generic.ObjectDeleteView):
    queryset = UnitWebhook.objects.all()


class UnitWebhookBulkDeleteView(generic.BulkDeleteView):
    queryset = UnitWebhook.objects.all()


@login_required
@require_POST
def unitwebhook_test(request, pk):
    """Send a test message to a robot now and say plainly whether it arrived."""
    from chainlead.core.notifications import post_webhook

    hook = get_object_or_404(UnitWebhook.objects.restrict(request.user, "change"), pk=pk)
    try:
        status = post_webhook(hook, _("【chainlead】测试消息：{} 的提醒将发送到这个群。").format(hook.unit))
    except OSError as exc:
        messages.error(request, _("发送失败：{}。请检查地址是否正确、服务器能否访问该地址。").format(exc))
    else:
        messages.success(request, _("测试消息已发送（HTTP {}）。").format(status))
    return redirect(hook.get_absolute_url())


class HolidayOverrideListView(ObjectListView):
    queryset = HolidayOverride.objects.all()
    filterset_class = HolidayOverrideFilterSet
    table_class = HolidayOverrideTable


class HolidayOverrideView(generic.ObjectDetailView):
    queryset = HolidayOverride.objects.all()


class HolidayOverrideEditView(generic.ObjectEditView):
    queryset = HolidayOverride.objects.all()
    form_class = HolidayOverrideForm


class HolidayOverrideDeleteView(generic.ObjectDeleteView):
    queryset = HolidayOverride.objects.all()


class HolidayOverrideBulkDeleteView(generic.BulkDeleteView):
    queryset = HolidayOverride.objects.all()
