"""The project's URLs plus /bench/bare/: the same 50 projects as the API's first page, as plain JSON
from a plain Django view (no DRF, no permissions) — the baseline of the API-throughput benchmark."""

from django.http import JsonResponse
from django.urls import include, path

from chainlead.projects.models import KeyProject

FIELDS = [
    "id",
    "name",
    "project_code",
    "stage",
    "chain_id",
    "chain_node_id",
    "area_id",
    "responsible_unit_id",
    "total_investment",
    "annual_plan",
    "negotiating_on",
    "started_on",
    "version",
]


def bare(request):
    rows = list(KeyProject.objects.order_by("-created").values(*FIELDS)[:50])
    return JsonResponse({"count": None, "results": rows})


urlpatterns = [path("bench/bare/", bare), path("", include("chainlead.urls"))]
