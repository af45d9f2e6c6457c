"""The dispatch API. Workflow steps are POST actions on the objects; each calls one service verb,
which checks the permission again (403 with a plain message when refused)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from chainlead.core.exceptions import ServiceError
from chainlead.dispatch import filtersets, services
from chainlead.dispatch.api import serializers
from chainlead.dispatch.choices import ReportStatus
from chainlead.dispatch.models import (
    Decision,
    DispatchMeeting,
    FactorRequest,
    Period,
    Problem,
    ProblemCoHandler,
    ProblemStep,
    ProgressReport,
    ReportingCycle,
    ReportPhoto,
    TotalInvestmentChange,
)
from chainlead.utilities.api import BaseViewSet


class ReportingCycleViewSet(BaseViewSet):
    queryset = ReportingCycle.objects.all()
    serializer_class = serializers.ReportingCycleSerializer
    filterset_class = filtersets.ReportingCycleFilterSet


class PeriodViewSet(BaseViewSet):
    queryset = Period.objects.select_related("cycle")
    serializer_class = serializers.PeriodSerializer
    filterset_class = filtersets.PeriodFilterSet

    @extend_schema(request=None, responses=serializers.PeriodSerializer)
    @action(detail=True, methods=["post"], permission_action="view")
    def close(self, request, pk=None):
        """Close the period: no new or changed reports; approved reports are locked."""
        period = services.close_period(self.get_object(), by=request.user)
        return Response(serializers.PeriodSerializer(period, context={"request": request}).data)


class ProgressReportViewSet(BaseViewSet):
    queryset = ProgressReport.objects.select_related("period__cycle", "project", "target").prefetch_related(
        Prefetch("photos", queryset=ReportPhoto.objects.order_by("captured_at", "pk"))
    )
    serializer_class = serializers.ProgressReportSerializer
    filterset_class = filtersets.ProgressReportFilterSet

    def _respond(self, report):
        report = self.get_queryset().get(pk=report.pk)
        return Response(serializers.ProgressReportSerializer(report, context={"request": self.request}).data)

    @extend_schema(request=None, responses=serializers.ProgressReportSerializer)
    @action(detail=True, methods=["post"], permission_action="submit")
    def submit(self, request, pk=None):
        """draft/returned → submitted (late if after the period's deadline)."""
        return self._respond(services.submit_report(self.apply_if_match(self.get_object()), by=request.user))

    @extend_schema(request=serializers.ApproveSerializer, responses=serializers.ProgressReportSerializer)
    @action(detail=True, methods=["post"], permission_action="approve")
    def approve(self, request, pk=None):
        body = serializers.ApproveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = services.approve_report(
            self.apply_if_match(self.get_object()), by=request.user, comment=body.validated_data.get("comment", "")
        )
        return self._respond(report)

    @extend_schema(request=serializers.ReturnSerializer, responses=serializers.ProgressReportSerializer)
    @action(detail=True, methods=["post"], url_path="return", permission_action="approve")
    def return_(self, request, pk=None):
        """submitted → returned, with the reason."""
        body = serializers.ReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(
            services.return_report(
                self.apply_if_match(self.get_object()), by=request.user, reason=body.validated_data["reason"]
            )
        )

    @extend_schema(request=serializers.PhotoUploadSerializer, responses=serializers.ProgressReportSerializer)
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[MultiPartParser, FormParser],
        permission_action="change",
    )
    def photos(self, request, pk=None):
        """Attach site photos (multipart ``photos``; ``taken_at`` for photos without EXIF time)."""
        report = self.apply_if_match(self.get_object())
        body = serializers.PhotoUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        taken = body.validated_data.get("taken_at")
        uploads = [services.PhotoUpload(file=f, taken_at=taken) for f in request.FILES.getlist("photos")]
        services.save_report(report, by=request.user, photos=uploads)
        return self._respond(report)

    def perform_destroy(self, instance):
        if instance.status != ReportStatus.DRAFT:
            raise ServiceError(_("只能删除草稿；已提交过的报告会留作记录。"))
        super().perform_destroy(instance)


class ReportPhotoViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only; photos are attached through …/reports/{id}/photos/ and downloaded from ``url``."""

    permission_classes = [permissions.IsAuthenticated]
    queryset = ReportPhoto.objects.all()
    serializer_class = serializers.ReportPhotoSerializer

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, "view")


class TotalInvestmentChangeViewSet(BaseViewSet):
    queryset = TotalInvestmentChange.objects.select_related("project")
    serializer_class = serializers.TotalInvestmentChangeSerializer
    filterset_class = filtersets.TotalInvestmentChangeFilterSet


class ProblemViewSet(BaseViewSet):
    queryset = Problem.objects.select_related("raised_by_unit", "lead_unit").prefetch_related(
        Prefetch("cohandlers", queryset=ProblemCoHandler.objects.select_related("unit"))
    )
    serializer_class = serializers.ProblemSerializer
    filterset_class = filtersets.ProblemFilterSet

    def get_queryset(self):
        # The co-handler path joins a many-to-many: keep rows distinct for the filters too.
        return super().get_queryset().distinct()

    def _respond(self, problem):
        problem = self.get_queryset().get(pk=problem.pk)
        return Response(serializers.ProblemSerializer(problem, context={"request": self.request}).data)

    def _body(self, serializer_class):
        body = serializer_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data

    @extend_schema(request=serializers.AssignSerializer, responses=serializers.ProblemSerializer)
    @action(detail=True, methods=["post"], permission_action="view")
    def assign(self, request, pk=None):
        """Route to a lead department and co-handling departments (the office)."""
        data = self._body(serializers.AssignSerializer)
        problem = services.assign_problem(
            self.get_object(),
            lead_unit=data["lead_unit"],
            cohandlers=data.get("cohandlers", []),
            by=request.user,
            note=data.get("note", ""),
        )
        return self._respond(problem)

    @extend_schema(request=serializers.NoteSerializer, responses=serializers.ProblemSerializer)
    @action(detail=True, methods=["post"], permission_action="view")
    def start(self, request, pk=None):
        data = self._body(serializers.NoteSerializer)
        return self._respond(
            services.start_problem(self.get_object(), by=request.user, note=data.get("note", ""))
        )

    @extend_schema(request=serializers.ReplySerializer, responses=serializers.ProblemSerializer)
    @action(detail=True, methods=["post"], permission_action="view")
    def reply(self, request, pk=None):
        data = self._body(serializers.ReplySerializer)
        problem = self.get_object()
        services.reply_problem(problem, unit=data["unit"], reply=data["reply"], by=request.user)
        return self._respond(problem)

    @extend_schema(request=serializers.ResolveSerializer, responses=serializers.ProblemSerializer)
    @action(detail=True, methods=["post"], permission_action="view")
    def resolve(self, request, pk=None):
        data = self._body(serializers.ResolveSerializer)
        return self._respond(
            services.resolve_problem(self.get_object(), resolution=data["resolution"], by=request.user)
        )

    @extend_schema(request=serializers.NoteSerializer, responses=serializers.ProblemSerializer)
    @action(detail=True, methods=["post"], permission_action="view")
    def confirm(self, request, pk=None):
        data = self._body(serializers.NoteSerializer)
        return self._respond(
            services.confirm_problem(self.get_object(), by=request.user, note=data.get("note", ""))
        )

    @extend_schema(request=serializers.ReasonSerializer, responses=serializers.ProblemSerializer)
    @action(detail=True, methods=["post"], permission_action="view")
    def reopen(self, request, pk=None):
        data = self._body(serializers.ReasonSerializer)
        return self._respond(
            services.reopen_problem(self.get_object(), reason=data.get("reason", ""), by=request.user)
        )

    @extend_schema(request=serializers.ReasonSerializer, responses=serializers.ProblemSerializer)
    @action(detail=True, methods=["post"], permission_action="view")
    def escalate(self, request, pk=None):
        data = self._body(serializers.ReasonSerializer)
        return self._respond(
            services.escalate_problem(self.get_object(), by=request.user, reason=data.get("reason", ""))
        )

    @extend_schema(request=serializers.NoteSerializer, responses=serializers.ProblemSerializer)
    @action(detail=True, methods=["post"], permission_action="view")
    def comment(self, request, pk=None):
        data = self._body(serializers.NoteSerializer)
        problem = self.get_object()
        services.comment_problem(problem, note=data.get("note", ""), by=request.user)
        return self._respond(problem)


class ProblemStepViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only: the steps are written by the problem's actions."""

    permission_classes = [permissions.IsAuthenticated]
    queryset = ProblemStep.objects.all()
    serializer_class = serializers.ProblemStepSerializer

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, "view")


class FactorRequestViewSet(BaseViewSet):
    queryset = FactorRequest.objects.select_related("project", "department")
    serializer_class = serializers.FactorRequestSerializer
    filterset_class = filtersets.FactorRequestFilterSet

    def get_queryset(self):
        return super().get_queryset().distinct()

    @extend_schema(request=serializers.GrantSerializer, responses=serializers.FactorRequestSerializer)
    @action(detail=True, methods=["post"], permission_action="view")
    def grant(self, request, pk=None):
        """The department records what it granted (0 = declined, with the reason)."""
        body = serializers.GrantSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        factor = services.grant_factor(
            self.get_object(),
            amount=data["amount_granted"],
            on=data.get("granted_on"),
            reply=data.get("reply", ""),
            by=request.user,
        )
        return Response(serializers.FactorRequestSerializer(factor, context={"request": request}).data)


class DispatchMeetingViewSet(BaseViewSet):
    queryset = DispatchMeeting.objects.prefetch_related("projects", "targets", "problems")
    serializer_class = serializers.DispatchMeetingSerializer
    filterset_class = filtersets.DispatchMeetingFilterSet

    @extend_schema(request=None, responses=serializers.DispatchMeetingSerializer)
    @action(detail=True, methods=["post"], url_path="build-agenda", permission_action="view")
    def build_agenda(self, request, pk=None):
        """Build the agenda: lagging projects, overdue problems and targets, previous decisions."""
        meeting = services.prepare_agenda(self.get_object(), by=request.user)
        meeting = self.get_queryset().get(pk=meeting.pk)
        return Response(serializers.DispatchMeetingSerializer(meeting, context={"request": request}).data)

    @extend_schema(request=serializers.HoldSerializer, responses=serializers.DispatchMeetingSerializer)
    @action(detail=True, methods=["post"], permission_action="view")
    def hold(self, request, pk=None):
        """Hold the meeting, reviewing each open decision of the previous one first."""
        body = serializers.HoldSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            reviews = {int(k): v for k, v in (data.get("reviews") or {}).items()}
            deadlines = {int(k): v for k, v in (data.get("deadlines") or {}).items()}
        except ValueError:
            raise exceptions.ValidationError({"reviews": [_("议定事项编号应为数字。")]})
        meeting = services.hold_meeting(
            self.get_object(),
            by=request.user,
            reviews=reviews,
            deadlines=deadlines,
            minutes=data.get("minutes"),
        )
        meeting = self.get_queryset().get(pk=meeting.pk)
        return Response(serializers.DispatchMeetingSerializer(meeting, context={"request": request}).data)


class DecisionViewSet(BaseViewSet):
    queryset = Decision.objects.select_related("meeting", "owner_unit", "carried_from")
    serializer_class = serializers.DecisionSerializer
    filterset_class = filtersets.DecisionFilterSet

    @extend_schema(request=serializers.CompleteSerializer, responses=serializers.DecisionSerializer)
    @action(detail=True, methods=["post"], permission_action="view")
    def complete(self, request, pk=None):
        body = serializers.CompleteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        decision = services.complete_decision(
            self.get_object(), by=request.user, on=data.get("done_on"), progress=data.get("progress", "")
        )
        return Response(serializers.DecisionSerializer(decision, context={"request": request}).data)
