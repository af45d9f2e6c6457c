"""403 and 404 pages in the user's language (Chinese by default)."""

from django.shortcuts import render


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else ""
    return render(request, "403.html", {"exception": message}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)
