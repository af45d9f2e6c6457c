"""API of the dashboard: the headline figures with their 同比 and the list behind each."""

from __future__ import annotations

from django.http import QueryDict
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from chainlead.dashboard import figures, summary
from chainlead.dashboard.forms import DashboardFilterForm
from chainlead.dashboard.panels import DashboardContext
from chainlead.organization.permissions import get_scope
from chainlead.projects.models import KeyProject


class DashboardFigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField(help_text="count（个）或 yi（金额，value 为万元，页面以亿元显示）")
    value = serializers.DecimalField(max_digits=20, decimal_places=2)
    last_year = serializers.DecimalField(max_digits=20, decimal_places=2)
    change_pct = serializers.DecimalField(max_digits=10, decimal_places=1, allow_null=True)
    list_url = serializers.CharField()
    definition_url = serializers.CharField()


class DashboardFiguresSerializer(serializers.Serializer):
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    period_label = serializers.CharField()
    as_of = serializers.DateField(allow_null=True)
    figures = DashboardFigureSerializer(many=True)


class FiguresView(APIView):
    """驾驶舱头部指标：统计期内各项数字、上年同期和同比，金额单位万元。"""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int, description="年份"),
            OpenApiParameter("m1", int, description="起始月"),
            OpenApiParameter("m2", int, description="截止月"),
            OpenApiParameter("preset", str, description="ytd / last_month / quarter / last_year"),
            OpenApiParameter("as_of", str, description="历史回看：月末日期，如 2021-10-31"),
            OpenApiParameter("area", int, description="片区/战区（单位 id，含下级）"),
        ],
        responses=DashboardFiguresSerializer,
    )
    def get(self, request):
        scope = get_scope(request.user)
        if not scope.can(KeyProject, "view"):
            raise PermissionDenied("您没有查看驾驶舱的权限。")
        params = QueryDict(mutable=True)
        for key in ("preset", "year", "m1", "m2", "as_of", "area"):
            if request.query_params.get(key):
                params[key] = request.query_params[key]
        form = DashboardFilterForm(params, user=request.user, scope_units=scope.units_for(KeyProject, "view"))
        if not form.is_valid():
            raise ValidationError({k: [str(m) for m in v] for k, v in form.errors.items()})
        data = form.cleaned_data
        as_of = data.get("as_of")
        from chainlead.dashboard.views import SNAPSHOT_INLINE_LIMIT

        big = KeyProject._base_manager.count() > SNAPSHOT_INLINE_LIMIT
        pending = None
        if not summary.is_built() and big:
            from chainlead.dashboard.jobs import ensure_rebuild_job

            pending = ensure_rebuild_job(by=request.user)
        elif as_of is not None and not summary.has_snapshot(as_of) and big:
            from chainlead.dashboard.jobs import ensure_snapshot_job

            pending = ensure_snapshot_job(as_of, by=request.user)
        if pending is not None:
            return Response(
                {"detail": "驾驶舱汇总数据正在生成，请稍后再试。", "job": str(pending.pk)}, status=202
            )
        summary.sync()
        if as_of is not None and not summary.has_snapshot(as_of):
            summary.build_snapshot(as_of)
        dash = DashboardContext(
            user=request.user,
            period_start=data["start"],
            period_end=data["end"],
            as_of=summary.end_of_day(as_of) if as_of else None,
            area=data.get("area"),
        )
        result = figures.compute(dash)
        # Through the documented serializer: amounts as the schema says (decimal strings), not
        # whatever type the computation happened to return (0 as an int, a float percentage).
        return Response(
            DashboardFiguresSerializer(
                {
                    "period_start": result.period.start,
                    "period_end": result.period.end,
                    "period_label": result.period.label,
                    "as_of": as_of,
                    "figures": [
                        {
                            "key": c.key,
                            "label": c.label,
                            "unit": c.unit,
                            "value": c.value,
                            "last_year": c.last_year,
                            "change_pct": c.change["pct"],
                            "list_url": c.url,
                            "definition_url": c.definition_url,
                        }
                        for c in result.cards
                    ],
                }
            ).data
        )
